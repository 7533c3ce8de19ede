import { describe, expect, it } from 'vitest';
import type { FaultKind } from '../../local/faults.ts';
import { seedRow } from '../fixtures/chains.ts';
import { readmeCount } from '../fixtures/readme.ts';
import { measure, sweep, type Scenario } from './fault-sweep.ts';

// Each scenario's change is run once per AWS call it makes and per kind of fault; the count of
// injection points is in each test's name (and the README).
const kinds: FaultKind[] = ['refused', 'reply-lost'];
const tiers = ['primary', 'secondary', 'tertiary', 'fourth'];
const seed = seedRow();
const fourth = { id: 'fourth', target: 'fourth.resilient-site.example.com' };

const scenarios: Scenario[] = [
  { name: 'create the seed chain', after: seed, tiers },
  {
    name: 'add a tier',
    before: seed,
    after: {
      ...seed,
      tiers: [
        ...seed.tiers.slice(0, 2),
        { ...seed.tiers[2], healthCheck: { type: 'HTTP', ip: '3.3.3.3', port: 8888 } },
        fourth,
      ],
    },
    tiers,
  },
  {
    name: "change a check's port (update in place)",
    before: seed,
    after: {
      ...seed,
      tiers: [
        { ...seed.tiers[0], healthCheck: { type: 'HTTP', ip: '1.1.1.1', port: 9999 } },
        ...seed.tiers.slice(1),
      ],
    },
    tiers,
  },
  {
    name: "change a check's interval (replaced, make before break)",
    before: seed,
    after: {
      ...seed,
      tiers: [
        { ...seed.tiers[0], healthCheck: { type: 'HTTP', ip: '1.1.1.1', port: 8888, requestInterval: 10 } },
        ...seed.tiers.slice(1),
      ],
    },
    tiers,
  },
];

const measured = await Promise.all(
  scenarios.map(async (scenario) => ({ scenario, run: await measure(scenario) })),
);

describe('fault sweep: building and changing a chain', () => {
  for (const { scenario, run } of measured) {
    const points = (run.end - run.start) * kinds.length;
    it(`${scenario.name}: ${points} injection points`, () => sweep(scenario, run, kinds), 300_000);
  }
  it('the README states how many', () => {
    const total = measured.reduce((sum, { run }) => sum + (run.end - run.start) * kinds.length, 0);
    expect(readmeCount('**{n} injection points** building and changing a chain')).toBe(total);
  });
});
