import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LocalWorld } from '../../local/local-world.ts';
import { compareAnswers } from '../../shared/core/answer-equivalence.ts';
import { importChain } from '../../shared/core/import-chain.ts';
import type { ResourceRecordSet } from '../../shared/core/route53-types.ts';
import { reconcile } from '../../shared/reconcile/reconcile.ts';
import { reconcileAll } from '../../shared/reconcile/reconcile-all.ts';
import {
  aliasATree,
  fiveLevelTree,
  otherNamesTree,
  seedConsoleTree,
  ZONE_ID,
} from '../fixtures/console-trees.ts';
import { createByHand, makeChecksByHand } from '../fixtures/hand-made.ts';
import { makeWorld, recordLines, writeCalls } from '../fixtures/world.ts';

// Adoption without a blip, against the stand-ins: a tree made by hand, imported, written as a
// row; the first reconcile replaces it in one batch the stand-in accepts, Route 53's answer is
// the same before and after for every combination of health, and a second reconcile writes nothing.

let world: LocalWorld;
beforeEach(async () => {
  world = await makeWorld();
});
afterEach(() => {
  world.destroy();
});

const layouts = [
  {
    title: "the seed's console layout",
    name: 'resilient-site.example.com',
    tree: seedConsoleTree,
    checks: 2,
    type: 'A',
  },
  { title: 'other intermediate names', name: 'www.example.com', tree: otherNamesTree, checks: 3, type: 'A' },
  {
    title: 'an A layout with alias nesting',
    name: 'shop.example.com',
    tree: aliasATree,
    checks: 2,
    type: 'A',
  },
  { title: 'a five-level tree', name: 'app.example.com', tree: fiveLevelTree, checks: 5, type: 'A' },
] as const;

async function importByHand(
  name: string,
  tree: (checks: readonly string[]) => ResourceRecordSet[],
  checks: number,
) {
  const ids = await makeChecksByHand(
    world,
    Array.from({ length: checks }, (_, i) => `8.8.${i}.8`),
  );
  await createByHand(world, tree(ids));
  const zone = await world.deps.route53.getZone(ZONE_ID);
  const records = await world.deps.route53.listZone(ZONE_ID);
  const result = importChain({ zone: { id: ZONE_ID, name: zone!.name, records }, name, owner: 'default' });
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  await world.chains.put({ ...result.row });
  return { ids, result };
}

describe('adopting a hand-made tree', () => {
  it.each(layouts)(
    '$title: one batch, the same answers before and after, then nothing to do',
    async (layout) => {
      const { ids } = await importByHand(layout.name, layout.tree, layout.checks);
      const before = structuredClone(world.route53.records(ZONE_ID));
      const batches = world.route53.batches.length;

      const first = await reconcile(layout.name, world.deps);
      expect(first).toMatchObject({ state: 'IN_SYNC', alerts: [] });
      expect(world.route53.batches).toHaveLength(batches + 1);
      const after = world.route53.records(ZONE_ID) as ResourceRecordSet[];
      // Only the chain's own records are left: the hand-made ones, at every name, are gone.
      expect(after.every((r) => r.SetIdentifier?.startsWith('failover-chains/default/'))).toBe(true);
      expect(after).toHaveLength(before.length);

      const proof = compareAnswers(
        before as ResourceRecordSet[],
        after,
        [...before, ...after] as ResourceRecordSet[],
        layout.name,
        layout.type,
      );
      expect(proof.counterexample).toBeUndefined();
      expect(proof.combinations).toBeGreaterThanOrEqual(2 ** layout.checks);

      // The user's checks are used as they are, never changed, and no check of the system's is made.
      expect([...world.route53.healthChecks.keys()].sort()).toEqual([...ids].sort());
      expect([...world.route53.healthChecks.values()].every((c) => c.HealthCheckVersion === 1)).toBe(true);

      const writes = writeCalls(world).length;
      expect(await reconcile(layout.name, world.deps)).toMatchObject({ state: 'IN_SYNC', recordChanges: 0 });
      expect(writeCalls(world).slice(writes)).toEqual([]);
    },
  );

  it('adopts through the full run too (each zone listed once), intermediate names elsewhere included', async () => {
    await importByHand('www.example.com', otherNamesTree, 3);
    const summary = await reconcileAll(world.deps);
    expect(summary.byState).toEqual({ IN_SYNC: 1 });
    expect(recordLines(world).map((line) => line.split(' -> ')[0])).toEqual([
      'www.example.com. CNAME failover-chains/default/0/primary',
      'www.example.com. CNAME failover-chains/default/0/secondary',
      'backup.www.example.com. CNAME failover-chains/default/1/primary',
      'backup.www.example.com. CNAME failover-chains/default/1/secondary',
      'backup2.www.example.com. CNAME failover-chains/default/2/primary',
      'backup2.www.example.com. CNAME failover-chains/default/2/secondary',
    ]);
  });

  it('adopts only the listed records: any other hand-made record at a chain name is a CONFLICT, nothing changes', async () => {
    await importByHand('www.example.com', otherNamesTree, 3);
    await createByHand(world, [
      {
        Name: 'backup.www.example.com.',
        Type: 'CNAME',
        TTL: 60,
        ResourceRecords: [{ Value: 'elsewhere.example.net' }],
      },
    ]);
    const batches = world.route53.batches.length;
    const result = await reconcile('www.example.com', world.deps);
    expect(result.state).toBe('CONFLICT');
    expect((await world.deps.status.get('www.example.com'))?.errors).toEqual([
      'backup.www.example.com. CNAME: held by a record failover-chains did not make; it is left untouched',
    ]);
    expect(world.route53.batches).toHaveLength(batches);
  });
});
