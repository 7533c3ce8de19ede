import {
  TransactWriteItemsCommand,
  type DeleteItemCommand,
  type DynamoDBClient,
  type TransactWriteItem,
  type UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { StaleStatusError } from '../ports.ts';
import { hasName } from './aws-error.ts';

// How the shared checks' registry writes: conditions that fail are answers, a conflict with
// another writer is a lost race, and a want of capacity is waited out a little, then reported.

/**
 * Send a transaction: each item `ok` when it was applied, else `failed` (its condition did not
 * hold) or `held` (its condition held, but another item's did not). A conflict with another
 * writer is a lost race (StaleStatusError): reconcile reads again.
 */
export async function transact(
  client: Pick<DynamoDBClient, 'send'>,
  items: TransactWriteItem[],
): Promise<('ok' | 'failed' | 'held')[]> {
  for (let attempt = 1; ; attempt++) {
    try {
      await client.send(new TransactWriteItemsCommand({ TransactItems: items }));
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
export async function conditional(
  client: Pick<DynamoDBClient, 'send'>,
  command: UpdateItemCommand | DeleteItemCommand,
): Promise<boolean> {
  try {
    await client.send(command as never);
    return true;
  } catch (error) {
    if (hasName(error, 'ConditionalCheckFailedException')) return false;
    // A plain write to an item inside another chain's transaction (a join or a leave).
    if (hasName(error, 'TransactionConflictException')) throw lostRace('TransactionConflict');
    throw error;
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
