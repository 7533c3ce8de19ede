import { describe, expect, it } from 'vitest';
import { runBulkImport } from '../../bench/bulk-model.ts';

// The bulk-import model at a size that runs in a second: the real stream handler and builder,
// Lambda's delivery rules and one account's Route 53 buckets, in virtual time. `npm run bench`
// runs 1,000 and 10,000 chains; the README keeps its figures.
describe('bulk import model (50 new chains)', () => {
  it.each([1, 4])(
    'builds them at the account rate with %i shard(s), never waiting an edit behind them',
    async (shards) => {
      const result = await runBulkImport(50, shards);
      // 100 checks at 0.5 a second bound the import: the builder stays within 5% of it.
      expect(result.boundSeconds).toBe(200);
      expect(result.builtSeconds).toBeGreaterThanOrEqual(result.boundSeconds - 2);
      expect(result.builtSeconds).toBeLessThanOrEqual(result.boundSeconds * 1.05);
      expect(result.createAttemptsPerCheck).toBeLessThanOrEqual(1.05);
      expect(result.discarded).toBe(0);
      expect(result.timedOut).toBe(0);
      expect(result.editDelaySeconds).toBeLessThan(60);
    },
  );

  it('shows what pacing buys: without it, creations are throttled and retried', async () => {
    const paced = await runBulkImport(20, 1);
    const unpaced = await runBulkImport(20, 1, 60_000, { createIntervalMs: 0 });
    expect(unpaced.createAttemptsPerCheck).toBeGreaterThan(1.5);
    expect(unpaced.throttled).toBeGreaterThan(paced.throttled);
  });

  it('stops and says why when the import cannot finish, instead of running forever', async () => {
    // Room for 10 checks: the chain built before and four imported ones; six wait for the quota.
    await expect(runBulkImport(10, 1, 60_000, { quotas: { healthChecks: 10 } })).rejects.toThrow(
      /did not finish in 1\.\d h of model time: 4 IN_SYNC, 6 BLOCKED; drain applied/,
    );
  });
});
