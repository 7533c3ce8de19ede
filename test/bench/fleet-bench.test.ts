import { describe, expect, it } from 'vitest';
import { measureFleet, plannedFleet } from '../../bench/fleet-bench.ts';

// The benchmark's fleet, small: every chain has its own primary, its secondary is one of 100
// sites, and its last tier (one page) has no check.
const CHAINS = 300;

describe('fleet benchmark with shared endpoints', () => {
  it('creates one check per distinct endpoint, costs less, and a no-op run writes nothing and only lists', async () => {
    const [shared, own] = [await measureFleet(CHAINS, true), await measureFleet(CHAINS, false)];
    expect(shared.checksCreated).toBe(CHAINS + 100);
    expect(own.checksCreated).toBe(2 * CHAINS);
    expect(shared.alarms).toBe(CHAINS + 100);
    expect(shared.alarmPuts).toBe(CHAINS + 100);
    expect(shared.firstRunSeconds).toBeLessThan(own.firstRunSeconds);
    expect(shared.monthlyCents['non-aws']).toBeLessThan(own.monthlyCents['non-aws']);
    for (const run of [shared, own]) {
      expect(run.noOp.writes).toBe(0);
      expect(run.noOp.route53Reads).toBeLessThanOrEqual(run.noOp.readBudget);
    }
    // chains plan --all says the same before anything exists.
    expect(plannedFleet(CHAINS, true)).toEqual({
      checks: CHAINS + 100,
      alarms: CHAINS + 100,
      sharedTiers: 2 * CHAINS,
    });
    expect(plannedFleet(CHAINS, false).checks).toBe(2 * CHAINS);
  }, 120_000);
});
