import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readmeCount } from '../fixtures/readme.ts';
import { commandArbs, newReal } from './commands.ts';
import { ReferenceModel } from './reference-model.ts';

// The whole system against the reference model, through random histories of up to three chains
// sharing four endpoints (see reference-model.ts for the model's rules and invariants.ts for what
// is checked). `npm test` runs a fixed, seeded budget; `npm run explore` runs ten times as many
// histories from a fresh seed and prints it with any counterexample, shrunk to its few steps.

const explore = process.env.MODEL_EXPLORE === '1';
/** Histories per run: a fixed budget in `npm test`, ten times that when exploring. */
export const MODEL_RUNS = 150;
const runs = Number(process.env.MODEL_RUNS ?? (explore ? MODEL_RUNS * 10 : MODEL_RUNS));
const seed = explore ? Date.now() % 2 ** 31 : 20261208;

describe('the whole system against its reference model', () => {
  it(
    `keeps Route 53's answer, status and alerts right in ${runs} random histories`,
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.commands(commandArbs, { maxCommands: 16, size: 'max' }), async (commands) => {
          const real = await newReal();
          try {
            await fc.asyncModelRun(() => ({ model: new ReferenceModel(), real }), commands);
          } finally {
            real.system.destroy();
          }
        }),
        { numRuns: runs, seed, endOnFailure: false, verbose: fc.VerbosityLevel.Verbose },
      );
    },
    explore ? 24 * 3_600_000 : 600_000,
  );

  it('the README states how many histories npm test runs', () => {
    expect(readmeCount('runs **{n} histories**')).toBe(MODEL_RUNS);
  });

  it('prints its seed when exploring', () => {
    if (explore) console.log(`model seed ${seed}, ${runs} histories`);
    expect(Number.isInteger(seed)).toBe(true);
  });
});
