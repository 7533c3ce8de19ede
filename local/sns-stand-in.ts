import {
  InvalidParameterException,
  NotFoundException,
  PublishCommand,
  type MessageAttributeValue,
} from '@aws-sdk/client-sns';

const meta = { $metadata: {} };

/** One message as a subscriber of a given protocol would receive it. */
export interface PublishedMessage {
  topicArn: string;
  subject?: string;
  /** The text an email subscriber gets. */
  text: string;
  /** The document SQS, Lambda and HTTPS subscribers get, parsed. */
  json: unknown;
  attributes: Record<string, string>;
}

/**
 * An in-memory SNS topic store that enforces what Publish checks: a known topic, a subject of
 * at most 100 printable characters, and with MessageStructure json a message whose JSON has a
 * `default` key. It keeps each message as subscribers of each protocol would see it.
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

  async send(command: object): Promise<unknown> {
    this.calls.push(command.constructor.name);
    await Promise.resolve();
    if (!(command instanceof PublishCommand))
      throw new Error(`SnsStandIn: ${command.constructor.name} is not supported`);
    const input = command.input;
    if (!input.TopicArn || !this.topics.has(input.TopicArn)) {
      throw new NotFoundException({ ...meta, message: `Topic does not exist: ${input.TopicArn ?? ''}` });
    }
    if (
      input.Subject !== undefined &&
      (input.Subject.length > 100 || !/^[\x20-\x7e]*$/.test(input.Subject))
    ) {
      throw new InvalidParameterException({
        ...meta,
        message: 'Subject must be at most 100 printable ASCII characters',
      });
    }
    let text = input.Message ?? '';
    let json: unknown = undefined;
    if (input.MessageStructure === 'json') {
      const parsed = JSON.parse(text) as Record<string, unknown>;
      if (typeof parsed.default !== 'string') {
        throw new InvalidParameterException({
          ...meta,
          message: 'Message Structure - No default entry in JSON message body',
        });
      }
      text = typeof parsed.email === 'string' ? parsed.email : parsed.default;
      json = JSON.parse(typeof parsed.sqs === 'string' ? parsed.sqs : parsed.default);
    }
    const message: PublishedMessage = {
      topicArn: input.TopicArn,
      ...(input.Subject === undefined ? {} : { subject: input.Subject }),
      text,
      json,
      attributes: attributes(input.MessageAttributes),
    };
    this.published.push(message);
    for (const listener of this.listeners) listener(message);
    return { ...meta, MessageId: String(this.published.length) };
  }
}

function attributes(input: Record<string, MessageAttributeValue> | undefined): Record<string, string> {
  return Object.fromEntries(
    Object.entries(input ?? {}).map(([key, value]) => [key, value.StringValue ?? '']),
  );
}
