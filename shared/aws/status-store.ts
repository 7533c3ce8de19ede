import {
  GetItemCommand,
  PutItemCommand,
  ScanCommand,
  type DynamoDBClient,
  type ScanCommandOutput,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { ChainStatus } from '../core/chain-status.ts';
import { outboxDue } from '../core/outbox-rules.ts';
import { StaleStatusError, type StatusStore } from '../ports.ts';
import { hasName } from './aws-error.ts';
import { OUTBOX_DUE_ATTRIBUTE, OUTBOX_INDEX, STATUS_SORT_KEY } from './tables.ts';

/**
 * Chain status items in the Status table, written conditionally on their revision. Each write
 * derives `outboxDue` from the outbox, so an item is in the outbox index exactly while its
 * outbox holds an entry, whoever wrote it.
 */
export class DynamoStatusStore implements StatusStore {
  constructor(
    private readonly client: Pick<DynamoDBClient, 'send'>,
    private readonly tableName: string,
  ) {}

  async get(name: string): Promise<ChainStatus | undefined> {
    const { Item } = await this.client.send(
      new GetItemCommand({
        TableName: this.tableName,
        Key: marshall({ name, sk: STATUS_SORT_KEY }),
        ConsistentRead: true,
      }),
    );
    return Item ? toStatus(Item) : undefined;
  }

  async save(status: ChainStatus, expectedRevision: number): Promise<void> {
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: marshall(
            { ...status, sk: STATUS_SORT_KEY, [OUTBOX_DUE_ATTRIBUTE]: outboxDue(status.outbox) },
            { removeUndefinedValues: true },
          ),
          ConditionExpression:
            expectedRevision === 0 ? 'attribute_not_exists(#name)' : '#revision = :expected',
          ExpressionAttributeNames:
            expectedRevision === 0 ? { '#name': 'name' } : { '#revision': 'revision' },
          ...(expectedRevision === 0
            ? {}
            : { ExpressionAttributeValues: marshall({ ':expected': expectedRevision }) }),
        }),
      );
    } catch (error) {
      if (hasName(error, 'ConditionalCheckFailedException')) {
        throw new StaleStatusError(
          `status of ${status.name} changed since it was read (revision ${expectedRevision})`,
        );
      }
      throw error;
    }
  }

  async list(): Promise<ChainStatus[]> {
    const statuses: ChainStatus[] = [];
    let start: ScanCommandOutput['LastEvaluatedKey'];
    do {
      const page: ScanCommandOutput = await this.client.send(
        new ScanCommand({
          TableName: this.tableName,
          FilterExpression: 'sk = :status',
          // Strongly consistent: a full run must see every lease and revision written before it.
          ConsistentRead: true,
          ExpressionAttributeValues: marshall({ ':status': STATUS_SORT_KEY }),
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      statuses.push(...(page.Items ?? []).map(toStatus));
      start = page.LastEvaluatedKey;
    } while (start);
    return statuses;
  }

  async outboxesDue(at: string): Promise<string[]> {
    const names = new Set<string>();
    let start: ScanCommandOutput['LastEvaluatedKey'];
    do {
      // A scan of the sparse index reads only items with an outbox: a handful, not the table.
      const page: ScanCommandOutput = await this.client.send(
        new ScanCommand({
          TableName: this.tableName,
          IndexName: OUTBOX_INDEX,
          FilterExpression: '#due <= :at',
          ExpressionAttributeNames: { '#due': OUTBOX_DUE_ATTRIBUTE },
          ExpressionAttributeValues: marshall({ ':at': at }),
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      for (const item of page.Items ?? []) names.add(String(unmarshall(item).name));
      start = page.LastEvaluatedKey;
    } while (start);
    return [...names];
  }
}

function toStatus(item: Parameters<typeof unmarshall>[0]): ChainStatus {
  const { sk: _sk, [OUTBOX_DUE_ATTRIBUTE]: _due, ...status } = unmarshall(item);
  return status as ChainStatus;
}
