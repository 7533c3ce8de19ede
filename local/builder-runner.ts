import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { QueuedMessage, SqsStandIn } from './sqs-stand-in.ts';

/** The builder's handler as Lambda calls it. */
export type BuilderHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

/** A Lambda context that reports `remainingMs()` as the time left. */
export function lambdaContext(remainingMs: () => number): Context {
  return { getRemainingTimeInMillis: remainingMs } as Context;
}

/** The SQS event Lambda's mapping would deliver for these messages. */
export function sqsEvent(messages: readonly QueuedMessage[]): SQSEvent {
  return {
    Records: messages.map((m) => ({
      messageId: m.messageId,
      receiptHandle: m.messageId,
      body: m.body,
      attributes: {
        ApproximateReceiveCount: '1',
        SentTimestamp: '0',
        SenderId: 'local',
        ApproximateFirstReceiveTimestamp: '0',
        MessageGroupId: m.groupId,
        MessageDeduplicationId: m.deduplicationId,
      },
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:build.fifo',
      awsRegion: 'us-east-1',
    })),
  };
}

/**
 * Deliver the queue to the builder as Lambda's SQS mapping does: batches of up to ten of one
 * group, the failed messages of a partial batch response returned to the queue in order. Stops
 * when the queue is empty or a batch made no progress (every message failed, or was queued again
 * by the builder to wait); resolves with the messages processed.
 */
export async function drainBuildQueue(
  queue: SqsStandIn,
  handler: BuilderHandler,
  context: () => Context = () => lambdaContext(() => 300_000),
): Promise<number> {
  let processed = 0;
  for (;;) {
    const batch = queue.receive(10);
    if (batch.length === 0) return processed;
    const queuedBefore = queue.queued;
    let failed: Set<string>;
    try {
      const response = await handler(sqsEvent(batch), context());
      failed = new Set(response.batchItemFailures.map((f) => f.itemIdentifier));
    } catch {
      failed = new Set(batch.map((m) => m.messageId));
    }
    queue.settle(batch, failed);
    const done = batch.length - failed.size - (queue.queued - queuedBefore);
    processed += batch.length - failed.size;
    if (done <= 0) return processed;
  }
}
