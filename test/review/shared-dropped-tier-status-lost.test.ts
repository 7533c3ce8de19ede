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
  sharingRow,
} from '../fixtures/shared-world.ts';
import { ZONE } from '../fixtures/world.ts';

// A chain whose status was lost asks the registry which shared checks its tiers use, but only
// for the tiers that still have a managed check of their own (adopt-checks.ts takes the tier ids
// of managed checks status does not know). A tier that no longer has a check at all (its check
// removed from the row, or the tier removed) is never asked about: its place among the shared
// check's users is never given up, the full run keeps users whose chain has a row, and the
// check is billed for ever.

const A = 'a.example.com';
const PAGE = { Type: 'HTTP', IPAddress: '3.3.3.3', Port: 8888 } as const;

let world: LocalWorld;
afterEach(() => {
  world.destroy();
});

describe('review: a chain whose status was lost and whose tier no longer has a check', () => {
  it('gives up the shared check its last tier used once the row stops probing the page', async () => {
    world = await makeSharedWorld();
    await world.chains.put(rowWithWatchedPage(A));
    await reconcile(A, world.deps);
    expect(sharedCheckLines(world)).toContain('shared(default): HTTP 3.3.3.3:8888');

    await forgetStatus(world, A);
    // The page is no longer watched: the row as sharingRow makes it, with no check on its last tier.
    await world.chains.put(sharingRow(A, '1.1.1.1'));
    await reconcile(A, world.deps);
    await reconcileAll(world.deps);
    await reconcileAll(world.deps);

    // Nothing probes 3.3.3.3 any more: its shared check should be gone, with its registry item.
    expect(sharedCheckLines(world)).not.toContain('shared(default): HTTP 3.3.3.3:8888');
    expect(await world.deps.sharedChecks!.get(sharedFingerprint(PAGE))).toBeUndefined();
  });

  it('gives up the shared check of a tier removed from the row', async () => {
    world = await makeSharedWorld();
    const row = sharingRow(A, '1.1.1.1');
    const tiers = row.tiers as Record<string, unknown>[];
    // Four tiers: the third probes 3.3.3.3 (a shared check on a record).
    const four = {
      ...row,
      tiers: [
        tiers[0],
        tiers[1],
        {
          id: 'third',
          target: 'site3.example.net',
          healthCheck: { type: 'HTTP', ip: '3.3.3.3', port: 8888 },
        },
        tiers[2],
      ],
    };
    await world.chains.put(four);
    await reconcile(A, world.deps);
    expect(sharedCheckLines(world)).toContain('shared(default): HTTP 3.3.3.3:8888');

    await forgetStatus(world, A);
    await world.chains.put(row);
    await reconcile(A, world.deps);
    await reconcileAll(world.deps);
    await reconcileAll(world.deps);

    // No record uses it any more (the third tier's records are gone with the tier), and it is gone.
    const id = [...world.route53.healthChecks.values()].find(
      (c) => c.HealthCheckConfig.IPAddress === '3.3.3.3',
    )?.Id;
    expect(id).toBeUndefined();
    expect(world.route53.records(ZONE).filter((r) => r.Name?.startsWith('backup2.'))).toEqual([]);
    expect(sharedCheckLines(world)).not.toContain('shared(default): HTTP 3.3.3.3:8888');
    expect(await world.deps.sharedChecks!.get(sharedFingerprint(PAGE))).toBeUndefined();
  });
});
