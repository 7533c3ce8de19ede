import { PublishCommand, type MessageAttributeValue } from '@aws-sdk/client-sns';
import { describe, expect, it } from 'vitest';
import { matchesFilterPolicy } from '../../local/sns-filter-policy.ts';
import { SnsStandIn } from '../../local/sns-stand-in.ts';

const topic = 'arn:aws:sns:us-east-1:000000000000:t';
const refused = { name: 'InvalidParameterException' };
const publish = (MessageAttributes: Record<string, MessageAttributeValue>, Message = 'hello') => {
  const sns = new SnsStandIn();
  sns.addTopic(topic);
  return sns.send(new PublishCommand({ TopicArn: topic, Message, MessageAttributes }));
};
const str = (StringValue: string): MessageAttributeValue => ({ DataType: 'String', StringValue });

// "Name, type, and value must not be empty or null. ... All parts of the message attribute,
// including name, type, and value, are included in the message size restriction, which is
// 256 KiB (262,144 bytes)". https://docs.aws.amazon.com/sns/latest/api/API_MessageAttributeValue.html
describe('SNS message attributes: values and size', () => {
  it('refuses an empty string value and accepts a one-character one', async () => {
    await publish({ tier: str('a') });
    await expect(publish({ tier: str('') })).rejects.toMatchObject(refused);
  });

  it('counts attribute names, types and values against 262,144 bytes', async () => {
    // 'chain' (5) + 'String' (6) + value (10) = 21 bytes of attribute.
    await publish({ chain: str('v'.repeat(10)) }, 'x'.repeat(262_144 - 21));
    await expect(publish({ chain: str('v'.repeat(10)) }, 'x'.repeat(262_144 - 20))).rejects.toMatchObject(
      refused,
    );
  });
});

// Names: "A-Z, a-z, 0-9, underscore (_), hyphen (-), and period (.)"; not starting or ending with
// a period, no consecutive periods; up to 256 characters; not starting with "AWS." or "Amazon.".
// Types: String, String.Array, Number, Binary. https://docs.aws.amazon.com/sns/latest/dg/sns-message-attributes.html
describe('SNS message attributes: names and types', () => {
  it('accepts the documented characters and 256-character names', async () => {
    await publish({ 'alert_Id-2.x': str('v'), ['n'.repeat(256)]: str('v') });
  });

  it.each([['bad name'], ['.lead'], ['trail.'], ['two..dots'], ['n'.repeat(257)], ['AWS.x'], ['amazon.x']])(
    'refuses the name %s',
    async (name) => {
      await expect(publish({ [name]: str('v') })).rejects.toMatchObject(refused);
    },
  );

  it('accepts String, String.Array, Number and a custom label; refuses other types', async () => {
    await publish({
      a: str('v'),
      b: { DataType: 'String.Array', StringValue: '["x"]' },
      c: { DataType: 'Number', StringValue: '1' },
      d: { DataType: 'String.tier', StringValue: 'v' },
    });
    await expect(publish({ a: { DataType: 'Text', StringValue: 'v' } })).rejects.toMatchObject(refused);
  });
});

// "Keys in the JSON object that correspond to supported transport protocols must have simple JSON
// string values"; "Non-string values will cause the key to be ignored". https://docs.aws.amazon.com/sns/latest/api/API_Publish.html
describe('SNS MessageStructure json', () => {
  it('delivers each protocol its own string and ignores non-string values', async () => {
    const sns = new SnsStandIn();
    sns.addTopic(topic);
    await sns.send(
      new PublishCommand({
        TopicArn: topic,
        MessageStructure: 'json',
        Message: JSON.stringify({ default: 'plain', sqs: '{"a":1}', https: '{"b":2}', lambda: { c: 3 } }),
      }),
    );
    expect(sns.published[0]).toMatchObject({ text: 'plain', json: { a: 1 }, chat: { b: 2 } });
    expect(sns.published[0]?.protocols).toEqual({ default: 'plain', sqs: '{"a":1}', https: '{"b":2}' });
  });
});

// Exact string matching; AND across keys, OR within a key's list; a message without the attribute
// does not match. https://docs.aws.amazon.com/sns/latest/dg/string-value-matching.html
// https://docs.aws.amazon.com/sns/latest/dg/and-or-logic.html
describe('SNS filter policies (exact strings)', () => {
  const policy = { event: ['ALL_TIERS_DOWN', 'TIER_CHANGED'] };

  it('matches exactly one of the listed strings, case and all', () => {
    expect(matchesFilterPolicy(policy, { event: 'TIER_CHANGED' })).toBe(true);
    expect(matchesFilterPolicy(policy, { event: 'tier_changed' })).toBe(false);
    expect(matchesFilterPolicy(policy, { event: 'RECOVERED' })).toBe(false);
  });

  it('needs every key to match, and a missing attribute never matches', () => {
    const both = { ...policy, severity: ['critical'] };
    expect(matchesFilterPolicy(both, { event: 'ALL_TIERS_DOWN', severity: 'critical' })).toBe(true);
    expect(matchesFilterPolicy(both, { event: 'ALL_TIERS_DOWN', severity: 'warning' })).toBe(false);
    expect(matchesFilterPolicy(both, { event: 'ALL_TIERS_DOWN' })).toBe(false);
  });

  it('refuses operators it does not rehearse instead of guessing', () => {
    expect(() => matchesFilterPolicy({ event: [{ prefix: 'TIER' }] }, { event: 'TIER_CHANGED' })).toThrow(
      /only lists of exact strings/,
    );
  });
});

// Publish's errors include NotFound, "Indicates that the requested resource does not exist"
// (HTTP 404): a topic that was deleted, or never made. https://docs.aws.amazon.com/sns/latest/api/API_Publish.html
describe('SNS topics', () => {
  it('refuses to publish to a deleted topic with NotFound, and accepts again once it exists', async () => {
    const sns = new SnsStandIn();
    sns.addTopic(topic);
    sns.removeTopic(topic);
    const message = new PublishCommand({ TopicArn: topic, Message: 'hello' });
    await expect(sns.send(message)).rejects.toMatchObject({ name: 'NotFoundException' });
    sns.addTopic(topic);
    await sns.send(message);
    expect(sns.published).toHaveLength(1);
  });
});
