import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InvalidChangeBatch } from '@aws-sdk/client-route-53';
import type { LocalWorld } from '../../local/local-world.ts';
import { throttled } from '../../local/route53-stand-in.ts';
import { reconcile } from '../../shared/reconcile/reconcile.ts';
import { SEED_RECORDS, seedRow } from '../fixtures/chains.ts';
import { checkLines, makeWorld, recordLines, writeCalls, ZONE } from '../fixtures/world.ts';

const NAME = 'resilient-site.example.com';

let world: LocalWorld;
beforeEach(async () => {
  world = await makeWorld();
});
afterEach(() => {
  world.destroy();
});

async function seed(row: Record<string, unknown> = seedRow()) {
  await world.chains.put(row);
  return reconcile(NAME, world.deps);
}

describe('reconcile', () => {
  it("builds the seed's three-tier chain: records, health checks, alarms and status", async () => {
    const result = await seed();
    expect(result).toMatchObject({ state: 'IN_SYNC', recordChanges: 4, alerts: [] });
    expect(recordLines(world)).toEqual(SEED_RECORDS);
    expect(world.route53.batches).toHaveLength(1);
    expect(checkLines(world)).toEqual(['primary: HTTP 1.1.1.1:8888 v1', 'secondary: HTTP 2.2.2.2:8888 v1']);
    const check = [...world.route53.healthChecks.values()].find(
      (c) => c.tags.get('failover-chains:tier') === 'primary',
    )!;
    expect(Object.fromEntries(check.tags)).toEqual({
      Name: 'resilient-site.example.com primary',
      'failover-chains:owner': 'default',
      'failover-chains:chain': NAME,
      'failover-chains:tier': 'primary',
    });
    const alarm = world.cloudwatch.alarms.get(`failover-chains/default/${NAME}/primary`)!;
    expect(alarm).toMatchObject({
      Namespace: 'AWS/Route53',
      MetricName: 'HealthCheckStatus',
      Dimensions: [{ Name: 'HealthCheckId', Value: check.Id }],
      ComparisonOperator: 'LessThanThreshold',
      Threshold: 1,
    });
    expect([...world.cloudwatch.alarms.keys()].sort()).toEqual([
      `failover-chains/default/${NAME}/primary`,
      `failover-chains/default/${NAME}/secondary`,
    ]);
    const status = await world.deps.status.get(NAME);
    expect(status).toMatchObject({
      state: 'IN_SYNC',
      errors: [],
      hostedZoneId: ZONE,
      healthChecks: { primary: { id: check.Id } },
      alarms: { primary: `failover-chains/default/${NAME}/primary` },
    });
    expect(status?.records).toHaveLength(4);
  });

  it('makes no write call when the chain is in sync', async () => {
    await seed();
    const before = writeCalls(world).length;
    const again = await reconcile(NAME, world.deps);
    expect(again).toMatchObject({ state: 'IN_SYNC', recordChanges: 0 });
    expect(writeCalls(world).slice(before)).toEqual([]);
  });

  it('adds a fourth tier with only the changes it needs', async () => {
    await seed();
    const row = seedRow();
    row.tiers[2]!.healthCheck = { type: 'HTTP', ip: '3.3.3.3', port: 8888 };
    row.tiers.push({ id: 'quaternary', target: 'quaternary.resilient-site.example.com' });
    await world.chains.put(row);
    await reconcile(NAME, world.deps);
    expect(world.route53.batches.at(-1)).toEqual([
      {
        Action: 'CREATE',
        Name: 'backup2.resilient-site.example.com.',
        Type: 'CNAME',
        SetIdentifier: 'failover-chains/default/2/primary',
      },
      {
        Action: 'CREATE',
        Name: 'backup2.resilient-site.example.com.',
        Type: 'CNAME',
        SetIdentifier: 'failover-chains/default/2/secondary',
      },
      {
        Action: 'UPSERT',
        Name: 'backup.resilient-site.example.com.',
        Type: 'CNAME',
        SetIdentifier: 'failover-chains/default/1/secondary',
      },
    ]);
    expect(recordLines(world).slice(2)).toEqual([
      'backup.resilient-site.example.com. CNAME failover-chains/default/1/primary -> secondary.resilient-site.example.com. [hc:secondary]',
      'backup.resilient-site.example.com. CNAME failover-chains/default/1/secondary -> backup2.resilient-site.example.com.',
      'backup2.resilient-site.example.com. CNAME failover-chains/default/2/primary -> tertiary.resilient-site.example.com. [hc:tertiary]',
      'backup2.resilient-site.example.com. CNAME failover-chains/default/2/secondary -> quaternary.resilient-site.example.com.',
    ]);
    expect(checkLines(world)).toEqual([
      'primary: HTTP 1.1.1.1:8888 v1',
      'secondary: HTTP 2.2.2.2:8888 v1',
      'tertiary: HTTP 3.3.3.3:8888 v1',
    ]);
    expect(world.cloudwatch.alarms.size).toBe(3);
  });

  it("updates a health check's port in place, touching no record", async () => {
    await seed();
    const batches = world.route53.batches.length;
    const row = seedRow();
    (row.tiers[1]!.healthCheck as Record<string, unknown>).port = 9999;
    await world.chains.put(row);
    await reconcile(NAME, world.deps);
    expect(checkLines(world)).toEqual(['primary: HTTP 1.1.1.1:8888 v1', 'secondary: HTTP 2.2.2.2:9999 v2']);
    expect(world.route53.batches.length).toBe(batches);
    expect(world.route53.writeCalls().filter((c) => c === 'UpdateHealthCheckCommand')).toHaveLength(1);
  });

  it('replaces a check whose interval changed: new check first, records switched, old one deleted', async () => {
    await seed();
    const oldId = (await world.deps.status.get(NAME))!.healthChecks.primary!.id!;
    const row = seedRow();
    (row.tiers[0]!.healthCheck as Record<string, unknown>).requestInterval = 10;
    await world.chains.put(row);
    await reconcile(NAME, world.deps);
    const status = (await world.deps.status.get(NAME))!;
    const newId = status.healthChecks.primary!.id!;
    expect(newId).not.toBe(oldId);
    expect(world.route53.healthChecks.has(oldId)).toBe(false);
    expect(world.route53.healthChecks.get(newId)?.HealthCheckConfig.RequestInterval).toBe(10);
    expect(world.route53.records(ZONE)[0]!.HealthCheckId).toBe(newId);
    expect(status.retiredHealthChecks).toEqual([]);
    expect(
      world.cloudwatch.alarms.get(`failover-chains/default/${NAME}/primary`)?.Dimensions?.[0]?.Value,
    ).toBe(newId);
  });

  it('reorders tiers by rewriting values, keeping every health check', async () => {
    await seed();
    const ids = [...world.route53.healthChecks.keys()].sort();
    const row = seedRow();
    row.tiers = [row.tiers[1]!, row.tiers[0]!, row.tiers[2]!];
    await world.chains.put(row);
    await reconcile(NAME, world.deps);
    expect(world.route53.batches.at(-1)?.map((c) => `${c.Action} ${c.SetIdentifier ?? ''}`)).toEqual([
      'UPSERT failover-chains/default/1/primary',
      'UPSERT failover-chains/default/0/primary',
    ]);
    expect(recordLines(world)[0]).toBe(
      'resilient-site.example.com. CNAME failover-chains/default/0/primary -> secondary.resilient-site.example.com. [hc:secondary]',
    );
    expect([...world.route53.healthChecks.keys()].sort()).toEqual(ids);
  });

  it('removes everything it made when the row is deleted, in one record batch', async () => {
    await seed();
    const handMade = {
      Name: 'www.example.com.',
      Type: 'A' as const,
      TTL: 300,
      ResourceRecords: [{ Value: '192.0.2.10' }],
    };
    await world.route53.send(
      new (await import('@aws-sdk/client-route-53')).ChangeResourceRecordSetsCommand({
        HostedZoneId: ZONE,
        ChangeBatch: { Changes: [{ Action: 'CREATE', ResourceRecordSet: handMade }] },
      }),
    );
    await world.dynamodb.send(
      new (await import('@aws-sdk/client-dynamodb')).DeleteItemCommand({
        TableName: world.tables.chains,
        Key: { name: { S: NAME } },
      }),
    );
    const result = await reconcile(NAME, world.deps);
    expect(result).toMatchObject({ state: 'DELETED', recordChanges: 4 });
    expect(world.route53.batches.at(-1)?.every((c) => c.Action === 'DELETE')).toBe(true);
    expect(recordLines(world)).toEqual(['www.example.com. A - -> 192.0.2.10']);
    expect(world.route53.healthChecks.size).toBe(0);
    expect(world.cloudwatch.alarms.size).toBe(0);
    expect(await world.deps.status.get(NAME)).toMatchObject({
      state: 'DELETED',
      healthChecks: {},
      alarms: {},
      records: [],
    });
    const before = writeCalls(world).length;
    await reconcile(NAME, world.deps);
    expect(writeCalls(world).slice(before)).toEqual([]);
  });

  it('keeps a live chain serving when its row turns invalid, records the errors and alerts once', async () => {
    await seed();
    const row = seedRow();
    (row.tiers[1]!.healthCheck as Record<string, unknown>).port = 70000;
    delete row.tiers[0]!.healthCheck;
    await world.chains.put(row);
    const result = await reconcile(NAME, world.deps);
    expect(result.state).toBe('INVALID');
    expect(recordLines(world)).toEqual(SEED_RECORDS);
    expect(checkLines(world)).toEqual(['primary: HTTP 1.1.1.1:8888 v1', 'secondary: HTTP 2.2.2.2:8888 v1']);
    const errors = ['tiers[1].healthCheck.port: must be an integer from 1 to 65535 (got 70000)'];
    expect(await world.deps.status.get(NAME)).toMatchObject({ state: 'INVALID', errors });
    expect(world.sns.published).toHaveLength(1);
    expect(world.sns.published[0]).toMatchObject({
      subject: 'resilient-site.example.com: chain row rejected',
      attributes: { chain: NAME, event: 'CHAIN_INVALID', severity: 'warning' },
      json: { schema: 'failover-chains.alert/v1', event: 'CHAIN_INVALID', chain: NAME, errors },
    });
    expect(world.sns.published[0]!.text).toContain(
      '- tiers[1].healthCheck.port: must be an integer from 1 to 65535 (got 70000)',
    );
    await reconcile(NAME, world.deps);
    expect(world.sns.published).toHaveLength(1);
  });

  it('reports a conflicting hand-made record and leaves it untouched', async () => {
    const { ChangeResourceRecordSetsCommand } = await import('@aws-sdk/client-route-53');
    await world.route53.send(
      new ChangeResourceRecordSetsCommand({
        HostedZoneId: ZONE,
        ChangeBatch: {
          Changes: [
            {
              Action: 'CREATE',
              ResourceRecordSet: {
                Name: 'backup.resilient-site.example.com',
                Type: 'CNAME',
                TTL: 300,
                ResourceRecords: [{ Value: 'old.example.net' }],
              },
            },
          ],
        },
      }),
    );
    const result = await seed();
    expect(result.state).toBe('CONFLICT');
    expect(recordLines(world)).toEqual(['backup.resilient-site.example.com. CNAME - -> old.example.net']);
    expect(world.route53.healthChecks.size).toBe(0);
    expect(world.sns.published.map((m) => m.attributes.event)).toEqual(['CONFLICT']);
    expect(world.sns.published[0]!.text).toContain(
      '- backup.resilient-site.example.com. CNAME: held by a record failover-chains did not make; it is left untouched',
    );
  });

  it('rejects rows outside its zones, in missing zones, outside the zone or as a CNAME at the apex', async () => {
    const limited = await makeWorld({
      allowedHostedZoneIds: ['ZOTHER'],
      zones: [{ id: ZONE, name: 'example.com' }],
    });
    await limited.chains.put(seedRow());
    await reconcile(NAME, limited.deps);
    expect((await limited.deps.status.get(NAME))?.errors).toEqual([
      'hostedZoneId: Z0123456789EXAMPLE is not a hosted zone this deployment may change (allowed: ZOTHER)',
    ]);
    limited.destroy();

    const cases: [Record<string, unknown>, string][] = [
      [
        { ...seedRow(), hostedZoneId: 'ZMISSING' },
        'hostedZoneId: no hosted zone ZMISSING exists in this account',
      ],
      [
        { ...seedRow(), name: 'site.example.org' },
        'name: site.example.org is not in hosted zone Z0123456789EXAMPLE (example.com)',
      ],
      [
        { ...seedRow(), name: 'example.com' },
        'recordType: a CNAME chain cannot be at the zone apex (example.com); use A or AAAA with alias or IP targets',
      ],
    ];
    for (const [row, error] of cases) {
      await world.chains.put(row);
      const result = await reconcile(row.name as string, world.deps);
      expect(result.state).toBe('INVALID');
      expect((await world.deps.status.get(row.name as string))?.errors).toEqual([error]);
    }
    expect(world.route53.writeCalls()).toEqual([]);
  });

  it('finishes after a failure between steps, with no duplicate health check', async () => {
    await world.chains.put(seedRow());
    world.route53.failNext(
      'ChangeResourceRecordSetsCommand',
      () => new InvalidChangeBatch({ $metadata: {}, message: 'injected' }),
    );
    await expect(reconcile(NAME, world.deps)).rejects.toThrow('injected');
    expect(await world.deps.status.get(NAME)).toMatchObject({
      state: 'ERROR',
      errors: ['InvalidChangeBatch: injected'],
    });
    expect(world.sns.published.map((m) => m.attributes.event)).toEqual(['RECONCILE_FAILED']);
    expect(world.route53.healthChecks.size).toBe(2);

    const result = await reconcile(NAME, world.deps);
    expect(result.state).toBe('IN_SYNC');
    expect(recordLines(world)).toEqual(SEED_RECORDS);
    expect(world.route53.healthChecks.size).toBe(2);
    expect(world.cloudwatch.alarms.size).toBe(2);
  });

  it('reuses the recorded CallerReference when it failed right after creating a check', async () => {
    await world.chains.put(seedRow());
    world.route53.failNext('ChangeTagsForResourceCommand', () => new Error('connection reset'));
    await expect(reconcile(NAME, world.deps)).rejects.toThrow('connection reset');
    expect(world.route53.healthChecks.size).toBe(1);
    await reconcile(NAME, world.deps);
    expect(checkLines(world)).toEqual(['primary: HTTP 1.1.1.1:8888 v1', 'secondary: HTTP 2.2.2.2:8888 v1']);
    expect(world.route53.calls.filter((c) => c === 'CreateHealthCheckCommand')).toHaveLength(3);
  });

  it('backs off and finishes when Route 53 throttles', async () => {
    await world.chains.put(seedRow());
    world.route53.failNext('CreateHealthCheckCommand', throttled, 3);
    world.route53.failNext('ChangeResourceRecordSetsCommand', throttled, 2);
    const result = await reconcile(NAME, world.deps);
    expect(result.state).toBe('IN_SYNC');
    expect(recordLines(world)).toEqual(SEED_RECORDS);
    expect(world.route53.calls.filter((c) => c === 'ChangeResourceRecordSetsCommand')).toHaveLength(3);
    expect(world.route53.healthChecks.size).toBe(2);
  });

  it('adopts its own records and checks when the status item was lost', async () => {
    await seed();
    const ids = [...world.route53.healthChecks.keys()].sort();
    const { DeleteItemCommand } = await import('@aws-sdk/client-dynamodb');
    await world.dynamodb.send(
      new DeleteItemCommand({
        TableName: world.tables.status,
        Key: { name: { S: NAME }, sk: { S: 'STATUS' } },
      }),
    );
    const result = await reconcile(NAME, world.deps);
    expect(result).toMatchObject({ state: 'IN_SYNC', recordChanges: 0 });
    expect([...world.route53.healthChecks.keys()].sort()).toEqual(ids);
    expect(world.route53.calls.filter((c) => c === 'CreateHealthCheckCommand')).toHaveLength(2);
    expect((await world.deps.status.get(NAME))?.healthChecks.primary?.id).toBe(
      [...world.route53.healthChecks.values()].find((c) => c.tags.get('failover-chains:tier') === 'primary')
        ?.Id,
    );
  });

  it('never touches the records of another deployment sharing the zone', async () => {
    const other = await makeWorld({ owner: 'other' });
    await seed();
    await other.chains.put({ ...seedRow(), name: 'other-site.example.com' });
    await reconcile('other-site.example.com', { ...other.deps, route53: world.deps.route53 });
    expect(recordLines(world).filter((line) => line.includes('/default/'))).toEqual(SEED_RECORDS);
    expect(recordLines(world).filter((line) => line.includes('/other/'))).toHaveLength(4);
    other.destroy();
  });
});
