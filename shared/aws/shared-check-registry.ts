import {
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
  type DynamoDBClient,
  type QueryCommandOutput,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { SharedCheckItem, SharedCheckRegistry } from '../ports.ts';
import { hasName } from './aws-error.ts';

/**
 * The registry's partition in the Status table: `#` is never in a DNS name, so no chain has it,
 * and its sort keys are fingerprints, never `STATUS`, so status listings never see it. One
 * partition lets a full run list every shared check with one Query.
 */
export const SHARED_CHECKS_KEY = '#shared-checks';

/** Shared checks in the Status table, one item each, every change a conditional write. */
export class DynamoSharedCheckRegistry implements SharedCheckRegistry {
  constructor(
    private readonly client: Pick<DynamoDBClient, 'send'>,
    private readonly tableName: string,
  ) {}

  async get(fingerprint: string): Promise<SharedCheckItem | undefined> {
    const { Item } = await this.client.send(
      new GetItemCommand({ TableName: this.tableName, Key: key(fingerprint), ConsistentRead: true }),
    );
    return Item ? toItem(Item) : undefined;
  }

  async reserve(
    item: Pick<SharedCheckItem, 'fingerprint' | 'callerReference' | 'config'>,
    user: string,
  ): Promise<boolean> {
    return this.conditional(
      new PutItemCommand({
        TableName: this.tableName,
        Item: {
          ...key(item.fingerprint),
          ...marshall(
            { callerReference: item.callerReference, config: item.config },
            { removeUndefinedValues: true },
          ),
          users: { SS: [user] },
        },
        ConditionExpression: 'attribute_not_exists(sk)',
      }),
    );
  }

  join(fingerprint: string, callerReference: string, user: string): Promise<boolean> {
    return this.conditional(
      new UpdateItemCommand({
        TableName: this.tableName,
        Key: key(fingerprint),
        UpdateExpression: 'ADD #users :user',
        ConditionExpression: 'callerReference = :ref AND attribute_not_exists(deleting)',
        ExpressionAttributeNames: { '#users': 'users' },
        ExpressionAttributeValues: { ':user': { SS: [user] }, ':ref': { S: callerReference } },
      }),
    );
  }

  renew(fingerprint: string, callerReference: string, newReference: string): Promise<boolean> {
    return this.conditional(
      new UpdateItemCommand({
        TableName: this.tableName,
        Key: key(fingerprint),
        UpdateExpression: 'SET callerReference = :new REMOVE #id',
        ConditionExpression: 'callerReference = :ref AND attribute_not_exists(deleting)',
        ExpressionAttributeNames: { '#id': 'id' },
        ExpressionAttributeValues: { ':new': { S: newReference }, ':ref': { S: callerReference } },
      }),
    );
  }

  async setId(fingerprint: string, callerReference: string, id: string): Promise<void> {
    await this.conditional(
      new UpdateItemCommand({
        TableName: this.tableName,
        Key: key(fingerprint),
        UpdateExpression: 'SET #id = :id',
        ConditionExpression: 'callerReference = :ref',
        ExpressionAttributeNames: { '#id': 'id' },
        ExpressionAttributeValues: { ':id': { S: id }, ':ref': { S: callerReference } },
      }),
    );
  }

  async leave(fingerprint: string, user: string): Promise<void> {
    // DynamoDB drops a set once its last element is deleted: no users means no attribute.
    await this.conditional(
      new UpdateItemCommand({
        TableName: this.tableName,
        Key: key(fingerprint),
        UpdateExpression: 'DELETE #users :user',
        ConditionExpression: 'attribute_exists(sk)',
        ExpressionAttributeNames: { '#users': 'users' },
        ExpressionAttributeValues: { ':user': { SS: [user] } },
      }),
    );
  }

  markDeleting(fingerprint: string, callerReference: string): Promise<boolean> {
    return this.conditional(
      new UpdateItemCommand({
        TableName: this.tableName,
        Key: key(fingerprint),
        UpdateExpression: 'SET deleting = :yes',
        ConditionExpression: 'callerReference = :ref AND attribute_not_exists(#users)',
        ExpressionAttributeNames: { '#users': 'users' },
        ExpressionAttributeValues: { ':yes': { BOOL: true }, ':ref': { S: callerReference } },
      }),
    );
  }

  async remove(fingerprint: string, callerReference: string): Promise<void> {
    await this.conditional(
      new DeleteItemCommand({
        TableName: this.tableName,
        Key: key(fingerprint),
        ConditionExpression: 'callerReference = :ref',
        ExpressionAttributeValues: { ':ref': { S: callerReference } },
      }),
    );
  }

  async list(): Promise<SharedCheckItem[]> {
    const items: SharedCheckItem[] = [];
    let start: QueryCommandOutput['LastEvaluatedKey'];
    do {
      const page: QueryCommandOutput = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: '#name = :name',
          ExpressionAttributeNames: { '#name': 'name' },
          ExpressionAttributeValues: { ':name': { S: SHARED_CHECKS_KEY } },
          ConsistentRead: true,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      items.push(...(page.Items ?? []).map(toItem));
      start = page.LastEvaluatedKey;
    } while (start);
    return items;
  }

  /** Send a conditional write: true when applied, false when its condition did not hold. */
  private async conditional(
    command: PutItemCommand | UpdateItemCommand | DeleteItemCommand,
  ): Promise<boolean> {
    try {
      await this.client.send(command as never);
      return true;
    } catch (error) {
      if (hasName(error, 'ConditionalCheckFailedException')) return false;
      throw error;
    }
  }
}

function key(fingerprint: string) {
  return { name: { S: SHARED_CHECKS_KEY }, sk: { S: fingerprint } };
}

function toItem(item: Parameters<typeof unmarshall>[0]): SharedCheckItem {
  const raw = unmarshall(item) as Omit<SharedCheckItem, 'fingerprint' | 'users'> & {
    sk: string;
    users?: Set<string>;
  };
  return {
    fingerprint: raw.sk,
    callerReference: raw.callerReference,
    config: raw.config,
    ...(raw.id === undefined ? {} : { id: raw.id }),
    users: [...(raw.users ?? [])].sort(),
    ...(raw.deleting ? { deleting: true } : {}),
  };
}
