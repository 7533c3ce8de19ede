import { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { SqsStandIn } from '../../local/sqs-stand-in.ts';

// Each rule the SQS stand-in enforces, with the documentation it follows.

const entry = (id: string, dedup = id, group = 'builder') => ({
  Id: id,
  MessageBody: JSON.stringify({ name: id }),
  MessageGroupId: group,
  MessageDeduplicationId: dedup,
});
const send = (queue: SqsStandIn, entries: ReturnType<typeof entry>[]) =>
  queue.send(new SendMessageBatchCommand({ QueueUrl: 'q', Entries: entries }));

describe('SQS FIFO stand-in', () => {
  // https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessageBatch.html
  it('takes 1 to 10 entries with distinct ids, each with a group and a deduplication id', async () => {
    const queue = new SqsStandIn(() => 0);
    await expect(send(queue, [])).rejects.toThrow(/1 to 10/);
    await expect(
      send(
        queue,
        Array.from({ length: 11 }, (_, i) => entry(`m${i}`)),
      ),
    ).rejects.toThrow(/1 to 10/);
    await expect(send(queue, [entry('a'), entry('a', 'b')])).rejects.toThrow(/Distinct/);
    await expect(send(queue, [{ ...entry('a'), MessageGroupId: undefined as never }])).rejects.toThrow(
      /MessageGroupId/,
    );
    await expect(send(queue, [entry('a'), entry('b')])).resolves.toMatchObject({ Failed: [] });
  });

  // https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/using-messagededuplicationid-property.html
  it('accepts and drops a message whose deduplication id was sent in the last 5 minutes', async () => {
    let now = 0;
    const queue = new SqsStandIn(() => now);
    await send(queue, [entry('a', 'same')]);
    now = 4 * 60_000;
    await expect(send(queue, [entry('b', 'same')])).resolves.toMatchObject({ Successful: [{ Id: 'b' }] });
    expect(queue.depth).toBe(1);
    now = 5 * 60_000;
    await send(queue, [entry('c', 'same')]);
    expect(queue.depth).toBe(2);
  });

  // https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/FIFO-key-terms.html
  // ("Amazon SQS continues tracking the deduplication ID even after the message has been received
  // and deleted"), and the 5-minute interval of
  // https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessageBatchRequestEntry.html
  it('still drops a repeat within 5 minutes after the first was received and deleted', async () => {
    let now = 0;
    const queue = new SqsStandIn(() => now);
    await send(queue, [entry('a', 'same')]);
    queue.settle(queue.receive(10), new Set());
    expect(queue.depth).toBe(0);
    now = 5 * 60_000 - 1;
    await expect(send(queue, [entry('b', 'same')])).resolves.toMatchObject({ Successful: [{ Id: 'b' }] });
    expect(queue.depth).toBe(0);
    expect(queue.queued).toBe(1);
    now = 5 * 60_000;
    await send(queue, [entry('c', 'same')]);
    expect(queue.receive(10).map((m) => JSON.parse(m.body) as unknown)).toEqual([{ name: 'c' }]);
    expect(queue.queued).toBe(2);
  });

  // https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/FIFO-queues-understanding-logic.html
  it('hands out one batch of a group at a time, in order, and returns failed messages first', async () => {
    const queue = new SqsStandIn(() => 0);
    await send(
      queue,
      ['a', 'b', 'c'].map((id) => entry(id)),
    );
    const first = queue.receive(2);
    expect(first.map((m) => JSON.parse(m.body) as unknown)).toEqual([{ name: 'a' }, { name: 'b' }]);
    expect(queue.receive(10)).toEqual([]);
    queue.settle(first, new Set([first[1]!.messageId]));
    expect(queue.receive(10).map((m) => JSON.parse(m.body) as unknown)).toEqual([
      { name: 'b' },
      { name: 'c' },
    ]);
  });
});
