import {
  CreateHealthCheckCommand,
  ChangeTagsForResourceCommand,
  InvalidChangeBatch,
} from '@aws-sdk/client-route-53';
import { DeleteItemCommand } from '@aws-sdk/client-dynamodb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newStatus } from '../../shared/core/chain-status.ts';
import type { LocalWorld } from '../../local/local-world.ts';
import { StaleStatusError } from '../../shared/ports.ts';
import { reconcile } from '../../shared/reconcile/reconcile.ts';
import { reconcileAll } from '../../shared/reconcile/reconcile-all.ts';
import { seedRow } from '../fixtures/chains.ts';
import { makeWorld, recordLines, writeCalls } from '../fixtures/world.ts';

let world: LocalWorld;
beforeEach(async () => {
  world = await makeWorld();
});
afterEach(() => {
  world.destroy();
});

describe('reconcileAll', () => {
  it('reconciles every row, cleans up a chain whose row vanished unseen, and deletes unused owned checks and alarms', async () => {
    await world.chains.put(seedRow());
    await world.chains.put({ ...seedRow(), name: 'gone.example.com' });
    await reconcileAll(world.deps);
    expect(recordLines(world)).toHaveLength(8);

    // The row of one chain is deleted while the stream is not being read.
    await world.dynamodb.send(
      new DeleteItemCommand({ TableName: world.tables.chains, Key: { name: { S: 'gone.example.com' } } }),
    );
    // A check tagged with this owner that no chain knows (left by a crash long ago), and one of another owner.
    const orphan = async (reference: string, owner: string) => {
      const { HealthCheck } = (await world.route53.send(
        new CreateHealthCheckCommand({
          CallerReference: reference,
          HealthCheckConfig: { Type: 'TCP', IPAddress: '8.8.8.8', Port: 53 },
        }),
      )) as { HealthCheck: { Id: string } };
      await world.route53.send(
        new ChangeTagsForResourceCommand({
          ResourceType: 'healthcheck',
          ResourceId: HealthCheck.Id,
          AddTags: [{ Key: 'failover-chains:owner', Value: owner }],
        }),
      );
      return HealthCheck.Id;
    };
    const mine = await orphan('failover-chains/default/orphan-1', 'default');
    const theirs = await orphan('failover-chains/someone-else/orphan-2', 'someone-else');

    const summary = await reconcileAll(world.deps);
    expect(summary).toMatchObject({ reconciled: 2, byState: { IN_SYNC: 1, DELETED: 1 }, failed: [] });
    expect(summary.deletedHealthChecks).toEqual([mine]);
    expect(world.route53.healthChecks.has(theirs)).toBe(true);
    expect(
      recordLines(world).every(
        (line) => line.startsWith('resilient-site') || line.startsWith('backup.resilient-site'),
      ),
    ).toBe(true);
    expect(
      [...world.cloudwatch.alarms.keys()].every((name) => name.includes('/resilient-site.example.com/')),
    ).toBe(true);
  });

  it('lists the zone once, shares one change batch, and marks only the chain Route 53 refuses', async () => {
    await world.chains.put(seedRow());
    await world.chains.put({ ...seedRow(), name: 'b.example.com' });
    await world.chains.put({ ...seedRow(), name: 'c.example.com' });
    // The shared batch is refused, then the half holding b.example.com, then b.example.com alone.
    world.route53.failNext(
      'ChangeResourceRecordSetsCommand',
      () => new InvalidChangeBatch({ $metadata: {}, message: 'refused' }),
      3,
    );
    const summary = await reconcileAll(world.deps);
    expect(summary.failed).toEqual([{ name: 'b.example.com', error: 'refused' }]);
    expect(summary.byState).toEqual({ IN_SYNC: 2 });
    expect(world.route53.calls.filter((c) => c === 'ListResourceRecordSetsCommand')).toHaveLength(1);
    expect(world.route53.batches.map((batch) => batch.length)).toEqual([4, 4]);
    expect(await world.deps.status.get('b.example.com')).toMatchObject({
      state: 'ERROR',
      errors: ['InvalidChangeBatch: refused'],
    });
    expect(world.sns.published.map((m) => `${m.attributes.event} ${m.attributes.chain}`)).toEqual([
      'RECONCILE_FAILED b.example.com',
    ]);

    const again = await reconcileAll(world.deps);
    expect(again.byState).toEqual({ IN_SYNC: 3 });
    expect(world.route53.batches.at(-1)).toHaveLength(4);
  });

  it('makes no write call at all when nothing changed', async () => {
    for (const name of ['a.example.com', 'b.example.com', 'c.example.com'])
      await world.chains.put({ ...seedRow(), name });
    await reconcileAll(world.deps);
    expect(world.route53.batches).toHaveLength(1);
    const before = writeCalls(world).length;
    const reads = world.route53.calls.length;
    await reconcileAll(world.deps);
    expect(writeCalls(world).slice(before)).toEqual([]);
    // One zone read, one health check list, nothing per chain.
    expect(world.route53.calls.slice(reads).sort()).toEqual([
      'GetHostedZoneCommand',
      'ListHealthChecksCommand',
      'ListResourceRecordSetsCommand',
    ]);
  });
});

describe('a full run over checks it did not make', () => {
  it("looks up no tags for a user's own check or other teams' checks, whatever their number", async () => {
    const create = async (reference: string, ip: string) => {
      const { HealthCheck } = (await world.route53.send(
        new CreateHealthCheckCommand({
          CallerReference: reference,
          HealthCheckConfig: { Type: 'TCP', IPAddress: ip, Port: 443 },
        }),
      )) as { HealthCheck: { Id: string } };
      return HealthCheck.Id;
    };
    // The user's own check, named by id in the row, and twelve of other teams and deployments.
    const users = await create('my-own-check', '9.9.9.9');
    for (let i = 0; i < 12; i++) {
      const reference = i % 2 === 0 ? `team-${i}` : `failover-chains/other-team/${i}`;
      await create(reference, `8.8.4.${i + 1}`);
    }
    const row = seedRow();
    row.tiers[2]!.healthCheck = { id: users };
    await world.chains.put(row);

    const first = await reconcileAll(world.deps);
    expect(first).toMatchObject({ byState: { IN_SYNC: 1 }, failed: [], deletedHealthChecks: [] });
    const reads = world.route53.calls.length;
    const second = await reconcileAll(world.deps);
    expect(second).toMatchObject({ byState: { IN_SYNC: 1 }, failed: [], deletedHealthChecks: [] });

    expect(world.route53.calls.filter((call) => call.startsWith('ListTagsForResource'))).toEqual([]);
    expect(world.route53.calls.slice(reads).sort()).toEqual([
      'GetHostedZoneCommand',
      'ListHealthChecksCommand',
      'ListResourceRecordSetsCommand',
    ]);
    expect(world.route53.healthChecks.size).toBe(13 + 2);
  });

  it('still finds and deletes its own orphaned check by its CallerReference prefix', async () => {
    await world.chains.put(seedRow());
    await reconcileAll(world.deps);
    const reference = world.deps.newReference();
    expect(reference).toMatch(/^failover-chains\/default\/[0-9a-f]{32}$/);
    const { HealthCheck } = (await world.route53.send(
      new CreateHealthCheckCommand({
        CallerReference: reference,
        HealthCheckConfig: { Type: 'TCP', IPAddress: '8.8.8.8', Port: 53 },
      }),
    )) as { HealthCheck: { Id: string } };
    await world.route53.send(
      new ChangeTagsForResourceCommand({
        ResourceType: 'healthcheck',
        ResourceId: HealthCheck.Id,
        AddTags: [{ Key: 'failover-chains:owner', Value: 'default' }],
      }),
    );
    const summary = await reconcileAll(world.deps);
    expect(summary.deletedHealthChecks).toEqual([HealthCheck.Id]);
  });
});

describe('status writes', () => {
  it('refuse to overwrite a status another reconcile wrote since it was read', async () => {
    const status = newStatus('x.example.com', '2026-11-24T00:00:00.000Z');
    await world.deps.status.save({ ...status, revision: 1 }, 0);
    await expect(world.deps.status.save({ ...status, revision: 1 }, 0)).rejects.toBeInstanceOf(
      StaleStatusError,
    );
    await world.deps.status.save({ ...status, revision: 2 }, 1);
    await expect(world.deps.status.save({ ...status, revision: 2 }, 1)).rejects.toBeInstanceOf(
      StaleStatusError,
    );
  });

  it('make the slower of two concurrent reconciles of one chain retry instead of overwriting', async () => {
    await world.chains.put(seedRow());
    const results = await Promise.allSettled([
      reconcile('resilient-site.example.com', world.deps),
      reconcile('resilient-site.example.com', world.deps),
    ]);
    const rejected = results.filter((r) => r.status === 'rejected');
    expect(rejected.length).toBeLessThanOrEqual(1);
    for (const r of rejected) expect(r.reason).toBeInstanceOf(StaleStatusError);
    await reconcile('resilient-site.example.com', world.deps);
    expect(world.route53.healthChecks.size).toBe(2);
    expect(recordLines(world)).toHaveLength(4);
  });
});
