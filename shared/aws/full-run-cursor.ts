import { GetItemCommand, PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { FullRunCursor } from '../reconcile/reconcile-all.ts';

/**
 * The item's key in the Status table: `#` is never in a DNS name, so no chain can have it, and
 * its sort key is not `STATUS`, so status listings never see it.
 */
export const CURSOR_KEY = { name: '#full-run', sk: 'CURSOR' } as const;

/** The full run's cursor, one item in the Status table. */
export class DynamoFullRunCursor implements FullRunCursor {
  constructor(
    private readonly client: Pick<DynamoDBClient, 'send'>,
    private readonly tableName: string,
  ) {}

  async get(): Promise<string | undefined> {
    const { Item } = await this.client.send(
      new GetItemCommand({ TableName: this.tableName, Key: marshall(CURSOR_KEY), ConsistentRead: true }),
    );
    const after = Item ? (unmarshall(Item) as { after?: unknown }).after : undefined;
    return typeof after === 'string' ? after : undefined;
  }

  async set(after: string | undefined): Promise<void> {
    // One full run at a time (the function's reserved concurrency is 1): a plain write will do.
    await this.client.send(
      new PutItemCommand({
        TableName: this.tableName,
        Item: marshall({ ...CURSOR_KEY, ...(after === undefined ? {} : { after }) }),
      }),
    );
  }
}
