import {
  ChangeResourceRecordSetsCommand,
  CreateHealthCheckCommand,
  DeleteHealthCheckCommand,
  ListResourceRecordSetsCommand,
  type Change,
  type ResourceRecordSet,
} from '@aws-sdk/client-route-53';
import { beforeEach, describe, expect, it } from 'vitest';
import { Route53StandIn } from '../../local/route53-stand-in.ts';

const ZONE = 'ZTEST';
let r53: Route53StandIn;
let checkId: string;

const cname = (name: string, value: string, extra: Partial<ResourceRecordSet> = {}): ResourceRecordSet => ({
  Name: name,
  Type: 'CNAME',
  TTL: 60,
  ResourceRecords: [{ Value: value }],
  ...extra,
});
const change = (Action: Change['Action'], ResourceRecordSet: ResourceRecordSet): Change => ({
  Action,
  ResourceRecordSet,
});
const apply = (...changes: Change[]) =>
  r53.send(new ChangeResourceRecordSetsCommand({ HostedZoneId: ZONE, ChangeBatch: { Changes: changes } }));

beforeEach(async () => {
  r53 = new Route53StandIn({ pageSize: 3 });
  r53.addZone(ZONE, 'example.com');
  const created = (await r53.send(
    new CreateHealthCheckCommand({
      CallerReference: 'ref-1',
      HealthCheckConfig: { Type: 'HTTP', IPAddress: '8.8.8.8' },
    }),
  )) as { HealthCheck: { Id: string } };
  checkId = created.HealthCheck.Id;
});

describe('Route 53 stand-in enforces the API rules', () => {
  it('refuses CREATE of an existing record set', async () => {
    await apply(change('CREATE', cname('a.example.com', 'x.example.net')));
    await expect(apply(change('CREATE', cname('a.example.com', 'y.example.net')))).rejects.toMatchObject({
      name: 'InvalidChangeBatch',
      message: expect.stringContaining('but it already exists') as string,
    });
  });

  it('refuses DELETE of a missing record set or one with other values', async () => {
    await expect(apply(change('DELETE', cname('a.example.com', 'x.example.net')))).rejects.toThrow(
      'but it was not found',
    );
    await apply(change('CREATE', cname('a.example.com', 'x.example.net')));
    await expect(apply(change('DELETE', cname('a.example.com', 'other.example.net')))).rejects.toThrow(
      'do not match the current values',
    );
  });

  it('applies a batch all or nothing', async () => {
    await expect(
      apply(
        change('CREATE', cname('a.example.com', 'x.example.net')),
        change('DELETE', cname('b.example.com', 'x')),
      ),
    ).rejects.toThrow('not found');
    expect(r53.records(ZONE)).toEqual([]);
  });

  it('refuses two PRIMARY records at one name', async () => {
    const primary = (id: string) =>
      cname('a.example.com', `${id}.example.net`, {
        SetIdentifier: id,
        Failover: 'PRIMARY',
        HealthCheckId: checkId,
      });
    await expect(apply(change('CREATE', primary('p1')), change('CREATE', primary('p2')))).rejects.toThrow(
      'cannot have two PRIMARY failover records',
    );
  });

  it('refuses a non-alias PRIMARY without a health check, and an unknown health check', async () => {
    await expect(
      apply(
        change(
          'CREATE',
          cname('a.example.com', 'x.example.net', { SetIdentifier: 'p', Failover: 'PRIMARY' }),
        ),
      ),
    ).rejects.toThrow('A non-alias primary ResourceRecordSet must have an associated health check');
    await expect(
      apply(
        change(
          'CREATE',
          cname('a.example.com', 'x.example.net', {
            SetIdentifier: 'p',
            Failover: 'PRIMARY',
            HealthCheckId: 'nope',
          }),
        ),
      ),
    ).rejects.toThrow('health check nope, which does not exist');
  });

  it('refuses a CNAME beside other records, and at the apex', async () => {
    await apply(
      change('CREATE', { Name: 'a.example.com', Type: 'TXT', TTL: 60, ResourceRecords: [{ Value: '"x"' }] }),
    );
    await expect(apply(change('CREATE', cname('a.example.com', 'x.example.net')))).rejects.toThrow(
      'conflicts with other records with the same DNS name',
    );
    await expect(apply(change('CREATE', cname('example.com', 'x.example.net')))).rejects.toThrow('zone apex');
  });

  it('refuses an alias to a record that does not exist in the zone', async () => {
    await expect(
      apply(
        change('CREATE', {
          Name: 'a.example.com',
          Type: 'A',
          AliasTarget: { HostedZoneId: ZONE, DNSName: 'missing.example.com', EvaluateTargetHealth: true },
        }),
      ),
    ).rejects.toThrow('the alias target name does not lie within the target zone');
  });

  it('refuses an UPSERT that changes a failover role', async () => {
    const base = { SetIdentifier: 's', HealthCheckId: checkId };
    await apply(
      change('CREATE', cname('a.example.com', 'x.example.net', { ...base, Failover: 'SECONDARY' })),
    );
    await expect(
      apply(change('UPSERT', cname('a.example.com', 'x.example.net', { ...base, Failover: 'PRIMARY' }))),
    ).rejects.toThrow('changing its failover role');
  });

  // "Amazon Route 53 does not prevent you from deleting a health check even if the health check
  // is associated with one or more resource record sets."
  // https://docs.aws.amazon.com/Route53/latest/APIReference/API_DeleteHealthCheck.html
  it('deletes a health check a record still uses, as Route 53 does', async () => {
    await apply(
      change(
        'CREATE',
        cname('a.example.com', 'x.example.net', {
          SetIdentifier: 'p',
          Failover: 'PRIMARY',
          HealthCheckId: checkId,
        }),
      ),
    );
    await r53.send(new DeleteHealthCheckCommand({ HealthCheckId: checkId }));
    expect(r53.healthChecks.has(checkId)).toBe(false);
    expect(r53.records(ZONE).map((r) => r.HealthCheckId)).toEqual([checkId]);
  });

  it('returns the same check for the same CallerReference and settings, and refuses a reused one', async () => {
    const again = (await r53.send(
      new CreateHealthCheckCommand({
        CallerReference: 'ref-1',
        HealthCheckConfig: { Type: 'HTTP', IPAddress: '8.8.8.8' },
      }),
    )) as { HealthCheck: { Id: string } };
    expect(again.HealthCheck.Id).toBe(checkId);
    await expect(
      r53.send(
        new CreateHealthCheckCommand({
          CallerReference: 'ref-1',
          HealthCheckConfig: { Type: 'TCP', IPAddress: '8.8.8.8', Port: 1 },
        }),
      ),
    ).rejects.toMatchObject({ name: 'HealthCheckAlreadyExists' });
    await r53.send(new DeleteHealthCheckCommand({ HealthCheckId: checkId }));
    await expect(
      r53.send(
        new CreateHealthCheckCommand({
          CallerReference: 'ref-1',
          HealthCheckConfig: { Type: 'HTTP', IPAddress: '8.8.8.8' },
        }),
      ),
    ).rejects.toMatchObject({ name: 'HealthCheckAlreadyExists' });
  });

  it('refuses health checks on reserved addresses unless local mode allows them', async () => {
    await expect(
      r53.send(
        new CreateHealthCheckCommand({
          CallerReference: 'ref-2',
          HealthCheckConfig: { Type: 'HTTP', IPAddress: '127.0.0.1' },
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidInput' });
  });

  it('lists in Route 53 order (labels reversed) and pages with Next* markers', async () => {
    await apply(
      ...[
        'site.example.com',
        'backup.site.example.com',
        'a.example.com',
        'backup2.site.example.com',
        'zz.example.com',
      ].map((name) => change('CREATE', cname(name, 'x.example.net'))),
    );
    const first = (await r53.send(
      new ListResourceRecordSetsCommand({ HostedZoneId: ZONE, StartRecordName: 'site.example.com' }),
    )) as {
      ResourceRecordSets: ResourceRecordSet[];
      IsTruncated: boolean;
      NextRecordName?: string;
    };
    expect(first.ResourceRecordSets.map((r) => r.Name)).toEqual([
      'site.example.com.',
      'backup.site.example.com.',
      'backup2.site.example.com.',
    ]);
    expect(first.IsTruncated).toBe(true);
    const second = (await r53.send(
      new ListResourceRecordSetsCommand({
        HostedZoneId: ZONE,
        StartRecordName: first.NextRecordName,
        StartRecordType: 'CNAME',
      }),
    )) as { ResourceRecordSets: ResourceRecordSet[]; IsTruncated: boolean };
    expect(second.ResourceRecordSets.map((r) => r.Name)).toEqual(['zz.example.com.']);
    expect(second.IsTruncated).toBe(false);
  });
});
