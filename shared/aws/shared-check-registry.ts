import {
  DeleteItemCommand,
  GetItemCommand,
  QueryCommand,
  UpdateItemCommand,
  type DynamoDBClient,
  type QueryCommandOutput,
  type TransactWriteItem,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { SharedCheckItem, SharedCheckListing, SharedCheckRegistry } from '../ports.ts';
import { conditional, transact } from './registry-writes.ts';

/**
 * The registry's partition in the Status table: `#` is never in a DNS name, so no chain has it,
 * and its sort keys are fingerprints, never `STATUS`, so status listings never see it. One
 * partition lets a full run list every shared check and its users with one Query.
 */
export const SHARED_CHECKS_KEY = '#shared-checks';

/** Where the previous version kept a check's users (see legacyUsers). */
const LEGACY_USERS = 'users';

// Each check is a head item (sort key: its fingerprint) holding its generation and a count of
// its users, and each user an item of its own (`<fingerprint>/<chain>/<tier>`), so a check may
// have any number of users: one item holding them all would reach DynamoDB's 400 KB item limit
// near 8,000. A user comes and goes in one transaction with the count, so "no users" is a
// condition on the head item alone, and a join conditional on the generation can never land
// after the last user closed it: the two write the same item, and DynamoDB orders them.

/** Shared checks in the Status table; every change a conditional write or transaction. */
export class DynamoSharedCheckRegistry implements SharedCheckRegistry {
  constructor(
    private readonly client: Pick<DynamoDBClient, 'send'>,
    private readonly tableName: string,
  ) {}

  async get(fingerprint: string): Promise<SharedCheckItem | undefined> {
    const { Item } = await this.client.send(
      new GetItemCommand({ TableName: this.tableName, Key: key(fingerprint), ConsistentRead: true }),
    );
    return Item ? toItem(unmarshall(Item)) : undefined;
  }

  async isUser(fingerprint: string, user: string): Promise<boolean> {
    const { Item } = await this.client.send(
      new GetItemCommand({
        TableName: this.tableName,
        Key: key(userKey(fingerprint, user)),
        ConsistentRead: true,
        ProjectionExpression: 'sk',
      }),
    );
    return Item !== undefined;
  }

  async users(fingerprint: string): Promise<string[]> {
    return (await this.list(fingerprint)).find((check) => check.fingerprint === fingerprint)?.users ?? [];
  }

  async usesOf(chain: string): Promise<Map<string, string[]>> {
    const uses = new Map<string, string[]>();
    // The whole partition: a filter would cost the same reads, and it may not read the sort key.
    for (const { sk } of await this.query('')) {
      const [fingerprint, name, tier] = sk.split('/');
      if (name === chain && tier !== undefined) uses.set(tier, [...(uses.get(tier) ?? []), fingerprint!]);
    }
    return uses;
  }

  async reserve(
    item: Pick<SharedCheckItem, 'fingerprint' | 'callerReference' | 'config'>,
    user: string,
  ): Promise<boolean> {
    const head = {
      Put: {
        TableName: this.tableName,
        Item: {
          ...key(item.fingerprint),
          ...marshall(
            { callerReference: item.callerReference, config: item.config, userCount: 1 },
            { removeUndefinedValues: true },
          ),
        },
        ConditionExpression: 'attribute_not_exists(sk)',
      },
    };
    // The user item unconditionally: only the head decides, so true means both were written.
    const [written] = await transact(this.client, [head, this.putUser(item.fingerprint, user, false)]);
    return written === 'ok';
  }

  async join(fingerprint: string, callerReference: string, user: string): Promise<boolean> {
    const [head, member] = await transact(this.client, [
      this.count(fingerprint, user, 1, 'callerReference = :ref AND attribute_not_exists(deleting)', {
        ':ref': { S: callerReference },
      }),
      this.putUser(fingerprint, user),
    ]);
    // Refused only because it is already a user: it is one of this generation's users.
    return head === 'ok' || (head === 'held' && member === 'failed');
  }

  renew(fingerprint: string, callerReference: string, newReference: string): Promise<boolean> {
    return conditional(
      this.client,
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
    await conditional(
      this.client,
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
    const [head, member] = await transact(this.client, [
      this.count(fingerprint, user, -1, 'attribute_exists(sk)'),
      {
        Delete: {
          TableName: this.tableName,
          Key: key(userKey(fingerprint, user)),
          ConditionExpression: 'attribute_exists(sk)',
        },
      },
    ]);
    // A user item without its head (never written so, but harmless to clear): remove it alone.
    if (head === 'failed' && member === 'held') {
      await this.client.send(
        new DeleteItemCommand({ TableName: this.tableName, Key: key(userKey(fingerprint, user)) }),
      );
    }
    // No user item: it may be a user only in the older format's set.
    if (head === 'held' && member === 'failed') {
      await conditional(
        this.client,
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: key(fingerprint),
          UpdateExpression: 'DELETE #legacy :user',
          ConditionExpression: 'attribute_exists(sk)',
          ExpressionAttributeNames: { '#legacy': LEGACY_USERS },
          ExpressionAttributeValues: { ':user': { SS: [user] } },
        }),
      );
    }
  }

  markDeleting(fingerprint: string, callerReference: string): Promise<boolean> {
    return conditional(
      this.client,
      new UpdateItemCommand({
        TableName: this.tableName,
        Key: key(fingerprint),
        UpdateExpression: 'SET deleting = :yes',
        ConditionExpression:
          'callerReference = :ref AND (attribute_not_exists(userCount) OR userCount = :none) AND attribute_not_exists(#legacy)',
        ExpressionAttributeNames: { '#legacy': LEGACY_USERS },
        ExpressionAttributeValues: {
          ':yes': { BOOL: true },
          ':ref': { S: callerReference },
          ':none': { N: '0' },
        },
      }),
    );
  }

  async remove(fingerprint: string, callerReference: string): Promise<void> {
    await conditional(
      this.client,
      new DeleteItemCommand({
        TableName: this.tableName,
        Key: key(fingerprint),
        ConditionExpression: 'callerReference = :ref',
        ExpressionAttributeValues: { ':ref': { S: callerReference } },
      }),
    );
  }

  async list(fingerprint = ''): Promise<SharedCheckListing[]> {
    const checks = new Map<string, SharedCheckListing>();
    const users: string[] = [];
    for (const item of await this.query(fingerprint)) {
      if (item.sk.includes('/')) users.push(item.sk);
      else checks.set(item.sk, { ...toItem(item), users: legacyUsers(item) });
    }
    // A stray user with no head is skipped.
    for (const sk of users) {
      const slash = sk.indexOf('/');
      checks.get(sk.slice(0, slash))?.users.push(sk.slice(slash + 1));
    }
    for (const check of checks.values()) check.users = [...new Set(check.users)].sort();
    return [...checks.values()];
  }

  /** The partition's items whose sort key starts with `prefix`, every page, strongly consistent. */
  private async query(prefix: string): Promise<{ sk: string }[]> {
    const items: { sk: string }[] = [];
    let start: QueryCommandOutput['LastEvaluatedKey'];
    do {
      const page: QueryCommandOutput = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: prefix ? '#name = :name AND begins_with(sk, :prefix)' : '#name = :name',
          ExpressionAttributeNames: { '#name': 'name' },
          ExpressionAttributeValues: {
            ':name': { S: SHARED_CHECKS_KEY },
            ...(prefix ? { ':prefix': { S: prefix } } : {}),
          },
          ConsistentRead: true,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      items.push(...(page.Items ?? []).map((item) => unmarshall(item) as { sk: string }));
      start = page.LastEvaluatedKey;
    } while (start);
    return items;
  }

  /** Change the check's count of users by `by` for `user`, and drop it from the older format's set. */
  private count(
    fingerprint: string,
    user: string,
    by: number,
    condition: string,
    values: Record<string, { S: string }> = {},
  ): TransactWriteItem {
    return {
      Update: {
        TableName: this.tableName,
        Key: key(fingerprint),
        UpdateExpression: 'ADD userCount :by DELETE #legacy :user',
        ConditionExpression: condition,
        ExpressionAttributeNames: { '#legacy': LEGACY_USERS },
        ExpressionAttributeValues: { ':by': { N: String(by) }, ':user': { SS: [user] }, ...values },
      },
    };
  }

  private putUser(fingerprint: string, user: string, onlyNew = true): TransactWriteItem {
    return {
      Put: {
        TableName: this.tableName,
        Item: key(userKey(fingerprint, user)),
        ...(onlyNew ? { ConditionExpression: 'attribute_not_exists(sk)' } : {}),
      },
    };
  }
}

function key(sortKey: string) {
  return { name: { S: SHARED_CHECKS_KEY }, sk: { S: sortKey } };
}

function userKey(fingerprint: string, user: string): string {
  return `${fingerprint}/${user}`;
}

function toItem(item: Record<string, unknown>): SharedCheckItem {
  const raw = item as Omit<SharedCheckItem, 'fingerprint' | 'userCount'> & { sk: string; userCount?: number };
  return {
    fingerprint: raw.sk,
    callerReference: raw.callerReference,
    config: raw.config,
    ...(raw.id === undefined ? {} : { id: raw.id }),
    userCount: (raw.userCount ?? 0) + legacyUsers(item).length,
    ...(raw.deleting ? { deleting: true } : {}),
  };
}

/**
 * The users the previous version kept in a string set on the check's item. Each moves to an item
 * of its own when it next joins (its chain's next reconcile), or leaves; until the set is empty
 * they count as users, so the check is never deleted under them.
 */
function legacyUsers(item: Record<string, unknown>): string[] {
  const users = item[LEGACY_USERS];
  return users instanceof Set ? [...(users as Set<string>)] : [];
}
