import { describe, expect, it } from 'vitest';
import type { FaultKind } from '../../local/faults.ts';
import { seedRow } from '../fixtures/chains.ts';
import { readmeCount } from '../fixtures/readme.ts';
import { measure, OTHER_ZONE, sweep, type Scenario } from './fault-sweep.ts';

// See fault-sweep-build.test.ts: one run per AWS call of the change and per kind of fault.
const kinds: FaultKind[] = ['refused', 'reply-lost'];
const tiers = ['primary', 'secondary', 'tertiary'];
const seed = seedRow();

const scenarios: Scenario[] = [
  {
    name: 'reorder tiers',
    before: seed,
    after: { ...seed, tiers: [seed.tiers[1], seed.tiers[0], seed.tiers[2]] },
    tiers,
  },
  { name: 'drain the primary', before: seed, after: { ...seed, drain: ['primary'] }, tiers },
  { name: 'pin the tertiary', before: seed, after: { ...seed, pin: 'tertiary', force: true }, tiers },
  { name: 'move to another zone', before: seed, after: { ...seed, hostedZoneId: OTHER_ZONE }, tiers },
  { name: 'delete the row', before: seed, after: 'delete', tiers },
];

const measured = await Promise.all(
  scenarios.map(async (scenario) => ({ scenario, run: await measure(scenario) })),
);

describe('fault sweep: operator changes, a zone move and a delete', () => {
  for (const { scenario, run } of measured) {
    const points = (run.end - run.start) * kinds.length;
    it(`${scenario.name}: ${points} injection points`, () => sweep(scenario, run, kinds), 300_000);
  }
  it('the README states how many', () => {
    const total = measured.reduce((sum, { run }) => sum + (run.end - run.start) * kinds.length, 0);
    expect(readmeCount('**{n}** for operator changes, a zone move and a delete')).toBe(total);
  });
});
