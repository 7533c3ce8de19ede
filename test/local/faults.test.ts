import { PutMetricAlarmCommand } from '@aws-sdk/client-cloudwatch';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { ChangeResourceRecordSetsCommand, GetHostedZoneCommand, type Change } from '@aws-sdk/client-route-53';
import { PublishCommand } from '@aws-sdk/client-sns';
import { afterEach, describe, expect, it } from 'vitest';
import { CloudWatchStandIn } from '../../local/cloudwatch-stand-in.ts';
import { FaultPlan, faultError, withFaults } from '../../local/faults.ts';
import type { LocalWorld } from '../../local/local-world.ts';
import { Route53StandIn } from '../../local/route53-stand-in.ts';
import { cloudWatchClient, route53Client, snsClient } from '../../local/sdk-over-stand-in.ts';
import { SnsStandIn } from '../../local/sns-stand-in.ts';
import { reconcile } from '../../shared/reconcile/reconcile.ts';
import { seedRow } from '../fixtures/chains.ts';
import { makeWorld } from '../fixtures/world.ts';

const ZONE = 'ZFAULTS';
const TOPIC = 'arn:aws:sns:us-east-1:000000000000:t';
const create: Change = {
  Action: 'CREATE',
  ResourceRecordSet: { Name: 'a.example.com', Type: 'TXT', TTL: 60, ResourceRecords: [{ Value: '"x"' }] },
};
const batch = () =>
  new ChangeResourceRecordSetsCommand({ HostedZoneId: ZONE, ChangeBatch: { Changes: [create] } });

function services(plan: FaultPlan) {
  const r53 = new Route53StandIn();
  r53.addZone(ZONE, 'example.com');
  const sns = new SnsStandIn();
  sns.addTopic(TOPIC);
  const retry = { maxAttempts: 3, fixedDelayMs: 0 };
  return {
    r53,
    sns,
    route53: withFaults(route53Client(r53, retry), 'route53', plan),
    cloudwatch: withFaults(cloudWatchClient(new CloudWatchStandIn(), retry), 'cloudwatch', plan),
    snsClient: withFaults(snsClient(sns, retry), 'sns', plan),
    /** The stand-in itself, wrapped: no SDK underneath, so no retries. */
    rawRoute53: withFaults(r53, 'route53', plan),
  };
}

const alarm = new PutMetricAlarmCommand({
  AlarmName: 'a',
  Namespace: 'AWS/Route53',
  MetricName: 'HealthCheckStatus',
  Statistic: 'Minimum',
  Period: 60,
  EvaluationPeriods: 1,
  Threshold: 1,
  ComparisonOperator: 'LessThanThreshold',
});

describe('fault injection and call recording', () => {
  it('numbers calls across clients with one counter and records each attempt', async () => {
    const plan = new FaultPlan();
    const s = services(plan);
    await s.route53.send(new GetHostedZoneCommand({ Id: ZONE }));
    await s.cloudwatch.send(alarm);
    await s.snsClient.send(new PublishCommand({ TopicArn: TOPIC, Message: 'm' }));
    await s.rawRoute53.send(batch());
    expect(plan.callCount).toBe(4);
    expect(plan.calls.map((c) => `${c.index} ${c.service} ${c.command} ${c.attempt}`)).toEqual([
      '0 route53 GetHostedZoneCommand 1',
      '1 cloudwatch PutMetricAlarmCommand 1',
      '2 sns PublishCommand 1',
      '3 route53 ChangeResourceRecordSetsCommand 1',
    ]);
  });

  it('throttles the chosen call; the SDK retries it under the same number', async () => {
    const plan = new FaultPlan([{ at: 1, kind: 'throttle' }]);
    const s = services(plan);
    await s.route53.send(new GetHostedZoneCommand({ Id: ZONE }));
    await s.snsClient.send(new PublishCommand({ TopicArn: TOPIC, Message: 'm' }));
    expect(plan.calls.map((c) => `${c.index} ${c.command} ${c.attempt} ${c.fault ?? '-'}`)).toEqual([
      '0 GetHostedZoneCommand 1 -',
      '1 PublishCommand 1 throttle',
      '1 PublishCommand 2 -',
    ]);
    expect(s.sns.published).toHaveLength(1);
  });

  it('lets a fault outlast the retries when told to, so the caller sees it', async () => {
    const plan = new FaultPlan([{ at: 0, kind: 'prior-request', attempts: 3 }]);
    const s = services(plan);
    await expect(s.route53.send(batch())).rejects.toMatchObject({ name: 'PriorRequestNotComplete' });
    expect(plan.calls).toHaveLength(3);
    expect(s.r53.records(ZONE)).toEqual([]);
  });

  it('refuses without retry', async () => {
    const plan = new FaultPlan([{ at: 0, kind: 'refused' }]);
    const s = services(plan);
    await expect(s.route53.send(batch())).rejects.toMatchObject({ name: 'AccessDenied' });
    expect(plan.calls).toHaveLength(1);
  });

  it('applies a write whose reply is lost: the caller sees a reset, Route 53 holds the record', async () => {
    const plan = new FaultPlan([{ at: 0, kind: 'reply-lost' }]);
    const s = services(plan);
    await expect(s.rawRoute53.send(batch())).rejects.toMatchObject({ code: 'ECONNRESET' });
    expect(s.r53.records(ZONE).map((r) => r.Name)).toEqual(['a.example.com.']);
  });

  it('through the SDK, a lost reply is retried as AWS would: the CREATE is sent again and refused', async () => {
    const plan = new FaultPlan([{ at: 0, kind: 'reply-lost' }]);
    const s = services(plan);
    await expect(s.route53.send(batch())).rejects.toMatchObject({
      name: 'InvalidChangeBatch',
      message: expect.stringContaining('already exists') as string,
    });
    expect(plan.calls.map((c) => c.fault ?? '-')).toEqual(['reply-lost', '-']);
    expect(s.r53.batches).toHaveLength(1);
  });

  it('shapes errors like each service', () => {
    expect(faultError('route53', 'throttle')).toMatchObject({
      name: 'Throttling',
      $metadata: { httpStatusCode: 400 },
    });
    expect(faultError('cloudwatch', 'throttle')).toMatchObject({ name: 'Throttling' });
    expect(faultError('sns', 'throttle')).toMatchObject({
      name: 'ThrottledException',
      $metadata: { httpStatusCode: 429 },
    });
    expect(faultError('dynamodb', 'throttle')).toMatchObject({ name: 'ThrottlingException' });
    expect(faultError('sns', 'server-error')).toMatchObject({ name: 'ServiceUnavailable', $fault: 'server' });
  });
});

describe('a local world with a fault plan', () => {
  let world: LocalWorld | undefined;
  afterEach(() => world?.destroy());

  it("counts a reconcile's calls to every service, DynamoDB included, then fails the one chosen", async () => {
    const counted = new FaultPlan();
    world = await makeWorld({ faults: counted });
    await world.chains.put(seedRow());
    await reconcile(seedRow().name as string, world.deps);
    const services = new Set(counted.calls.map((c) => c.service));
    expect([...services].sort()).toEqual(['cloudwatch', 'dynamodb', 'route53']);
    const at = counted.calls.findIndex((c) => c.command === 'ChangeResourceRecordSetsCommand');
    world.destroy();

    const refused = new FaultPlan([{ at, kind: 'refused' }]);
    world = await makeWorld({ faults: refused });
    await world.chains.put(seedRow());
    await expect(reconcile(seedRow().name as string, world.deps)).rejects.toMatchObject({
      name: 'AccessDenied',
    });
    expect(refused.injected.map((c) => c.command)).toEqual(['ChangeResourceRecordSetsCommand']);
    // The test's own client is not part of the plan.
    const recorded = refused.calls.length;
    await world.dynamodb.send(
      new GetItemCommand({ TableName: world.tables.chains, Key: { name: { S: 'x' } } }),
    );
    expect(refused.calls).toHaveLength(recorded);
  });
});
