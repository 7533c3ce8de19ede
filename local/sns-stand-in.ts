import {
  InvalidParameterException,
  NotFoundException,
  PublishCommand,
  type MessageAttributeValue,
} from '@aws-sdk/client-sns';
import { matchesFilterPolicy, type FilterPolicy } from './sns-filter-policy.ts';
import { publishProblems } from './sns-rules.ts';

const meta = { $metadata: {} };

/** One message as a subscriber of a given protocol would receive it. */
export interface PublishedMessage {
  topicArn: string;
  subject?: string;
  /** The text an email subscriber gets. */
  text: string;
  /** The document SQS and Lambda subscribers get, parsed (undefined when it is not JSON). */
  json: unknown;
  /** The document an HTTPS subscriber (Amazon Q Developer in chat applications) gets, parsed. */
  chat?: unknown;
  /** The raw string each protocol key of a MessageStructure json message carried. */
  protocols: Record<string, string>;
  attributes: Record<string, string>;
}

/**
 * An in-memory SNS topic store that enforces what Publish checks (sns-rules.ts): a known topic, a
 * subject of fewer than 100 printable ASCII characters, at most 256 KB of message and attributes,
 * attribute names, types and non-empty values, and with MessageStructure json a `default` key. It
 * keeps each message as subscribers of each protocol would see it, and delivers to subscriptions
 * through their filter policies.
 */
export class SnsStandIn {
  readonly published: PublishedMessage[] = [];
  readonly calls: string[] = [];
  private readonly topics = new Set<string>();
  private readonly listeners: ((message: PublishedMessage) => void)[] = [];

  /** Be told of every message published (local mode prints them). */
  onPublish(listener: (message: PublishedMessage) => void): void {
    this.listeners.push(listener);
  }

  addTopic(arn: string): void {
    this.topics.add(arn);
  }

  /** DeleteTopic: publishing to it fails with NotFound until it is added again (a test's SNS outage). */
  removeTopic(arn: string): void {
    this.topics.delete(arn);
  }

  /** A subscription to a topic: the returned list fills with the messages its filter policy lets through. */
  subscribe(topicArn: string, filterPolicy?: FilterPolicy): PublishedMessage[] {
    const received: PublishedMessage[] = [];
    this.onPublish((message) => {
      if (message.topicArn !== topicArn) return;
      if (!filterPolicy || matchesFilterPolicy(filterPolicy, message.attributes)) received.push(message);
    });
    return received;
  }

  async send(command: object): Promise<unknown> {
    this.calls.push(command.constructor.name);
    await Promise.resolve();
    if (!(command instanceof PublishCommand))
      throw new Error(`SnsStandIn: ${command.constructor.name} is not supported`);
    const input = command.input;
    if (!input.TopicArn || !this.topics.has(input.TopicArn)) {
      throw new NotFoundException({ ...meta, message: `Topic does not exist: ${input.TopicArn ?? ''}` });
    }
    const problems = publishProblems(input.Subject, input.Message ?? '', input.MessageAttributes);
    if (problems.length > 0) throw new InvalidParameterException({ ...meta, message: problems.join('; ') });
    const protocols = input.MessageStructure === 'json' ? perProtocol(input.Message ?? '') : {};
    const text =
      input.MessageStructure === 'json' ? (protocols.email ?? protocols.default!) : (input.Message ?? '');
    const fallback = protocols.default ?? text;
    const message: PublishedMessage = {
      topicArn: input.TopicArn,
      ...(input.Subject === undefined ? {} : { subject: input.Subject }),
      text,
      json: parseOrUndefined(protocols.sqs ?? fallback),
      ...(protocols.https === undefined ? {} : { chat: parseOrUndefined(protocols.https) }),
      protocols,
      attributes: attributes(input.MessageAttributes),
    };
    this.published.push(message);
    for (const listener of this.listeners) listener(message);
    return { ...meta, MessageId: String(this.published.length) };
  }
}

// "Keys in the JSON object that correspond to supported transport protocols must have simple JSON
// string values"; "Non-string values will cause the key to be ignored"; a `default` key is required.
// https://docs.aws.amazon.com/sns/latest/api/API_Publish.html
function perProtocol(message: string): Record<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(message);
  } catch {
    throw new InvalidParameterException({
      ...meta,
      message: 'Message Structure - JSON message body failed to parse',
    });
  }
  const entries = Object.entries(parsed as Record<string, unknown>).filter(
    (entry): entry is [string, string] => typeof entry[1] === 'string',
  );
  const protocols = Object.fromEntries(entries);
  if (protocols.default === undefined) {
    throw new InvalidParameterException({
      ...meta,
      message: 'Message Structure - No default entry in JSON message body',
    });
  }
  return protocols;
}

function parseOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function attributes(input: Record<string, MessageAttributeValue> | undefined): Record<string, string> {
  return Object.fromEntries(
    Object.entries(input ?? {}).map(([key, value]) => [key, value.StringValue ?? '']),
  );
}
