import { afterEach, describe, expect, it } from 'vitest';
import type { LocalWorld } from '../../local/local-world.ts';
import { sharedFingerprint } from '../../shared/core/shared-checks.ts';
import { reconcile } from '../../shared/reconcile/reconcile.ts';
import { makeSharedWorld, sharingRow } from '../fixtures/shared-world.ts';
import { ZONE, handMadeRecordUsing } from '../fixtures/world.ts';

const A = 'a.example.com';
const B = 'b.example.com';
const SITE2 = { Type: 'HTTP', IPAddress: '2.2.2.2', Port: 8888 } as const;

let world: LocalWorld;
afterEach(() => {
  world.destroy();
});

describe('review: the last user of a shared check goes while a record still uses the check', () => {
  // The issue: "the check is deleted only when no chain's row wants it and no record in a listed
  // zone references it"; a chain's own check in the same case is kept (races-and-partial-failures).
  it('keeps the check a record made by hand under the chain’s name still uses', async () => {
    world = await makeSharedWorld();
    await world.chains.put(sharingRow(B, '1.1.1.2'));
    await reconcile(B, world.deps);
    const shared = (await world.deps.sharedChecks!.get(sharedFingerprint(SITE2)))!.id!;
    await handMadeRecordUsing(world, B, shared);

    await world.chains.remove(B);
    await reconcile(B, world.deps);

    expect(world.route53.records(ZONE).some((r) => r.HealthCheckId === shared)).toBe(true);
    expect(world.route53.healthChecks.has(shared)).toBe(true);
  });

  it('keeps the check a live chain’s record uses when the registry lost that chain (as the full run does)', async () => {
    world = await makeSharedWorld();
    for (const row of [sharingRow(A, '1.1.1.1'), sharingRow(B, '1.1.1.2')]) {
      await world.chains.put(row);
      await reconcile(row.name as string, world.deps);
    }
    const fp = sharedFingerprint(SITE2);
    const shared = (await world.deps.sharedChecks!.get(fp))!.id!;
    // The state shared-full-run.test.ts calls "a crash left the registry saying nobody uses" it.
    await world.deps.sharedChecks!.leave(fp, `${A}/secondary`);

    await world.chains.remove(B);
    await reconcile(B, world.deps);

    expect(
      world.route53.records(ZONE).some((r) => r.Name === `backup.${A}.` && r.HealthCheckId === shared),
    ).toBe(true);
    expect(world.route53.healthChecks.has(shared)).toBe(true);
  });
});
