import { Logger } from '@aws-lambda-powertools/logger';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeBuilderHandler } from '../../functions/build-chains.ts';
import { drainBuildQueue } from '../../local/builder-runner.ts';
import type { LocalWorld } from '../../local/local-world.ts';
import { DynamoFullRunCursor } from '../../shared/aws/full-run-cursor.ts';
import { reconcileAll } from '../../shared/reconcile/reconcile-all.ts';
import { seedRow } from '../fixtures/chains.ts';
import { makeWorld, recordLines } from '../fixtures/world.ts';

// A full run keeps its progress: chunk by chunk, records applied and status finished, the
// position saved in the Status table, so a run cut short by its deadline is continued next time.

let world: LocalWorld;
let now: number;
let cursor: DynamoFullRunCursor;
const names = Array.from({ length: 25 }, (_, i) => `site${i}.example.com`).sort();

beforeEach(async () => {
  now = Date.parse('2026-11-25T12:00:00Z');
  world = await makeWorld({ clock: () => new Date(now) });
  cursor = new DynamoFullRunCursor(world.dynamodb, world.tables.status);
  for (const name of names) await world.chains.put({ ...seedRow(), name });
});
afterEach(() => {
  world.destroy();
});

/** Chains whose level-0 records are in the zone. */
const withRecords = () =>
  new Set(names.filter((name) => recordLines(world).some((line) => line.startsWith(`${name}. `))));
const stateOf = async (name: string) => (await world.deps.status.get(name))?.state;

describe('resumable full run', () => {
  it('stops at its deadline after a whole chunk and continues from the cursor next time', async () => {
    // Each chain prepared takes a second of the run's clock; the deadline falls inside the first chunk.
    const tick = () => {
      now += 1000;
    };
    const first = await reconcileAll(world.deps, undefined, tick, {
      chunkSize: 10,
      cursor,
      deadline: now + 5000,
    });
    expect(first).toMatchObject({ complete: false, reconciled: 10 });
    expect(await cursor.get()).toBe(names[9]);
    const states = await Promise.all(names.map(stateOf));
    expect(states.slice(0, 10)).toEqual(Array(10).fill('IN_SYNC'));
    expect(states.slice(10)).toEqual(Array(15).fill(undefined));
    // Never IN_SYNC before its records exist.
    expect([...withRecords()]).toEqual(names.slice(0, 10));

    const second = await reconcileAll(world.deps, undefined, undefined, { chunkSize: 10, cursor });
    expect(second).toMatchObject({ complete: true, reconciled: 15, resumedAfter: names[9] });
    expect(await Promise.all(names.map(stateOf))).toEqual(Array(25).fill('IN_SYNC'));
    expect(withRecords().size).toBe(25);
    // A complete pass starts the next one from the top; the cursor is no chain's status.
    expect(await cursor.get()).toBeUndefined();
    expect((await world.deps.status.list()).map((s) => s.name).sort()).toEqual(names);
  });

  it('hands chains that need new checks to the builder instead of creating them', async () => {
    const summary = await reconcileAll(world.deps, undefined, undefined, {
      cursor,
      builder: world.buildQueue,
    });
    expect(summary.handedToBuilder.sort()).toEqual(names);
    expect(summary.byState).toEqual({ PENDING: 25 });
    expect(world.route53.calls.filter((c) => c === 'CreateHealthCheckCommand')).toEqual([]);
    expect(withRecords().size).toBe(0);

    await drainBuildQueue(
      world.sqs,
      makeBuilderHandler(() => world.deps, new Logger({ logLevel: 'SILENT' })),
    );
    expect(await Promise.all(names.map(stateOf))).toEqual(Array(25).fill('IN_SYNC'));
    expect(world.route53.healthChecks.size).toBe(50);
  });
});
