import { afterEach, describe, expect, it } from 'vitest';
import type { LocalWorld } from '../../local/local-world.ts';
import type { SharedCheckRegistry } from '../../shared/ports.ts';
import { reconcile } from '../../shared/reconcile/reconcile.ts';
import { makeSharedWorld, sharingRow } from '../fixtures/shared-world.ts';
import { ZONE } from '../fixtures/world.ts';

const A = 'a.example.com';

let world: LocalWorld;
afterEach(() => {
  world.destroy();
});

/** The check id on each of the chain's PRIMARY records, by level. */
function checks(): string[] {
  return world.route53
    .records(ZONE)
    .filter((r) => r.Failover === 'PRIMARY')
    .map((r) => r.HealthCheckId!);
}

async function setHealth(tierHealth: Record<string, 'healthy' | 'unhealthy'>) {
  const status = (await world.deps.status.get(A))!;
  await world.deps.status.save({ ...status, revision: status.revision + 1, tierHealth }, status.revision);
}

describe('moving a chain built with its own checks to shared ones', () => {
  it('moves a healthy tier at once, and a failing tier only once it has recovered', async () => {
    world = await makeSharedWorld();
    const registry = world.deps.sharedChecks as SharedCheckRegistry;
    // Built before sharing: checks of its own.
    delete world.deps.sharedChecks;
    await world.chains.put(sharingRow(A, '1.1.1.1'));
    await reconcile(A, world.deps);
    const [ownPrimary, ownSecondary] = checks();

    // The secondary is failing when sharing comes: a new shared check would start healthy and
    // could send traffic back to it, so it keeps its own check (still failing) for now.
    world.deps.sharedChecks = registry;
    await setHealth({ primary: 'healthy', secondary: 'unhealthy' });
    await reconcile(A, world.deps);
    const [primary, secondary] = checks();
    expect(primary).not.toBe(ownPrimary);
    expect(world.route53.healthChecks.has(ownPrimary!)).toBe(false);
    expect(secondary).toBe(ownSecondary);

    // Recovered: it moves too, and its own check goes once no record uses it.
    await setHealth({ primary: 'healthy', secondary: 'healthy' });
    await reconcile(A, world.deps);
    expect(checks()[1]).not.toBe(ownSecondary);
    expect(world.route53.healthChecks.has(ownSecondary!)).toBe(false);
    expect(world.route53.healthChecks.get(checks()[1]!)?.tags.get('failover-chains:shared')).toBeDefined();
  });
});
