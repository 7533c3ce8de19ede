import { PutItemCommand, QueryCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { FlipRecord, HistoryStore } from '../ports.ts';

/** Sort-key prefix of history items in the Status table. */
const HISTORY_PREFIX = 'HISTORY#';

/** Flip history items (`sk = HISTORY#<time>#<n>`) beside each chain's status, expiring by `expiresAt`. */
export class DynamoHistoryStore implements HistoryStore {
  private sequence = 0;

  constructor(
    private readonly client: Pick<DynamoDBClient, 'send'>,
    private readonly tableName: string,
  ) {}

  async append(record: FlipRecord, expiresAtEpochSeconds: number): Promise<void> {
    this.sequence = (this.sequence + 1) % 10_000;
    await this.client.send(
      new PutItemCommand({
        TableName: this.tableName,
        Item: marshall({
          ...record,
          name: record.chain,
          sk: `${HISTORY_PREFIX}${record.at}#${String(this.sequence).padStart(4, '0')}`,
          expiresAt: expiresAtEpochSeconds,
        }),
      }),
    );
  }

  async list(chain: string, limit = 50): Promise<FlipRecord[]> {
    const { Items } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: '#name = :name AND begins_with(sk, :prefix)',
        ExpressionAttributeNames: { '#name': 'name' },
        ExpressionAttributeValues: marshall({ ':name': chain, ':prefix': HISTORY_PREFIX }),
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return (Items ?? []).map((item) => {
      const { chain: c, at, event, from, to, failed, recovered } = unmarshall(item) as FlipRecord;
      return { chain: c, at, event, from, to, failed, recovered };
    });
  }
}
