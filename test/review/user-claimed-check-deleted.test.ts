import { afterEach, describe, expect, it } from 'vitest';
import type { LocalWorld } from '../../local/local-world.ts';
import { reconcile } from '../../shared/reconcile/reconcile.ts';
import { reconcileAll } from '../../shared/reconcile/reconcile-all.ts';
import { fiveTierARow } from '../fixtures/chains.ts';
import { makeWorld } from '../fixtures/world.ts';

// README: "Checks named by `id` are the user's: used, never changed or deleted." A team that wants
// to keep the check the system made for a tier (its history, its CloudWatch dashboards) names it
// in the row by id. The chain then retires it as a managed check it no longer needs and deletes it
// at once when no record uses it, which is always the case for the last tier's check: the row
// names a check that no longer exists, and its alarm watches nothing.

const NAME = 'shop.example.com';

let world: LocalWorld;
afterEach(() => {
  world.destroy();
});

describe('review: a row that names, by id, the check the system made for its last tier', () => {
  it('keeps that check', async () => {
    world = await makeWorld();
    const row = fiveTierARow();
    await world.chains.put(row);
    await reconcile(NAME, world.deps);
    const mine = (await world.deps.status.get(NAME))!.healthChecks.static!.id!;

    const tiers = row.tiers.map((tier) =>
      tier.id === 'static' ? { ...tier, healthCheck: { id: mine } } : tier,
    );
    await world.chains.put({ ...row, tiers });
    await reconcile(NAME, world.deps);
    await reconcileAll(world.deps);

    expect(world.route53.healthChecks.has(mine)).toBe(true);
  });
});
