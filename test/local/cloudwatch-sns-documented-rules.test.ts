import { PutMetricAlarmCommand, TagResourceCommand, type Tag } from '@aws-sdk/client-cloudwatch';
import { PublishCommand } from '@aws-sdk/client-sns';
import { describe, expect, it } from 'vitest';
import { CloudWatchStandIn } from '../../local/cloudwatch-stand-in.ts';
import { SnsStandIn } from '../../local/sns-stand-in.ts';

const alarm = (AlarmName: string, Tags: Tag[]) =>
  new PutMetricAlarmCommand({
    AlarmName,
    Namespace: 'AWS/Route53',
    MetricName: 'HealthCheckStatus',
    Statistic: 'Minimum',
    Period: 60,
    EvaluationPeriods: 1,
    Threshold: 1,
    ComparisonOperator: 'LessThanThreshold',
    Tags,
  });

// https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_Tag.html
describe('CloudWatch alarm tags', () => {
  it('PutMetricAlarm accepts a 128-character key and 256-character value, refuses longer ones', async () => {
    const cloudwatch = new CloudWatchStandIn();
    await cloudwatch.send(alarm('ok', [{ Key: 'k'.repeat(128), Value: 'v'.repeat(256) }]));
    expect(cloudwatch.tags.get('ok')?.get('k'.repeat(128))).toHaveLength(256);
    await expect(
      cloudwatch.send(alarm('long-key', [{ Key: 'k'.repeat(129), Value: 'v' }])),
    ).rejects.toMatchObject({
      name: 'InvalidParameterValueException',
      message: expect.stringContaining('between 1 and 128') as string,
    });
    await expect(
      cloudwatch.send(alarm('long-value', [{ Key: 'Name', Value: 'v'.repeat(257) }])),
    ).rejects.toMatchObject({ name: 'InvalidParameterValueException' });
    expect([...cloudwatch.alarms.keys()]).toEqual(['ok']);
  });

  it('TagResource refuses a value over 256 characters and leaves the tags as they were', async () => {
    const cloudwatch = new CloudWatchStandIn();
    await cloudwatch.send(alarm('a', [{ Key: 'Name', Value: 'first' }]));
    const arn = cloudwatch.alarms.get('a')!.AlarmArn!;
    await cloudwatch.send(
      new TagResourceCommand({ ResourceARN: arn, Tags: [{ Key: 'Name', Value: 'second' }] }),
    );
    await expect(
      cloudwatch.send(
        new TagResourceCommand({ ResourceARN: arn, Tags: [{ Key: 'Name', Value: 'v'.repeat(257) }] }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidParameterValueException' });
    expect(cloudwatch.tags.get('a')?.get('Name')).toBe('second');
  });
});

// https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html (an update
// of an existing alarm leaves its state unchanged) and
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_MetricAlarm.html
// (AlarmConfigurationUpdatedTimestamp: the time of the last update to the alarm's configuration).
describe('CloudWatch alarm updates', () => {
  it('PutMetricAlarm on an existing alarm keeps its state and stamps the configuration update', async () => {
    let now = Date.parse('2026-11-25T00:00:00.000Z');
    const cloudwatch = new CloudWatchStandIn(() => new Date(now));
    await cloudwatch.send(alarm('a', []));
    expect(cloudwatch.alarms.get('a')).toMatchObject({
      StateValue: 'INSUFFICIENT_DATA',
      AlarmConfigurationUpdatedTimestamp: new Date(now),
    });
    now += 60_000;
    cloudwatch.setState('a', 'ALARM', 'Threshold Crossed');
    now += 60_000;
    await cloudwatch.send(alarm('a', []));
    expect(cloudwatch.alarms.get('a')).toMatchObject({
      StateValue: 'ALARM',
      StateUpdatedTimestamp: new Date(now - 60_000),
      AlarmConfigurationUpdatedTimestamp: new Date(now),
    });
  });
});

// https://docs.aws.amazon.com/sns/latest/api/API_Publish.html
describe('SNS Publish subject and message', () => {
  const topic = 'arn:aws:sns:us-east-1:000000000000:t';
  const publish = (Subject: string | undefined, Message = 'hello') => {
    const sns = new SnsStandIn();
    sns.addTopic(topic);
    return sns.send(
      new PublishCommand({ TopicArn: topic, Message, ...(Subject === undefined ? {} : { Subject }) }),
    );
  };
  const refused = { name: 'InvalidParameterException' };

  it('accepts a subject of 99 printable ASCII characters and refuses 100', async () => {
    await publish('s'.repeat(99));
    await expect(publish('s'.repeat(100))).rejects.toMatchObject(refused);
  });

  it('refuses line breaks, control characters and non-ASCII in the subject', async () => {
    await expect(publish('down\nnow')).rejects.toMatchObject(refused);
    await expect(publish('down\tnow')).rejects.toMatchObject(refused);
    await expect(publish('site…: down')).rejects.toMatchObject(refused);
  });

  it('accepts a message of 262,144 bytes and refuses one byte more, counting UTF-8 bytes', async () => {
    await publish(undefined, 'x'.repeat(262_144));
    await expect(publish(undefined, 'x'.repeat(262_145))).rejects.toMatchObject(refused);
    // 131,073 two-byte characters: fewer characters than the limit, more bytes.
    await expect(publish(undefined, 'é'.repeat(131_073))).rejects.toMatchObject(refused);
  });
});
