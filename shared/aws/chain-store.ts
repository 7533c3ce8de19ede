import {
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  ScanCommand,
  type AttributeValue,
  type DynamoDBClient,
  type ScanCommandOutput,
} from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { ChainStore } from '../ports.ts';
import { fromItem } from './dynamodb-json.ts';

/**
 * The Chains table. Reconcile only reads it; `put` and `remove` serve `chains apply` and `chains
 * delete`. Rows are read with `fromItem`, so any item a person can store reads as a row (for
 * validation to reject), never as an error that stops a reconcile, a full run or a listing.
 */
export class DynamoChainStore implements ChainStore {
  constructor(
    private readonly client: Pick<DynamoDBClient, 'send'>,
    private readonly tableName: string,
  ) {}

  async get(name: string): Promise<unknown> {
    const item = await this.getItem(name);
    return item ? fromItem(item) : undefined;
  }

  /** The item exactly as DynamoDB holds it, for `chains get --dynamodb-json`. */
  async getItem(name: string): Promise<Record<string, AttributeValue> | undefined> {
    const { Item } = await this.client.send(
      new GetItemCommand({ TableName: this.tableName, Key: marshall({ name }), ConsistentRead: true }),
    );
    return Item;
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
        const row = fromItem(item);
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
