import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { alarmStateChangeEvent } from '../../local/alarm-events.ts';
import type { LocalWorld } from '../../local/local-world.ts';
import { parseAlarmEvent } from '../../shared/core/alarm-event.ts';
import { reconcile } from '../../shared/reconcile/reconcile.ts';
import { seedRow } from '../fixtures/chains.ts';
import { makeWorld } from '../fixtures/world.ts';

// Route 53 and CloudWatch refuse tag values over 256 characters
// (https://docs.aws.amazon.com/Route53/latest/APIReference/API_Tag.html) and alarm names over
// 255 (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html),
// on every retry: a valid row whose names would not fit could never be built.

let world: LocalWorld;
beforeEach(async () => {
  world = await makeWorld({ owner: `o${'x'.repeat(30)}9` });
});
afterEach(() => {
  world.destroy();
});

/** A 245-character name under example.com: long enough that no name made from it fits as it is. */
const longName = `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(41)}.example.com`;

describe('a chain with a name near the 253-character limit', () => {
  it('is built with tags and alarm names AWS accepts, and its alarms lead back to it', async () => {
    expect(longName).toHaveLength(245);
    const row = seedRow();
    row.name = longName;
    const tierId = `t${'y'.repeat(30)}9`;
    row.tiers[0]!.id = tierId;
    await world.chains.put(row);

    const result = await reconcile(longName, world.deps);
    expect(result.state).toBe('IN_SYNC');

    const tags = [...world.route53.healthChecks.values()].flatMap((check) => [...check.tags]);
    expect(tags.length).toBeGreaterThan(0);
    for (const [key, value] of tags) {
      expect(key.length).toBeLessThanOrEqual(128);
      expect(value.length).toBeLessThanOrEqual(256);
    }
    expect(tags.filter(([key]) => key === 'failover-chains:chain').map(([, value]) => value)).toEqual([
      longName,
      longName,
    ]);

    const alarms = [...world.cloudwatch.alarms.values()];
    expect(alarms).toHaveLength(2);
    const targets = alarms.map((alarm) => {
      expect(alarm.AlarmName!.length).toBeLessThanOrEqual(255);
      return parseAlarmEvent(
        alarmStateChangeEvent({
          alarm,
          state: 'ALARM',
          previousState: 'OK',
          reason: 'test',
          at: new Date(0),
        }),
        world.deps.settings.owner,
      );
    });
    expect(targets.map((target) => `${target?.chain} ${target?.tier}`).sort()).toEqual(
      [`${longName} ${tierId}`, `${longName} secondary`].sort(),
    );
  });
});
