import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LocalWorld } from '../../local/local-world.ts';
import { reconcile } from '../../shared/reconcile/reconcile.ts';
import { reconcileAll } from '../../shared/reconcile/reconcile-all.ts';
import { seedRow } from '../fixtures/chains.ts';
import { handMadeRecordUsing, makeWorld } from '../fixtures/world.ts';

const NAME = 'resilient-site.example.com';

let world: LocalWorld;
beforeEach(async () => {
  world = await makeWorld();
});
afterEach(() => {
  world.destroy();
});

describe('review: a removed chain whose check a record still uses', () => {
  // README, "What reconcile does, in order", step 2: a removed row's checks are deleted, "but
  // never a check a record under the name still uses ... the chain is then ERROR and the check
  // kept until unused". The first teardown keeps it (races-and-partial-failures.test.ts), but its
  // status (teardown.ts, `gone`) keeps neither `zoneIds` nor `hostedZoneId`, so the next run
  // (the schedule retrying the ERROR) knows no zone to look in, sees no record using the
  // check and deletes it: Route 53 allows that, and the hand-made record's health becomes
  // unpredictable (https://docs.aws.amazon.com/Route53/latest/APIReference/API_DeleteHealthCheck.html).
  it('still keeps the check on the next run while the record uses it', async () => {
    await world.chains.put(seedRow());
    await reconcile(NAME, world.deps);
    const primary = (await world.deps.status.get(NAME))!.healthChecks.primary!.id!;
    await handMadeRecordUsing(world, NAME, primary);
    await world.chains.remove(NAME);
    expect((await reconcile(NAME, world.deps)).state).toBe('ERROR');
    expect(world.route53.healthChecks.has(primary)).toBe(true);

    // Reconciled again (a later stream event, the alarm handler or the schedule), then a full run.
    await reconcile(NAME, world.deps);
    expect(world.route53.healthChecks.has(primary)).toBe(true);
    await reconcileAll(world.deps);
    expect(world.route53.healthChecks.has(primary)).toBe(true);
    expect(await world.deps.status.get(NAME)).toMatchObject({ state: 'ERROR' });
  });
});
