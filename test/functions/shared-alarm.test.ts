import { Logger } from '@aws-lambda-powertools/logger';
import { afterEach, describe, expect, it } from 'vitest';
import { makeHealthAlarmHandler } from '../../functions/health-alarm.ts';
import { alarmStateChangeEvent } from '../../local/alarm-events.ts';
import type { LocalWorld } from '../../local/local-world.ts';
import { sharedFingerprint } from '../../shared/core/shared-checks.ts';
import type { HealthCheckConfig } from '../../shared/core/route53-types.ts';
import { reconcile } from '../../shared/reconcile/reconcile.ts';
import { makeSharedWorld, sharedAlarmOf, sharingRow } from '../fixtures/shared-world.ts';

const SITE2: HealthCheckConfig = { Type: 'HTTP', IPAddress: '2.2.2.2', Port: 8888 };
const own = (ip: string): HealthCheckConfig => ({ ...SITE2, IPAddress: ip });

let world: LocalWorld;
afterEach(() => {
  world.destroy();
});

describe('a shared check fails', () => {
  it('alerts once for each chain whose serving tier it moves, and for no other', async () => {
    let now = Date.parse('2026-11-24T03:00:00.000Z');
    world = await makeSharedWorld({ clock: () => new Date(now) });
    const events: Record<string, unknown>[] = [];
    world.cloudwatch.onStateChange((change) => events.push(alarmStateChangeEvent(change)));
    // a and b already fail over to the shared site; c still serves its own primary.
    const rows = [
      sharingRow('a.example.com', '1.1.1.1'),
      sharingRow('b.example.com', '1.1.1.2'),
      sharingRow('c.example.com', '1.1.1.3'),
    ];
    for (const row of rows) {
      await world.chains.put(row);
      await reconcile(row.name as string, world.deps);
    }
    const handle = makeHealthAlarmHandler(() => world.deps, new Logger({ logLevel: 'SILENT' }));
    const setHealth = async (config: HealthCheckConfig, healthy: boolean) => {
      const fp = sharedFingerprint(config);
      const id = (await world.deps.sharedChecks!.get(fp))!.id!;
      if (healthy) world.route53.unhealthy.delete(id);
      else world.route53.unhealthy.add(id);
      world.cloudwatch.setState(
        sharedAlarmOf(world, fp),
        healthy ? 'OK' : 'ALARM',
        'Threshold Crossed',
        new Date(now),
      );
      for (const event of events.splice(0)) await handle(event);
    };
    now += 60_000;
    await setHealth(own('1.1.1.1'), false);
    await setHealth(own('1.1.1.2'), false);
    expect(world.sns.published.map((m) => m.subject)).toEqual([
      'a.example.com: primary -> secondary',
      'b.example.com: primary -> secondary',
    ]);

    now += 60_000;
    await setHealth(SITE2, false);
    // Observed at once: the alerts may come in either order.
    expect(
      world.sns.published
        .slice(2)
        .map((m) => m.subject)
        .sort(),
    ).toEqual(['a.example.com: secondary -> page', 'b.example.com: secondary -> page']);
    expect((await world.deps.status.get('c.example.com'))?.servingTier).toBe('primary');

    // The same event again (EventBridge delivers at least once) alerts nobody twice.
    world.cloudwatch.setState(
      sharedAlarmOf(world, sharedFingerprint(SITE2)),
      'ALARM',
      'again',
      new Date(now),
    );
    for (const event of events.splice(0)) await handle(event);
    expect(world.sns.published).toHaveLength(4);
  });
});
