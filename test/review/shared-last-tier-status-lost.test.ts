import { afterEach, describe, expect, it } from 'vitest';
import type { LocalWorld } from '../../local/local-world.ts';
import { sharedFingerprint } from '../../shared/core/shared-checks.ts';
import { reconcile } from '../../shared/reconcile/reconcile.ts';
import { reconcileAll } from '../../shared/reconcile/reconcile-all.ts';
import {
  forgetStatus,
  makeSharedWorld,
  rowWithWatchedPage,
  sharedCheckLines,
} from '../fixtures/shared-world.ts';

// The last tier's check is never attached to a record (README: "watched for alerts but never
// attached to its record"), and a shared check's alarm is named for the check, not the chain. So
// a chain whose status was lost has nothing pointing at its last tier's shared check: when that
// tier moves away, its place among the check's users is never given up and the check is billed
// for ever.

const A = 'a.example.com';
const PAGE = { Type: 'HTTP', IPAddress: '3.3.3.3', Port: 8888 } as const;

let world: LocalWorld;
afterEach(() => {
  world.destroy();
});

describe('review: the last tier’s shared check of a chain whose status was lost', () => {
  it('is deleted once the last tier probes with other settings', async () => {
    world = await makeSharedWorld();
    await world.chains.put(rowWithWatchedPage(A));
    await reconcile(A, world.deps);
    expect(sharedCheckLines(world)).toContain('shared(default): HTTP 3.3.3.3:8888');

    await forgetStatus(world, A);
    await world.chains.put(rowWithWatchedPage(A, { path: '/health' }));
    await reconcile(A, world.deps);
    await reconcileAll(world.deps);
    await reconcileAll(world.deps);

    // Nothing probes 3.3.3.3:8888/ any more: only the /health check should be left on 3.3.3.3.
    const paths = [...world.route53.healthChecks.values()]
      .filter((c) => c.HealthCheckConfig.IPAddress === '3.3.3.3')
      .map((c) => c.HealthCheckConfig.ResourcePath);
    expect(paths).toEqual(['/health']);
    expect(await world.deps.sharedChecks!.get(sharedFingerprint(PAGE))).toBeUndefined();
  });

  it('is deleted once the chain opts out of sharing', async () => {
    world = await makeSharedWorld();
    await world.chains.put(rowWithWatchedPage(A));
    await reconcile(A, world.deps);

    await forgetStatus(world, A);
    await world.chains.put(rowWithWatchedPage(A, {}, false));
    await reconcile(A, world.deps);
    await reconcileAll(world.deps);
    await reconcileAll(world.deps);

    // The chain now has its own checks only; no shared check is left for it to pay for.
    expect(sharedCheckLines(world).filter((line) => line.startsWith('shared('))).toEqual([]);
    expect(await world.deps.sharedChecks!.list()).toEqual([]);
  });
});
