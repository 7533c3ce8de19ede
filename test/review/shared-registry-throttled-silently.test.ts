import { TransactionCanceledException, TransactWriteItemsCommand } from '@aws-sdk/client-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import type { LocalWorld } from '../../local/local-world.ts';
import type { DynamoSharedCheckRegistry } from '../../shared/aws/shared-check-registry.ts';
import { reconcile } from '../../shared/reconcile/reconcile.ts';
import { reconcileAll } from '../../shared/reconcile/reconcile-all.ts';
import { makeSharedWorld, registryRefusing, sharingRow } from '../fixtures/shared-world.ts';
import { ZONE } from '../fixtures/world.ts';

// A registry transaction cancelled for want of capacity is now a lost race (StaleStatusError),
// "read again quietly ... and pages nobody unless it keeps losing" (shared-check-registry.ts).
// But nothing counts the losses: reconcile gives up after its attempts by throwing the lost race,
// which is never recorded or alerted, and the full run files the chain under `busy` ("another
// reconcile holds it"). A registry that stays short of capacity (a provisioned table sized too
// small) leaves a chain unbuilt for ever, and nobody is told.

const A = 'a.example.com';
const B = 'b.example.com';

let world: LocalWorld;
afterEach(() => {
  world.destroy();
});

/** A registry whose every transaction is cancelled for want of capacity. */
function registryAlwaysShortOfCapacity(): DynamoSharedCheckRegistry {
  return registryRefusing(world, (command) =>
    command instanceof TransactWriteItemsCommand
      ? new TransactionCanceledException({
          message: 'Transaction cancelled, please refer cancellation reasons for specific reasons',
          $metadata: { httpStatusCode: 400 },
          CancellationReasons: [
            { Code: 'ProvisionedThroughputExceeded', Message: 'Throughput exceeds the current capacity' },
            { Code: 'None' },
          ],
        })
      : undefined,
  );
}

describe('review: a chain whose registry writes are refused for capacity, run after run', () => {
  it('is reported as failing, not left silently unbuilt', async () => {
    let now = Date.parse('2026-11-25T12:00:00Z');
    world = await makeSharedWorld({ clock: () => new Date(now) });
    world.deps.sleep = () => Promise.resolve();
    await world.chains.put(sharingRow(A, '1.1.1.1'));
    await reconcile(A, world.deps);

    world.deps.sharedChecks = registryAlwaysShortOfCapacity();
    await world.chains.put(sharingRow(B, '1.1.1.2'));
    // Its stream's reconcile, then the schedule's full runs, each after the lease has lapsed.
    await reconcile(B, world.deps).catch(() => undefined);
    const summaries = [];
    for (let run = 0; run < 3; run++) {
      now += 10 * 60_000;
      summaries.push(await reconcileAll(world.deps));
    }

    // B has no records and never will while the capacity lasts: someone must hear of it.
    expect(world.route53.records(ZONE).filter((r) => r.Name?.endsWith(`${B}.`))).toEqual([]);
    expect(summaries.at(-1)!.failed.map((f) => f.name)).toContain(B);
    const pages = world.sns.published.filter(
      (m) => (m.subject ?? '').includes(B) && (m.subject ?? '').includes('reconcile failed'),
    );
    expect(pages).not.toEqual([]);
  });
});
