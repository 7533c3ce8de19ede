import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type {
  BuildFailures,
  BuildQueue,
  BuildRequest,
  UnreadableMessage,
} from '../reconcile/needs-builder.ts';

/** The one message group of the build queue: one batch at a time, in order, for the whole account. */
export const BUILD_GROUP = 'builder';

/** SendMessageBatch takes at most ten entries. */
const ENTRIES_PER_CALL = 10;

/** The builder's SQS FIFO queue: one message per chain, all in one message group. */
export class SqsBuildQueue implements BuildQueue {
  constructor(
    private readonly client: Pick<SQSClient, 'send'>,
    private readonly queueUrl: string,
  ) {}

  async request(requests: readonly BuildRequest[]): Promise<string[]> {
    const failed: string[] = [];
    for (let start = 0; start < requests.length; start += ENTRIES_PER_CALL) {
      const entries = requests.slice(start, start + ENTRIES_PER_CALL);
      const { Failed } = await this.client.send(
        new SendMessageBatchCommand({
          QueueUrl: this.queueUrl,
          Entries: entries.map((request, index) => ({
            Id: String(index),
            MessageBody: JSON.stringify({ name: request.name }),
            MessageGroupId: BUILD_GROUP,
            MessageDeduplicationId: request.deduplicationId,
          })),
        }),
      );
      for (const failure of Failed ?? []) failed.push(entries[Number(failure.Id)]!.name);
    }
    return failed;
  }
}

/**
 * The build queue's dead-letter queue, written to by the builder itself: SQS moves a message there
 * only after `maxReceiveCount` receives, and has no call that moves one message, so the builder
 * sends a message it can never read there and acknowledges it. Its id is the message's own, so a
 * redelivery of the same message is parked once.
 */
export class SqsBuildFailures implements BuildFailures {
  constructor(
    private readonly client: Pick<SQSClient, 'send'>,
    private readonly queueUrl: string,
  ) {}

  async park(message: UnreadableMessage): Promise<void> {
    const { Failed } = await this.client.send(
      new SendMessageBatchCommand({
        QueueUrl: this.queueUrl,
        Entries: [
          {
            Id: '0',
            MessageBody: message.body,
            MessageGroupId: BUILD_GROUP,
            MessageDeduplicationId: message.messageId,
          },
        ],
      }),
    );
    const failure = Failed?.[0];
    if (failure)
      throw new Error(`message ${message.messageId} not parked: ${failure.Code} ${failure.Message ?? ''}`);
  }
}
