import { describe, expect, it } from 'vitest';
import { measure } from '../../bench/reconcile-bench.ts';

// The benchmark's promises, checked at a size that runs in a second. `npm run bench` measures
// 100 to 10,000 chains; the README keeps its figures.
describe('full reconcile at scale (bench harness, 400 chains)', () => {
  it('reads each zone once, writes nothing when nothing changed, and groups writes', async () => {
    const [first, noop, edit] = await measure(400, 'buckets', 'grouped');
    // 400 chains x 4 records in 300-record pages.
    expect(noop!.zonePages).toBe(6);
    expect(noop!.recordListCalls).toBeLessThanOrEqual(noop!.zonePages);
    expect(noop!.route53Writes).toBe(0);
    expect(noop!.cloudwatchCalls).toBe(Math.ceil(800 / 100));
    // 1,600 records created one shared batch per chunk of 100 chains (the full run keeps its
    // progress chunk by chunk).
    expect(first!.route53Calls.ChangeResourceRecordSets).toBe(4);
    expect(first!.route53Calls.CreateHealthCheck).toBe(800);
    // Creating 800 health checks at 0.5 a second bounds the first run.
    expect(first!.simulatedSeconds).toBeGreaterThanOrEqual(799 / 0.5);
    // 4 chains edited (c0, c100, c200, c300): one shared UPSERT batch per chunk of 100 they fall in.
    expect(edit!.route53Calls.ChangeResourceRecordSets).toBe(3);
    expect(edit!.route53Writes).toBe(3);
  });

  it('makes far fewer calls than reconciling chain by chain', async () => {
    const grouped = await measure(100, 'flat', 'grouped');
    const naive = await measure(100, 'flat', 'naive');
    const calls = (r: (typeof grouped)[number]) => r.route53Reads + r.route53Writes;
    expect(calls(naive[1]!)).toBeGreaterThanOrEqual(50 * calls(grouped[1]!));
    expect(naive[1]!.simulatedSeconds).toBeGreaterThan(10 * grouped[1]!.simulatedSeconds);
  });
});
