import {
  ChangeResourceRecordSetsCommand,
  ChangeTagsForResourceCommand,
  CreateHealthCheckCommand,
  DeleteHealthCheckCommand,
  GetHealthCheckStatusCommand,
  type GetHealthCheckStatusCommandOutput,
  GetHostedZoneCommand,
  ListResourceRecordSetsCommand,
  type Change,
  type ListResourceRecordSetsCommandInput,
  type ListResourceRecordSetsCommandOutput,
  type ResourceRecordSet,
} from '@aws-sdk/client-route-53';
import { beforeEach, describe, expect, it } from 'vitest';
import { Route53StandIn } from '../../local/route53-stand-in.ts';

const ZONE = 'ZRULES';
const DAY = 24 * 60 * 60 * 1000;
let now: number;
let r53: Route53StandIn;

const txt = (name: string, values: string[], extra: Partial<ResourceRecordSet> = {}): ResourceRecordSet => ({
  Name: name,
  Type: 'TXT',
  TTL: 60,
  ResourceRecords: values.map((Value) => ({ Value })),
  ...extra,
});
const apply = (...changes: Change[]) =>
  r53.send(new ChangeResourceRecordSetsCommand({ HostedZoneId: ZONE, ChangeBatch: { Changes: changes } }));
const list = async (input: Omit<ListResourceRecordSetsCommandInput, 'HostedZoneId'> = {}) =>
  (await r53.send(
    new ListResourceRecordSetsCommand({ HostedZoneId: ZONE, ...input }),
  )) as ListResourceRecordSetsCommandOutput;
const keys = (page: ListResourceRecordSetsCommandOutput) =>
  (page.ResourceRecordSets ?? []).map(
    (r) => `${r.Name} ${r.Type}${r.SetIdentifier ? ` ${r.SetIdentifier}` : ''}`,
  );
const createCheck = (CallerReference: string, Port = 80) =>
  r53.send(
    new CreateHealthCheckCommand({
      CallerReference,
      HealthCheckConfig: { Type: 'HTTP', IPAddress: '8.8.8.8', Port },
    }),
  ) as Promise<{ HealthCheck: { Id: string } }>;

beforeEach(() => {
  now = Date.UTC(2026, 10, 1);
  r53 = new Route53StandIn({ pageSize: 3, now: () => now, callerReferenceRetentionMs: 2 * DAY });
  r53.addZone(ZONE, 'example.com');
});

// https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/DNSLimitations.html#limits-api-requests-changeresourcerecordsets
describe('a change batch stays within Route 53 request limits', () => {
  const values = (count: number, width = 10) =>
    Array.from({ length: count }, (_, i) => `"${String(i).padStart(width - 2, '0')}"`);

  it('accepts 1,000 ResourceRecord elements and refuses 1,001', async () => {
    await apply({ Action: 'CREATE', ResourceRecordSet: txt('a.example.com', values(1000)) });
    await expect(
      apply({ Action: 'CREATE', ResourceRecordSet: txt('b.example.com', values(1001)) }),
    ).rejects.toMatchObject({
      name: 'InvalidChangeBatch',
      message: expect.stringContaining('1001') as string,
    });
  });

  it('counts an UPSERT twice: 500 values fit, 501 do not', async () => {
    await apply({ Action: 'UPSERT', ResourceRecordSet: txt('a.example.com', values(500)) });
    await expect(
      apply({ Action: 'UPSERT', ResourceRecordSet: txt('a.example.com', values(501)) }),
    ).rejects.toMatchObject({
      name: 'InvalidChangeBatch',
      message: expect.stringContaining('1002') as string,
    });
    expect(r53.records(ZONE)[0]!.ResourceRecords).toHaveLength(500);
  });

  it('accepts 32,000 characters of values and refuses more, UPSERT counting twice', async () => {
    // 200 values of 160 characters: 32,000 characters.
    await apply({ Action: 'CREATE', ResourceRecordSet: txt('a.example.com', values(200, 160)) });
    await expect(
      apply({ Action: 'CREATE', ResourceRecordSet: txt('b.example.com', [...values(200, 160), '"x"']) }),
    ).rejects.toMatchObject({
      name: 'InvalidChangeBatch',
      message: expect.stringContaining('32003') as string,
    });
    await expect(
      apply({ Action: 'UPSERT', ResourceRecordSet: txt('c.example.com', values(101, 160)) }),
    ).rejects.toMatchObject({
      name: 'InvalidChangeBatch',
      message: expect.stringContaining('32320') as string,
    });
  });
});

// https://docs.aws.amazon.com/Route53/latest/APIReference/API_ListResourceRecordSets.html
describe('ListResourceRecordSets order and paging', () => {
  beforeEach(async () => {
    await apply(
      ...[
        'site.example.com',
        'a.example.com',
        'a-b.example.com',
        'backup.site.example.com',
        'example.com',
      ].map((name) => ({ Action: 'CREATE' as const, ResourceRecordSet: txt(name, ['"x"']) })),
      { Action: 'CREATE', ResourceRecordSet: { ...txt('a.example.com', ['1.1.1.1']), Type: 'A' } },
      ...['s2', 's1', 's3'].map((id) => ({
        Action: 'CREATE' as const,
        ResourceRecordSet: txt('w.example.com', ['"x"'], { SetIdentifier: id, Weight: 1 }),
      })),
    );
  });

  it('sorts by name with labels reversed (trailing dot included), then type, then set identifier', async () => {
    const all: string[] = [];
    let page = await list();
    all.push(...keys(page));
    while (page.IsTruncated) {
      page = await list({
        StartRecordName: page.NextRecordName,
        StartRecordType: page.NextRecordType,
        ...(page.NextRecordIdentifier ? { StartRecordIdentifier: page.NextRecordIdentifier } : {}),
      });
      all.push(...keys(page));
    }
    // com.example. < com.example.a-b. < com.example.a. ('-' sorts before '.') < com.example.site. < ...
    expect(all).toEqual([
      'example.com. TXT',
      'a-b.example.com. TXT',
      'a.example.com. A',
      'a.example.com. TXT',
      'site.example.com. TXT',
      'backup.site.example.com. TXT',
      'w.example.com. TXT s1',
      'w.example.com. TXT s2',
      'w.example.com. TXT s3',
    ]);
  });

  it('starts at a name, a name and type, or a name, type and set identifier', async () => {
    expect(keys(await list({ StartRecordName: 'a.example.com' }))[0]).toBe('a.example.com. A');
    expect(keys(await list({ StartRecordName: 'a.example.com', StartRecordType: 'TXT' }))[0]).toBe(
      'a.example.com. TXT',
    );
    const page = await list({ StartRecordName: 'w.example.com', StartRecordType: 'TXT' });
    expect(keys(page)).toEqual(['w.example.com. TXT s1', 'w.example.com. TXT s2', 'w.example.com. TXT s3']);
    const mid = await list({
      StartRecordName: 'w.example.com',
      StartRecordType: 'TXT',
      StartRecordIdentifier: 's2',
    });
    expect(keys(mid)).toEqual(['w.example.com. TXT s2', 'w.example.com. TXT s3']);
    const first = await list({ StartRecordName: 'site.example.com', MaxItems: 2 });
    expect(first).toMatchObject({
      IsTruncated: true,
      NextRecordName: 'w.example.com.',
      NextRecordType: 'TXT',
    });
    expect(first.NextRecordIdentifier).toBe('s1');
  });

  it('refuses StartRecordType without StartRecordName (InvalidInput)', async () => {
    await expect(list({ StartRecordType: 'TXT' })).rejects.toMatchObject({ name: 'InvalidInput' });
  });
});

// https://docs.aws.amazon.com/Route53/latest/APIReference/API_CreateHealthCheck.html#Route53-CreateHealthCheck-request-CallerReference
describe('CallerReference of a deleted health check', () => {
  it('is refused for a while after the delete, then accepted again', async () => {
    const { HealthCheck } = await createCheck('ref-1');
    await r53.send(new DeleteHealthCheckCommand({ HealthCheckId: HealthCheck.Id }));
    now += 2 * DAY - 1;
    await expect(createCheck('ref-1')).rejects.toMatchObject({ name: 'HealthCheckAlreadyExists' });
    now += 1;
    const again = await createCheck('ref-1');
    expect(again.HealthCheck.Id).not.toBe(HealthCheck.Id);
    expect(r53.healthChecks.size).toBe(1);
  });

  it('is refused with other settings while the check lives, and returns the check with the same settings', async () => {
    const { HealthCheck } = await createCheck('ref-2');
    expect((await createCheck('ref-2')).HealthCheck.Id).toBe(HealthCheck.Id);
    await expect(createCheck('ref-2', 81)).rejects.toMatchObject({ name: 'HealthCheckAlreadyExists' });
  });
});

// https://docs.aws.amazon.com/Route53/latest/APIReference/API_Tag.html
describe('health check tags', () => {
  it('accepts a 128-character key and a 256-character value, refuses longer ones (InvalidInput)', async () => {
    const { HealthCheck } = await createCheck('ref-3');
    const tag = (Key: string, Value: string) =>
      r53.send(
        new ChangeTagsForResourceCommand({
          ResourceType: 'healthcheck',
          ResourceId: HealthCheck.Id,
          AddTags: [{ Key, Value }],
        }),
      );
    await tag('k'.repeat(128), 'v'.repeat(256));
    await expect(tag('k'.repeat(129), 'v')).rejects.toMatchObject({
      name: 'InvalidInput',
      message: expect.stringContaining('between 1 and 128') as string,
    });
    await expect(tag('Name', 'v'.repeat(257))).rejects.toMatchObject({
      name: 'InvalidInput',
      message: expect.stringContaining('less than or equal to 256') as string,
    });
    expect([...r53.healthChecks.get(HealthCheck.Id)!.tags.keys()]).toEqual(['k'.repeat(128)]);
  });
});

// "HealthCheckObservations: A list that contains one HealthCheckObservation element for each
// Amazon Route 53 health checker that is reporting a status about the health check endpoint."
// https://docs.aws.amazon.com/Route53/latest/APIReference/API_GetHealthCheckStatus.html
// "New health checks must propagate to Route 53 health checkers before the health check status
// and last failure reason appear": https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/health-checks-view-status.html
// and until there is enough data, Route 53 counts the new check healthy:
// https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-determining-health-of-endpoints.html
describe('GetHealthCheckStatus of a new health check', () => {
  const observations = async (id: string) =>
    (
      (await r53.send(
        new GetHealthCheckStatusCommand({ HealthCheckId: id }),
      )) as GetHealthCheckStatusCommandOutput
    ).HealthCheckObservations?.map((o) => o.StatusReport?.Status?.split(':')[0]);

  it('lists no observation until its checkers report, then theirs', async () => {
    const { HealthCheck } = await createCheck('ref-4');
    expect(await observations(HealthCheck.Id)).toEqual([]);
    r53.report(HealthCheck.Id);
    expect(await observations(HealthCheck.Id)).toEqual(['Success', 'Success', 'Success']);
  });

  it('lists the failures of a check its checkers report down', async () => {
    const { HealthCheck } = await createCheck('ref-5');
    r53.unhealthy.add(HealthCheck.Id);
    expect(await observations(HealthCheck.Id)).toEqual(['Failure', 'Failure', 'Failure']);
    r53.unhealthy.delete(HealthCheck.Id);
    expect(await observations(HealthCheck.Id)).toEqual(['Success', 'Success', 'Success']);
  });
});

// https://docs.aws.amazon.com/Route53/latest/APIReference/API_GetHostedZone.html#API_GetHostedZone_RequestSyntax
// (Id: "Length Constraints: Maximum length of 32."; the same for ListResourceRecordSets and
// ChangeResourceRecordSets). Route 53 answers "InvalidInput: 1 validation error detected: ...
// Member must have length less than or equal to 32", status 400.
describe('hosted zone ids', () => {
  it('refuses an id over 32 characters with InvalidInput, not NoSuchHostedZone', async () => {
    const long = `Z${'A'.repeat(32)}`;
    for (const send of [
      () => r53.send(new GetHostedZoneCommand({ Id: long })),
      () => r53.send(new ListResourceRecordSetsCommand({ HostedZoneId: long })),
      () =>
        r53.send(
          new ChangeResourceRecordSetsCommand({
            HostedZoneId: `/hostedzone/${long}`,
            ChangeBatch: {
              Changes: [{ Action: 'CREATE', ResourceRecordSet: txt('a.example.com', ['"a"']) }],
            },
          }),
        ),
    ]) {
      await expect(send()).rejects.toMatchObject({
        name: 'InvalidInput',
        message: expect.stringContaining('less than or equal to 32') as string,
      });
    }
    await expect(r53.send(new GetHostedZoneCommand({ Id: `Z${'A'.repeat(31)}` }))).rejects.toMatchObject({
      name: 'NoSuchHostedZone',
    });
  });
});
