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
 * fewer than 100 printable ASCII characters, a message of at most 256 KB, and with
 * MessageStructure json a message whose JSON has a `default` key. It keeps each message as subscribers of each protocol would see it.
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
    const problems = publishProblems(input.Subject, input.Message ?? '');
    if (problems.length > 0) throw new InvalidParameterException({ ...meta, message: problems.join('; ') });
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

// Subject: "must be ASCII text that begins with a letter, number, or punctuation mark; must not
// include line breaks or control characters; and must be less than 100 characters long."
// Message: "at most 256 KB in size (262,144 bytes, not 262,144 characters)".
// https://docs.aws.amazon.com/sns/latest/api/API_Publish.html
const MAX_SUBJECT = 99;
const MAX_MESSAGE_BYTES = 262_144;

/** Why SNS would refuse a Publish's subject or message (empty when it accepts them). */
function publishProblems(subject: string | undefined, message: string): string[] {
  const problems: string[] = [];
  if (subject !== undefined) {
    if (subject.length === 0 || subject.length > MAX_SUBJECT)
      problems.push(`Subject must be 1 to ${MAX_SUBJECT} characters (got ${subject.length})`);
    if (!/^[\x20-\x7e]*$/.test(subject))
      problems.push('Subject must be printable ASCII, without line breaks or control characters');
    else if (/^\s/.test(subject))
      problems.push('Subject must begin with a letter, number, or punctuation mark');
  }
  const bytes = Buffer.byteLength(message, 'utf8');
  if (bytes > MAX_MESSAGE_BYTES)
    problems.push(`Message too long: ${bytes} bytes, at most ${MAX_MESSAGE_BYTES} allowed`);
  return problems;
}
