import { describe, expect, it } from 'vitest';
import type { LocalWorld } from '../../local/local-world.ts';
import { isLostRace } from '../../shared/ports.ts';
import { reconcile } from '../../shared/reconcile/reconcile.ts';
import { reconcileAll } from '../../shared/reconcile/reconcile-all.ts';
import { seedRow } from '../fixtures/chains.ts';
import { makeWorld, recordLines } from '../fixtures/world.ts';
import { gated, nextPrefix, Scheduler } from './interleaving.ts';
import { readmeText } from '../fixtures/readme.ts';

const NAME = 'resilient-site.example.com';
const drained = { ...seedRow(), drain: ['primary'] };
const PREEMPTIONS = 2;

/** The records of the seed chain with its primary drained, built alone. */
async function drainedRecords(): Promise<string[]> {
  const world = await makeWorld();
  try {
    await world.chains.put(drained);
    await reconcile(NAME, world.deps);
    return recordLines(world);
  } finally {
    world.destroy();
  }
}

type Other = (world: LocalWorld, scheduler: Scheduler) => Promise<unknown>;

/**
 * The stream applies an operator's drain (writing the row is its first step) while `other`
 * reconciles the same chain: run every interleaving of their reads and writes of the status
 * item, the row and the records. Lost races are retried afterwards, as their trigger would.
 * Every schedule must end with the drained chain, alerted exactly once, and never a failure alert.
 */
async function everyInterleaving(other: Other): Promise<number> {
  const expected = await drainedRecords();
  let prefix: number[] | undefined = [];
  let schedules = 0;
  while (prefix) {
    const world = await makeWorld();
    try {
      await world.chains.put(seedRow());
      await reconcile(NAME, world.deps);
      const scheduler = new Scheduler(prefix, PREEMPTIONS);
      const results = await scheduler.run({
        stream: async () => {
          await scheduler.step('stream');
          await world.chains.put(drained);
          return reconcile(NAME, gated(world.deps, 'stream', scheduler));
        },
        other: () => other(world, scheduler),
      });
      for (const result of Object.values(results)) {
        if (result instanceof Error) {
          expect(isLostRace(result), `${String(result)} in schedule ${prefix.join('')}`).toBe(true);
          await reconcile(NAME, world.deps);
        }
      }
      const where = `schedule ${scheduler.choices.map((c) => c.chosen).join('')}`;
      expect(recordLines(world), where).toEqual(expected);
      expect(
        world.sns.published.map((m) => m.subject),
        where,
      ).toEqual([`${NAME}: drained primary, serving secondary`]);
      schedules++;
      prefix = nextPrefix(scheduler.choices);
    } finally {
      world.destroy();
    }
  }
  return schedules;
}

/** The counts the README states: "(91 and 111 schedules)", stream + alarm handler first. */
function statedSchedules(): { alarmHandler: number; fullRun: number } {
  const [, alarmHandler, fullRun] = /\((\d+) and (\d+) schedules\)/.exec(readmeText()) ?? [];
  return { alarmHandler: Number(alarmHandler), fullRun: Number(fullRun) };
}

// Every interleaving with at most PREEMPTIONS preemptions (an actor that could go on stopped for the
// other; CHESS's bound); the README states the counts. The unbounded space is tens of thousands of runs.
describe('two reconciles of one chain, in every interleaving of their reads and writes with up to two preemptions', () => {
  it('stream + alarm handler: the newest row wins, one alert, no failure alert', async () => {
    const schedules = await everyInterleaving((world, scheduler) =>
      reconcile(NAME, gated(world.deps, 'other', scheduler)),
    );
    expect(statedSchedules().alarmHandler, 'the README states the count').toBe(schedules);
  }, 600_000);

  it('stream + schedule (full run): the newest row wins, one alert, no failure alert', async () => {
    const schedules = await everyInterleaving(async (world, scheduler) => {
      const summary = await reconcileAll(gated(world.deps, 'other', scheduler));
      expect(summary.failed).toEqual([]);
    });
    expect(statedSchedules().fullRun, 'the README states the count').toBe(schedules);
  }, 600_000);
});
