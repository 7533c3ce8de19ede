import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type DynamoDBStreamsClient,
  type _Record as StreamRecord,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';

/** A Lambda handler for DynamoDB stream batches with partial batch responses. */
export type StreamHandler = (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse>;

/**
 * Reads a table's stream from DynamoDB Local and delivers batches to a handler the way Lambda's
 * event source mapping does: in order per shard, with ReportBatchItemFailures honoured by
 * delivering again from the first failed record.
 */
export class StreamReader {
  private iterators = new Map<string, string>();
  private pending: DynamoDBRecord[] = [];
  private streamArn = '';

  constructor(
    private readonly dynamodb: Pick<DynamoDBClient, 'send'>,
    private readonly streams: Pick<DynamoDBStreamsClient, 'send'>,
    private readonly tableName: string,
    private readonly batchSize = 10,
  ) {}

  /** Start at the stream's current end: only changes made from now on are delivered. */
  async start(): Promise<void> {
    const { Table } = await this.dynamodb.send(new DescribeTableCommand({ TableName: this.tableName }));
    this.streamArn = Table!.LatestStreamArn!;
    const { StreamDescription } = await this.streams.send(
      new DescribeStreamCommand({ StreamArn: this.streamArn }),
    );
    for (const shard of StreamDescription?.Shards ?? []) {
      const { ShardIterator } = await this.streams.send(
        new GetShardIteratorCommand({
          StreamArn: this.streamArn,
          ShardId: shard.ShardId!,
          ShardIteratorType: 'LATEST',
        }),
      );
      if (ShardIterator) this.iterators.set(shard.ShardId!, ShardIterator);
    }
  }

  /** Deliver everything written so far; resolves with the number of records delivered successfully. */
  async drain(handler: StreamHandler, maxRounds = 20): Promise<number> {
    let delivered = 0;
    for (let round = 0; round < maxRounds; round++) {
      await this.fetch();
      if (this.pending.length === 0) return delivered;
      const batch = this.pending.slice(0, this.batchSize);
      // A handler that throws (Powertools does when every record failed) fails the whole batch:
      // Lambda delivers it again from its first record.
      const response = await handler({ Records: batch }).catch(() => ({
        batchItemFailures: [{ itemIdentifier: batch[0]!.dynamodb?.SequenceNumber ?? '' }],
      }));
      const failed = response.batchItemFailures[0]?.itemIdentifier;
      const failedAt =
        failed === undefined ? -1 : batch.findIndex((r) => r.dynamodb?.SequenceNumber === failed);
      const done = failedAt === -1 ? batch.length : failedAt;
      this.pending = this.pending.slice(done);
      delivered += done;
    }
    return delivered;
  }

  private async fetch(): Promise<void> {
    for (const [shardId, iterator] of this.iterators) {
      const { Records, NextShardIterator } = await this.streams.send(
        new GetRecordsCommand({ ShardIterator: iterator }),
      );
      this.pending.push(...(Records ?? []).map((record) => toLambdaRecord(record, this.streamArn)));
      if (NextShardIterator) this.iterators.set(shardId, NextShardIterator);
      else this.iterators.delete(shardId);
    }
  }
}

function toLambdaRecord(record: StreamRecord, streamArn: string): DynamoDBRecord {
  const data = record.dynamodb ?? {};
  return {
    eventID: record.eventID!,
    eventName: record.eventName!,
    eventSource: 'aws:dynamodb',
    eventVersion: record.eventVersion ?? '1.1',
    awsRegion: record.awsRegion ?? 'us-east-1',
    eventSourceARN: streamArn,
    dynamodb: {
      ...(data as NonNullable<DynamoDBRecord['dynamodb']>),
      ApproximateCreationDateTime: data.ApproximateCreationDateTime
        ? data.ApproximateCreationDateTime.getTime() / 1000
        : Date.now() / 1000,
    },
  };
}
