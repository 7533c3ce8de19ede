import { afterEach, describe, expect, it } from 'vitest';
import type { LocalWorld } from '../../local/local-world.ts';
import { reconcile } from '../../shared/reconcile/reconcile.ts';
import { reconcileAll } from '../../shared/reconcile/reconcile-all.ts';
import { forgetStatus, makeSharedWorld, sharedCheckLines, sharingRow } from '../fixtures/shared-world.ts';

// The move to shared checks deletes records' old checks last: records, then alarms, then checks
// (README, "What reconcile does"). When the check deletion fails (throttled past the SDK's
// retries, a permission) the chain's own checks are left with no record and no alarm pointing at
// them, known only to status. If status is then lost, adoption (which looks only at records and
// alarms) finds nothing, and the full run keeps them because the chain still has a row: the old
// checks are billed for ever.

const A = 'a.example.com';

let world: LocalWorld;
afterEach(() => {
  world.destroy();
});

describe('review: a move to shared checks that stopped before deleting the old ones, then status was lost', () => {
  it('still deletes the chain’s own checks once its records use shared ones', async () => {
    world = await makeSharedWorld();
    const registry = world.deps.sharedChecks;
    // Before the upgrade: checks per chain.
    delete world.deps.sharedChecks;
    await world.chains.put(sharingRow(A, '1.1.1.1'));
    await reconcile(A, world.deps);

    // The upgrade's reconcile moves the records and alarms, then DeleteHealthCheck is refused.
    world.deps.sharedChecks = registry;
    const route53 = world.deps.route53;
    const deleteHealthCheck = route53.deleteHealthCheck.bind(route53);
    route53.deleteHealthCheck = () =>
      Promise.reject(Object.assign(new Error('not authorized'), { name: 'AccessDenied' }));
    await reconcile(A, world.deps).catch(() => undefined);
    route53.deleteHealthCheck = deleteHealthCheck;
    expect(sharedCheckLines(world)).toEqual([
      'a.example.com primary: HTTP 1.1.1.1:8888',
      'a.example.com secondary: HTTP 2.2.2.2:8888',
      'shared(default): HTTP 1.1.1.1:8888',
      'shared(default): HTTP 2.2.2.2:8888',
    ]);

    // Status is lost; the chain and the full run go on.
    await forgetStatus(world, A);
    await reconcile(A, world.deps);
    await reconcileAll(world.deps);
    await reconcileAll(world.deps);

    // A's records use the shared checks only: the own ones should be gone.
    expect(sharedCheckLines(world)).toEqual([
      'shared(default): HTTP 1.1.1.1:8888',
      'shared(default): HTTP 2.2.2.2:8888',
    ]);
  });
});
