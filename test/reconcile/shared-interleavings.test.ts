import { describe, expect, it } from 'vitest';
import type { LocalWorld } from '../../local/local-world.ts';
import { isLostRace, type ReconcileDeps, type SharedCheckRegistry } from '../../shared/ports.ts';
import { reconcile } from '../../shared/reconcile/reconcile.ts';
import { makeSharedWorld, sharingRow } from '../fixtures/shared-world.ts';
import { ZONE } from '../fixtures/world.ts';
import { nextPrefix, Scheduler } from './interleaving.ts';

const A = 'a.example.com';
const B = 'b.example.com';
const PREEMPTIONS = 2;

/** Every record's health check exists: no record is ever left on a deleted check. */
function assertNoDanglingCheck(world: LocalWorld, where: string): void {
  for (const record of world.route53.records(ZONE)) {
    if (record.HealthCheckId) {
      expect(world.route53.healthChecks.has(record.HealthCheckId), `${record.Name ?? ''} at ${where}`).toBe(
        true,
      );
    }
  }
}

/**
 * The deps of one actor with a scheduling point before each call the race is about: every
 * registry call, each record change and each health check or alarm deletion. At each point the
 * records are checked against the checks that exist.
 */
function gatedShared(
  deps: ReconcileDeps,
  actor: string,
  scheduler: Scheduler,
  world: LocalWorld,
): ReconcileDeps {
  const gate =
    <A extends unknown[], R>(call: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      await scheduler.step(actor);
      assertNoDanglingCheck(world, `${actor} step ${scheduler.choices.length}`);
      const result = await call(...args);
      assertNoDanglingCheck(world, `${actor} after step ${scheduler.choices.length}`);
      return result;
    };
  const registry = deps.sharedChecks!;
  const sharedChecks: SharedCheckRegistry = {
    get: gate((fp: string) => registry.get(fp)),
    isUser: gate((fp: string, user: string) => registry.isUser(fp, user)),
    users: gate((fp: string) => registry.users(fp)),
    usesOf: gate((chain: string) => registry.usesOf(chain)),
    reserve: gate((...a: Parameters<SharedCheckRegistry['reserve']>) => registry.reserve(...a)),
    join: gate((...a: Parameters<SharedCheckRegistry['join']>) => registry.join(...a)),
    renew: gate((...a: Parameters<SharedCheckRegistry['renew']>) => registry.renew(...a)),
    setId: gate((...a: Parameters<SharedCheckRegistry['setId']>) => registry.setId(...a)),
    leave: gate((...a: Parameters<SharedCheckRegistry['leave']>) => registry.leave(...a)),
    markDeleting: gate((...a: Parameters<SharedCheckRegistry['markDeleting']>) =>
      registry.markDeleting(...a),
    ),
    remove: gate((...a: Parameters<SharedCheckRegistry['remove']>) => registry.remove(...a)),
    list: gate(() => registry.list()),
  };
  const route53 = Object.assign(Object.create(deps.route53) as ReconcileDeps['route53'], {
    changeRecords: gate((...a: Parameters<ReconcileDeps['route53']['changeRecords']>) =>
      deps.route53.changeRecords(...a),
    ),
    deleteHealthCheck: gate((id: string) => deps.route53.deleteHealthCheck(id)),
  });
  return { ...deps, sharedChecks, route53, sleep: () => Promise.resolve() };
}

describe('a chain joins a shared check while its last user leaves, in every interleaving (up to two preemptions)', () => {
  it('never leaves a record on a deleted check, and ends with the joiner on a live check', async () => {
    let prefix: number[] | undefined = [];
    let schedules = 0;
    while (prefix) {
      const world = await makeSharedWorld();
      try {
        // A alone uses its two checks; B probes exactly the same endpoints.
        await world.chains.put(sharingRow(A, '1.1.1.1'));
        await reconcile(A, world.deps);
        await world.chains.put({ ...sharingRow(A, '1.1.1.1'), name: B });
        await world.chains.remove(A);
        const scheduler = new Scheduler(prefix, PREEMPTIONS);
        const results = await scheduler.run({
          join: () => reconcile(B, gatedShared(world.deps, 'join', scheduler, world)),
          leave: () => reconcile(A, gatedShared(world.deps, 'leave', scheduler, world)),
        });
        const where = `schedule ${scheduler.choices.map((c) => c.chosen).join('')}`;
        for (const [actor, result] of Object.entries(results)) {
          if (result instanceof Error) {
            expect(isLostRace(result), `${actor}: ${String(result)} in ${where}`).toBe(true);
            await reconcile(actor === 'join' ? B : A, world.deps);
          }
        }
        assertNoDanglingCheck(world, where);
        expect((await world.deps.status.get(B))?.state, where).toBe('IN_SYNC');
        expect((await world.deps.status.get(A))?.state, where).toBe('DELETED');
        const records = world.route53.records(ZONE);
        expect(
          records.filter((r) => r.HealthCheckId).map((r) => r.Name),
          where,
        ).toEqual([`${B}.`, `backup.${B}.`]);
        // Exactly B's two checks exist, each registered with B alone.
        expect(world.route53.healthChecks.size, where).toBe(2);
        const items = await world.deps.sharedChecks!.list();
        expect(items.map((item) => item.users).sort(), where).toEqual([[`${B}/primary`], [`${B}/secondary`]]);
        expect(
          items.map((item) => item.userCount),
          where,
        ).toEqual([1, 1]);
        expect(
          items.every((item) => !item.deleting && world.route53.healthChecks.has(item.id!)),
          where,
        ).toBe(true);
        schedules++;
        prefix = nextPrefix(scheduler.choices);
      } finally {
        world.destroy();
      }
    }
    console.log(`join + last leave: ${schedules} interleavings`);
  }, 900_000);
});
