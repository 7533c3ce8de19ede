import { TransactionCanceledException, TransactWriteItemsCommand } from '@aws-sdk/client-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import type { LocalWorld } from '../../local/local-world.ts';
import type { DynamoSharedCheckRegistry } from '../../shared/aws/shared-check-registry.ts';
import { reconcile } from '../../shared/reconcile/reconcile.ts';
import { makeSharedWorld, registryRefusing, sharingRow } from '../fixtures/shared-world.ts';

// DynamoDB cancels a TransactWriteItems when "there is insufficient provisioned capacity for the
// transaction to be completed", with a TransactionCanceledException whose CancellationReasons say
// ProvisionedThroughputExceeded (or ThrottlingError) for the item
// (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactWriteItems.html).
// Every registry item lives in one partition (`#shared-checks`), so a first run where thousands
// of chains join the same checks is where this happens. The SDK does not retry that exception
// (its name is not a throttling code): the registry must treat it as the throttling it is, not
// fail the chain and page "reconcile failed".

const B = 'b.example.com';

let world: LocalWorld;
afterEach(() => {
  world.destroy();
});

/** A registry whose first transaction is cancelled for want of capacity on the check's head item. */
function registryShortOfCapacityOnce(): DynamoSharedCheckRegistry {
  let throttled = false;
  return registryRefusing(world, (command) => {
    if (throttled || !(command instanceof TransactWriteItemsCommand)) return undefined;
    throttled = true;
    return new TransactionCanceledException({
      message: 'Transaction cancelled, please refer cancellation reasons for specific reasons',
      $metadata: { httpStatusCode: 400 },
      CancellationReasons: [
        { Code: 'ProvisionedThroughputExceeded', Message: 'Throughput exceeds the current capacity' },
        { Code: 'None' },
      ],
    });
  });
}

describe('review: a chain joining a shared check when the registry is short of capacity', () => {
  it('joins once capacity is back, without a "reconcile failed" page', async () => {
    world = await makeSharedWorld();
    await world.chains.put(sharingRow('a.example.com', '1.1.1.1'));
    await reconcile('a.example.com', world.deps);
    const before = world.sns.published.length;

    world.deps.sharedChecks = registryShortOfCapacityOnce();
    await world.chains.put(sharingRow(B, '1.1.1.2'));
    const state = await reconcile(B, world.deps).then(
      (result) => result.state,
      (error: unknown) => String(error),
    );

    expect(state).toBe('IN_SYNC');
    const pages = world.sns.published
      .slice(before)
      .map((m) => m.subject ?? '')
      .filter((subject) => subject.includes('reconcile failed'));
    expect(pages).toEqual([]);
  });
});
