import {
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  ScanCommand,
  type DynamoDBClient,
  type ScanCommandOutput,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { ChainStore } from '../ports.ts';

/** The Chains table. Reconcile only reads it; `put` and `remove` serve `chains apply` and `chains delete`. */
export class DynamoChainStore implements ChainStore {
  constructor(
    private readonly client: Pick<DynamoDBClient, 'send'>,
    private readonly tableName: string,
  ) {}

  async get(name: string): Promise<unknown> {
    const { Item } = await this.client.send(
      new GetItemCommand({ TableName: this.tableName, Key: marshall({ name }), ConsistentRead: true }),
    );
    return Item ? unmarshall(Item) : undefined;
  }

  async scan(): Promise<Map<string, unknown>> {
    const rows = new Map<string, unknown>();
    let start: ScanCommandOutput['LastEvaluatedKey'];
    do {
      const page: ScanCommandOutput = await this.client.send(
        new ScanCommand({
          TableName: this.tableName,
          ConsistentRead: true,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      for (const item of page.Items ?? []) {
        const row = unmarshall(item);
        rows.set(String(row.name), row);
      }
      start = page.LastEvaluatedKey;
    } while (start);
    return rows;
  }

  async put(row: Record<string, unknown>): Promise<void> {
    await this.client.send(
      new PutItemCommand({ TableName: this.tableName, Item: marshall(row, { removeUndefinedValues: true }) }),
    );
  }

  async remove(name: string): Promise<boolean> {
    const { Attributes } = await this.client.send(
      new DeleteItemCommand({ TableName: this.tableName, Key: marshall({ name }), ReturnValues: 'ALL_OLD' }),
    );
    return Attributes !== undefined;
  }
}
