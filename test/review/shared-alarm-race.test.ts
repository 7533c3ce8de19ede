import { afterEach, describe, expect, it } from 'vitest';
import type { LocalWorld } from '../../local/local-world.ts';
import type { ReconcileDeps } from '../../shared/ports.ts';
import { sharedFingerprint } from '../../shared/core/shared-checks.ts';
import { reconcile } from '../../shared/reconcile/reconcile.ts';
import { makeSharedWorld, sharedAlarmOf, sharingRow } from '../fixtures/shared-world.ts';
import { ZONE } from '../fixtures/world.ts';

const A = 'a.example.com';
const B = 'b.example.com';
const SITE2 = { Type: 'HTTP', IPAddress: '2.2.2.2', Port: 8888 } as const;
const SITE2_FP = sharedFingerprint(SITE2);

let world: LocalWorld;
afterEach(() => {
  world.destroy();
});

/** The same deps, with `hook` run once right after the first DescribeAlarms naming `fp`'s alarm answered. */
function afterDescribe(deps: ReconcileDeps, fp: string, hook: () => Promise<unknown>): ReconcileDeps {
  let done = false;
  const alarms = Object.create(deps.alarms) as ReconcileDeps['alarms'];
  alarms.describe = async (names) => {
    const answer = await deps.alarms.describe(names);
    if (!done && names.some((name) => name.includes(`/shared:${fp}/`))) {
      done = true;
      await hook();
    }
    return answer;
  };
  return { ...deps, alarms };
}

describe('review: the last user deleting a shared check while a new chain joins', () => {
  it('leaves the new generation of the check with its alarm, so its failovers are alerted', async () => {
    world = await makeSharedWorld();
    await world.chains.put(sharingRow(B, '1.1.1.2'));
    await reconcile(B, world.deps);

    // B, the last user of 2.2.2.2, goes. Right after it read the shared alarm, A arrives probing
    // 2.2.2.2: A finishes B's deletion, starts a new check and puts the alarm on it.
    await world.chains.remove(B);
    const slow = afterDescribe(world.deps, SITE2_FP, async () => {
      await world.chains.put(sharingRow(A, '1.1.1.1'));
      await reconcile(A, world.deps);
    });
    await reconcile(B, slow);

    const secondary = world.route53
      .records(ZONE)
      .find((r) => r.Name === `backup.${A}.` && r.HealthCheckId)?.HealthCheckId;
    expect(secondary).toBeDefined();
    expect(world.route53.healthChecks.has(secondary!)).toBe(true);
    // The check A's records fail over on has an alarm: without it no flip of 2.2.2.2 reaches anyone.
    expect(world.cloudwatch.alarms.get(sharedAlarmOf(world, SITE2_FP))?.Dimensions).toEqual([
      { Name: 'HealthCheckId', Value: secondary },
    ]);
  });
});
