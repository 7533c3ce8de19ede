import { SendMessageBatchCommand, SQSServiceException } from '@aws-sdk/client-sqs';

/** A message as the Lambda SQS mapping delivers it (the fields the builder reads). */
export interface QueuedMessage {
  messageId: string;
  body: string;
  groupId: string;
  deduplicationId: string;
}

/** How long a FIFO queue remembers a deduplication id. */
export const DEDUPLICATION_MS = 5 * 60_000;

const meta = { $metadata: { httpStatusCode: 400 } };
const invalid = (message: string) =>
  new SQSServiceException({ name: 'InvalidParameterValue', $fault: 'client', ...meta, message });

/**
 * An SQS FIFO queue in memory, answering SendMessageBatch as the SQS API reference describes
 * (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessageBatch.html):
 * at most ten entries with distinct ids, each with a MessageGroupId and (without content-based
 * deduplication) a MessageDeduplicationId; a message whose deduplication id was sent in the last
 * 5 minutes is accepted and not delivered again
 * (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/using-messagededuplicationid-property.html).
 * Messages of a group are received in order, and none of a group while another batch of it is
 * in flight (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/FIFO-queues-understanding-logic.html).
 */
export class SqsStandIn {
  readonly calls: string[] = [];
  private readonly waiting: QueuedMessage[] = [];
  private readonly inFlight = new Map<string, QueuedMessage[]>();
  private readonly seen = new Map<string, number>();
  private sequence = 0;
  private queuedSoFar = 0;

  constructor(private readonly clock: () => number = () => Date.now()) {}

  /** Messages queued so far (a repeat the queue dropped is not counted). */
  get queued(): number {
    return this.queuedSoFar;
  }

  /** Messages waiting (not in flight). */
  get depth(): number {
    return this.waiting.length;
  }

  send(command: object): Promise<unknown> {
    this.calls.push(command.constructor.name);
    if (!(command instanceof SendMessageBatchCommand)) {
      return Promise.reject(new Error(`SqsStandIn: ${command.constructor.name} is not supported`));
    }
    const entries = command.input.Entries ?? [];
    if (entries.length === 0 || entries.length > 10) {
      return Promise.reject(invalid('A batch takes 1 to 10 entries (TooManyEntriesInBatchRequest)'));
    }
    if (new Set(entries.map((e) => e.Id)).size !== entries.length) {
      return Promise.reject(invalid('BatchEntryIdsNotDistinct'));
    }
    const now = this.clock();
    const successful = [];
    for (const entry of entries) {
      if (!entry.MessageGroupId || !entry.MessageDeduplicationId) {
        return Promise.reject(invalid('MessageGroupId and MessageDeduplicationId are required'));
      }
      const messageId = `m-${++this.sequence}`;
      const last = this.seen.get(entry.MessageDeduplicationId);
      if (last === undefined || now - last >= DEDUPLICATION_MS) {
        this.seen.set(entry.MessageDeduplicationId, now);
        this.queuedSoFar++;
        this.waiting.push({
          messageId,
          body: entry.MessageBody ?? '',
          groupId: entry.MessageGroupId,
          deduplicationId: entry.MessageDeduplicationId,
        });
      }
      successful.push({ Id: entry.Id, MessageId: messageId });
    }
    return Promise.resolve({ Successful: successful, Failed: [] });
  }

  /** Up to `max` waiting messages of the first group not in flight, in order; they are in flight until settled. */
  receive(max = 10): QueuedMessage[] {
    const group = this.waiting.find((m) => !this.inFlight.has(m.groupId))?.groupId;
    if (group === undefined) return [];
    const batch = this.waiting.filter((m) => m.groupId === group).slice(0, max);
    for (const message of batch) this.waiting.splice(this.waiting.indexOf(message), 1);
    this.inFlight.set(group, batch);
    return batch;
  }

  /** Delete the batch's messages except `failed`, which go back to the front of their group in order. */
  settle(batch: readonly QueuedMessage[], failed: ReadonlySet<string>): void {
    const back = batch.filter((m) => failed.has(m.messageId));
    this.waiting.unshift(...back);
    for (const message of batch) this.inFlight.delete(message.groupId);
  }

  /**
   * The visibility timeout of every batch in flight ran out without a reply (the consumer was
   * stopped): its messages are received again, first in their group.
   */
  expireInFlight(): void {
    for (const batch of this.inFlight.values()) this.waiting.unshift(...batch);
    this.inFlight.clear();
  }
}
