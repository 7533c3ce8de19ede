import {
  ChangeResourceRecordSetsCommand,
  CreateHealthCheckCommand,
  DeleteHealthCheckCommand,
  GetAccountLimitCommand,
  GetHostedZoneLimitCommand,
  type ResourceRecordSet,
} from '@aws-sdk/client-route-53';
import { PutMetricAlarmCommand } from '@aws-sdk/client-cloudwatch';
import { beforeEach, describe, expect, it } from 'vitest';
import { CloudWatchStandIn } from '../../local/cloudwatch-stand-in.ts';
import { Route53StandIn } from '../../local/route53-stand-in.ts';
import { route53Client } from '../../local/sdk-over-stand-in.ts';

const ZONE = 'ZQUOTA';
let r53: Route53StandIn;
// Through a real SDK client, as the adapters call it: the commands must route and serialise.
let client: ReturnType<typeof route53Client>;

const txt = (name: string): ResourceRecordSet => ({
  Name: name,
  Type: 'TXT',
  TTL: 60,
  ResourceRecords: [{ Value: '"x"' }],
});
const create = (...names: string[]) =>
  client.send(
    new ChangeResourceRecordSetsCommand({
      HostedZoneId: ZONE,
      ChangeBatch: { Changes: names.map((name) => ({ Action: 'CREATE', ResourceRecordSet: txt(name) })) },
    }),
  );
const createCheck = (CallerReference: string) =>
  client.send(
    new CreateHealthCheckCommand({
      CallerReference,
      HealthCheckConfig: { Type: 'HTTP', IPAddress: '8.8.8.8', Port: 80 },
    }),
  );

beforeEach(() => {
  r53 = new Route53StandIn({ quotas: { healthChecks: 2, recordsPerZone: 3 } });
  r53.addZone(ZONE, 'example.com');
  client = route53Client(r53, { maxAttempts: 1, fixedDelayMs: 1 });
});

// https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/DNSLimitations.html#limits-api-entities
describe('default quotas', () => {
  it('are 200 health checks an account and 10,000 records a zone', async () => {
    const plain = route53Client(new Route53StandIn(), { maxAttempts: 1, fixedDelayMs: 1 });
    const checks = await plain.send(new GetAccountLimitCommand({ Type: 'MAX_HEALTH_CHECKS_BY_OWNER' }));
    expect(checks.Limit).toEqual({ Type: 'MAX_HEALTH_CHECKS_BY_OWNER', Value: 200 });
  });
});

// https://docs.aws.amazon.com/Route53/latest/APIReference/API_CreateHealthCheck.html#API_CreateHealthCheck_Errors
describe('CreateHealthCheck past the health check quota', () => {
  it('answers TooManyHealthChecks, and creates once a check is deleted or the quota raised', async () => {
    const first = await createCheck('a');
    await createCheck('b');
    await expect(createCheck('c')).rejects.toMatchObject({ name: 'TooManyHealthChecks' });
    expect(r53.healthChecks.size).toBe(2);

    await client.send(new DeleteHealthCheckCommand({ HealthCheckId: first.HealthCheck!.Id! }));
    await createCheck('c');
    r53.quotas.healthChecks = 4;
    await createCheck('d');
    expect(r53.healthChecks.size).toBe(3);
  });

  it('still answers a repeated CallerReference with the existing check at the quota (idempotent)', async () => {
    const a = await createCheck('a');
    await createCheck('b');
    expect((await createCheck('a')).HealthCheck!.Id).toBe(a.HealthCheck!.Id);
  });
});

// https://docs.aws.amazon.com/Route53/latest/APIReference/API_GetAccountLimit.html
describe('GetAccountLimit', () => {
  it('returns Limit {Type, Value} and Count, the health checks the account holds', async () => {
    await createCheck('a');
    const answer = await client.send(new GetAccountLimitCommand({ Type: 'MAX_HEALTH_CHECKS_BY_OWNER' }));
    expect({ Limit: answer.Limit, Count: answer.Count }).toEqual({
      Limit: { Type: 'MAX_HEALTH_CHECKS_BY_OWNER', Value: 2 },
      Count: 1,
    });
  });

  it('answers the other documented types, and InvalidInput for an unknown one', async () => {
    const zones = await client.send(new GetAccountLimitCommand({ Type: 'MAX_HOSTED_ZONES_BY_OWNER' }));
    expect({ Limit: zones.Limit, Count: zones.Count }).toEqual({
      Limit: { Type: 'MAX_HOSTED_ZONES_BY_OWNER', Value: 500 },
      Count: 1,
    });
    await expect(
      client.send(new GetAccountLimitCommand({ Type: 'MAX_CHECKS' as 'MAX_HOSTED_ZONES_BY_OWNER' })),
    ).rejects.toMatchObject({ name: 'InvalidInput' });
  });
});

// https://docs.aws.amazon.com/Route53/latest/APIReference/API_GetHostedZoneLimit.html
describe('GetHostedZoneLimit', () => {
  it('returns MAX_RRSETS_BY_ZONE with the records the zone holds', async () => {
    await create('a.example.com');
    const answer = await client.send(
      new GetHostedZoneLimitCommand({ HostedZoneId: ZONE, Type: 'MAX_RRSETS_BY_ZONE' }),
    );
    expect({ Limit: answer.Limit, Count: answer.Count }).toEqual({
      Limit: { Type: 'MAX_RRSETS_BY_ZONE', Value: 3 },
      Count: 1,
    });
  });

  it('answers NoSuchHostedZone for an unknown zone and HostedZoneNotPrivate for VPCs of a public one', async () => {
    await expect(
      client.send(new GetHostedZoneLimitCommand({ HostedZoneId: 'ZNONE', Type: 'MAX_RRSETS_BY_ZONE' })),
    ).rejects.toMatchObject({ name: 'NoSuchHostedZone' });
    await expect(
      client.send(new GetHostedZoneLimitCommand({ HostedZoneId: ZONE, Type: 'MAX_VPCS_ASSOCIATED_BY_ZONE' })),
    ).rejects.toMatchObject({ name: 'HostedZoneNotPrivate' });
  });
});

// https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/DNSLimitations.html#limits-api-entities-records
// (ChangeResourceRecordSets documents InvalidChangeBatch for a batch it refuses:
// https://docs.aws.amazon.com/Route53/latest/APIReference/API_ChangeResourceRecordSets.html#API_ChangeResourceRecordSets_Errors)
describe('records per hosted zone', () => {
  it('refuses, whole, a batch that would take the zone past its quota', async () => {
    await create('a.example.com', 'b.example.com');
    await expect(create('c.example.com', 'd.example.com')).rejects.toMatchObject({
      name: 'InvalidChangeBatch',
      message: expect.stringContaining('over its limit of 3 records') as string,
    });
    expect(r53.records(ZONE).map((r) => r.Name)).toEqual(['a.example.com.', 'b.example.com.']);
    await create('c.example.com');
    expect(r53.records(ZONE)).toHaveLength(3);
  });
});

// "Alarms: ... No limit on the total number of alarms per account."
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch_limits.html
describe('CloudWatch alarms', () => {
  it('have no count quota: the stand-in accepts alarm after alarm', async () => {
    const cloudwatch = new CloudWatchStandIn();
    for (let i = 0; i < 300; i++) {
      await cloudwatch.send(
        new PutMetricAlarmCommand({
          AlarmName: `a${i}`,
          Namespace: 'AWS/Route53',
          MetricName: 'HealthCheckStatus',
          Statistic: 'Minimum',
          Period: 60,
          EvaluationPeriods: 1,
          Threshold: 1,
          ComparisonOperator: 'LessThanThreshold',
        }),
      );
    }
    expect(cloudwatch.alarms.size).toBe(300);
  });
});
