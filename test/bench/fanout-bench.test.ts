import { describe, expect, it } from 'vitest';
import { fanoutTable, measureFanout } from '../../bench/fanout-bench.ts';

// The benchmark's fan-out, small: 250 chains share one secondary site, every tenth already
// serves it, and the site fails.
describe('fan-out benchmark of a shared check', () => {
  it('reads the alarms of 250 chains in 3 DescribeAlarms calls and alerts the 25 chains that moved', async () => {
    const result = await measureFanout(250);

    // 250 primaries' alarms and the shared one: 251 names, 100 a call.
    expect(result.calls['CloudWatch DescribeAlarms']).toBe(3);
    expect(result).toMatchObject({
      chains: 250,
      moved: 25,
      alerts: 25,
      oneAlertPerMovedChain: true,
      fits: true,
    });
    expect(result.calls['SNS Publish']).toBe(25);
    // One status read per chain and one Query of the check's users (whether its check is gone
    // is asked of Route 53, by the id in the alarm's name).
    expect(result.calls['DynamoDB GetItem']).toBe(250);
    expect(result.calls['DynamoDB Query']).toBe(1);
    expect(result.simulatedSeconds).toBeLessThan(5);
    expect(fanoutTable([result])[2]).toMatch(/^\| 250 \| 25 \/ 25 \| 3 \(0\) \|/);
  }, 60_000);
});
