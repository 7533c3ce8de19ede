import {
  DeleteItemCommand,
  GetItemCommand,
  QueryCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
  type DynamoDBClient,
  type QueryCommandOutput,
  type TransactWriteItem,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import {
  StaleStatusError,
  type SharedCheckItem,
  type SharedCheckListing,
  type SharedCheckRegistry,
} from '../ports.ts';
import { hasName } from './aws-error.ts';

/**
 * The registry's partition in the Status table: `#` is never in a DNS name, so no chain has it,
 * and its sort keys are fingerprints, never `STATUS`, so status listings never see it. One
 * partition lets a full run list every shared check and its users with one Query.
 */
export const SHARED_CHECKS_KEY = '#shared-checks';

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
    const items = await this.query(`${fingerprint}/`);
    return items.map((item) => item.sk.slice(fingerprint.length + 1));
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
    const [written] = await this.transact([head, this.putUser(item.fingerprint, user, false)]);
    return written === 'ok';
  }

  async join(fingerprint: string, callerReference: string, user: string): Promise<boolean> {
    const [head, member] = await this.transact([
      this.count(fingerprint, 1, 'callerReference = :ref AND attribute_not_exists(deleting)', {
        ':ref': { S: callerReference },
      }),
      this.putUser(fingerprint, user),
    ]);
    // Refused only because it is already a user: it is one of this generation's users.
    return head === 'ok' || (head === 'held' && member === 'failed');
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
    const [head, member] = await this.transact([
      this.count(fingerprint, -1, 'attribute_exists(sk)'),
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
  }

  markDeleting(fingerprint: string, callerReference: string): Promise<boolean> {
    return this.conditional(
      new UpdateItemCommand({
        TableName: this.tableName,
        Key: key(fingerprint),
        UpdateExpression: 'SET deleting = :yes',
        ConditionExpression: 'callerReference = :ref AND userCount = :none',
        ExpressionAttributeValues: {
          ':yes': { BOOL: true },
          ':ref': { S: callerReference },
          ':none': { N: '0' },
        },
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

  async list(): Promise<SharedCheckListing[]> {
    const checks = new Map<string, SharedCheckListing>();
    const users: string[] = [];
    for (const item of await this.query('')) {
      if (item.sk.includes('/')) users.push(item.sk);
      else checks.set(item.sk, { ...toItem(item), users: [] });
    }
    // Sort keys come in order, so each check's users follow it; a stray user with no head is skipped.
    for (const sk of users) {
      const slash = sk.indexOf('/');
      checks.get(sk.slice(0, slash))?.users.push(sk.slice(slash + 1));
    }
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

  private count(
    fingerprint: string,
    by: number,
    condition: string,
    values: Record<string, { S: string }> = {},
  ): TransactWriteItem {
    return {
      Update: {
        TableName: this.tableName,
        Key: key(fingerprint),
        UpdateExpression: 'ADD userCount :by',
        ConditionExpression: condition,
        ExpressionAttributeValues: { ':by': { N: String(by) }, ...values },
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

  /**
   * Send a transaction: each item `ok` when it was applied, else `failed` (its condition did not
   * hold) or `held` (its condition held, but another item's did not). A conflict with another
   * writer is a lost race (StaleStatusError): reconcile reads again.
   */
  private async transact(items: TransactWriteItem[]): Promise<('ok' | 'failed' | 'held')[]> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.client.send(new TransactWriteItemsCommand({ TransactItems: items }));
        return items.map(() => 'ok');
      } catch (error) {
        const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons;
        if (!hasName(error, 'TransactionCanceledException') || !reasons) throw error;
        const codes = new Set(reasons.map((reason) => reason.Code ?? ''));
        if (codes.has('TransactionConflict')) throw lostRace('TransactionConflict');
        const capacity = CAPACITY.find((code) => codes.has(code));
        if (capacity === undefined) {
          if ([...codes].some((code) => code !== 'None' && code !== 'ConditionalCheckFailed')) throw error;
          return reasons.map((reason) => (reason.Code === 'ConditionalCheckFailed' ? 'failed' : 'held'));
        }
        // Throttled, as the SDK would retry it had it seen the reason (it sees a 400), with the
        // same full-jitter backoff; a shortage that lasts fails the chain, which is reported.
        if (attempt >= CAPACITY_ATTEMPTS)
          throw new Error(
            `shared check registry: DynamoDB cancelled the change ${attempt} times for want of capacity (${capacity})`,
            { cause: error },
          );
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 100 * 2 ** attempt));
      }
    }
  }

  /** Send a conditional write: true when applied, false when its condition did not hold. */
  private async conditional(command: UpdateItemCommand | DeleteItemCommand): Promise<boolean> {
    try {
      await this.client.send(command as never);
      return true;
    } catch (error) {
      if (hasName(error, 'ConditionalCheckFailedException')) return false;
      // A plain write to an item inside another chain's transaction (a join or a leave).
      if (hasName(error, 'TransactionConflictException')) throw lostRace('TransactionConflict');
      throw error;
    }
  }
}

/**
 * Why DynamoDB cancels a transaction for want of capacity
 * (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactWriteItems.html);
 * every registry item is in one partition, so a large first run may meet it.
 */
const CAPACITY = ['ThrottlingError', 'ProvisionedThroughputExceeded', 'RequestLimitExceeded'];
const CAPACITY_ATTEMPTS = 4;

/** A lost race: reconcile reads again after a pause and retries, quietly. */
function lostRace(code: string): StaleStatusError {
  return new StaleStatusError(`shared check registry: ${code} on the check's items; read again`);
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
    userCount: raw.userCount ?? 0,
    ...(raw.deleting ? { deleting: true } : {}),
  };
}
