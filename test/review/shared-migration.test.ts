import { afterEach, describe, expect, it } from 'vitest';
import type { LocalWorld } from '../../local/local-world.ts';
import { answer } from '../../shared/core/route53-answer.ts';
import type { ResourceRecordSet } from '../../shared/core/route53-types.ts';
import { reconcile } from '../../shared/reconcile/reconcile.ts';
import { makeSharedWorld, sharingRow } from '../fixtures/shared-world.ts';
import { ZONE } from '../fixtures/world.ts';

const A = 'a.example.com';

let world: LocalWorld;
afterEach(() => {
  world.destroy();
});

/** The target Route 53 answers for A now; a check not marked unhealthy counts as healthy. */
function servedTarget(): string | undefined {
  const healthy = new Set(
    [...world.route53.healthChecks.keys()].filter((id) => !world.route53.unhealthy.has(id)),
  );
  const result = answer(world.route53.records(ZONE) as ResourceRecordSet[], healthy, A, 'A');
  return result.values[0];
}

describe('review: moving a failed-over chain onto a new shared check', () => {
  // "Route 53 considers a new health check to be healthy until there's enough data to determine
  // the actual status" (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-determining-health-of-endpoints.html):
  // a record moved to a check created a moment ago counts as healthy.
  it('keeps serving the secondary when the upgrade moves a chain whose primary is down to shared checks', async () => {
    world = await makeSharedWorld();
    const registry = world.deps.sharedChecks;
    // Before the upgrade: checks per chain.
    delete world.deps.sharedChecks;
    await world.chains.put(sharingRow(A, '1.1.1.1'));
    await reconcile(A, world.deps);
    const primary = (await world.deps.status.get(A))!.healthChecks.primary!.id!;
    world.route53.unhealthy.add(primary);
    expect(servedTarget()).toBe('site2.example.net.');

    // The upgrade: the next reconcile moves the chain to shared checks ("made before the old is deleted").
    world.deps.sharedChecks = registry;
    await reconcile(A, world.deps);

    // 1.1.1.1 is still down (Route 53 says so, though no alarm has reported it yet): traffic must
    // not go back to it, so the tier keeps its own check for now.
    expect(servedTarget()).toBe('site2.example.net.');
    expect(world.route53.healthChecks.has(primary)).toBe(true);

    // Recovered: now it moves, and its own check goes.
    world.route53.unhealthy.delete(primary);
    await reconcile(A, world.deps);
    expect(world.route53.healthChecks.has(primary)).toBe(false);
    expect(servedTarget()).toBe('primary.a.example.com.');
  });
});
