import { PutItemCommand, QueryCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { FlipRecord, HistoryStore } from '../ports.ts';

/** Sort-key prefix of history items in the Status table. */
const HISTORY_PREFIX = 'HISTORY#';

/** History items (`sk = HISTORY#<time>#<entry id>`) beside each chain's status, expiring by `expiresAt`. */
export class DynamoHistoryStore implements HistoryStore {
  constructor(
    private readonly client: Pick<DynamoDBClient, 'send'>,
    private readonly tableName: string,
  ) {}

  async append(record: FlipRecord, id: string, expiresAtEpochSeconds: number): Promise<void> {
    await this.client.send(
      new PutItemCommand({
        TableName: this.tableName,
        Item: marshall({
          ...record,
          name: record.chain,
          sk: `${HISTORY_PREFIX}${record.at}#${id}`,
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
      // The item is the entry plus the table's own attributes.
      const { name: _name, sk: _sk, expiresAt: _expires, ...entry } = unmarshall(item);
      return entry as FlipRecord;
    });
  }
}
