import { Logger } from '@aws-lambda-powertools/logger';
import { afterEach, describe, expect, it } from 'vitest';
import { makeHealthAlarmHandler } from '../../functions/health-alarm.ts';
import { alarmStateChangeEvent } from '../../local/alarm-events.ts';
import type { LocalWorld } from '../../local/local-world.ts';
import { sharedFingerprint } from '../../shared/core/shared-checks.ts';
import { reconcile } from '../../shared/reconcile/reconcile.ts';
import { danglingChecks, makeSharedWorld, sharedAlarmOf, sharingRow } from '../fixtures/shared-world.ts';
import { makeWorld, ZONE } from '../fixtures/world.ts';
import { seedRow } from '../fixtures/chains.ts';

const A = 'a.example.com';
const B = 'b.example.com';
const SITE2 = { Type: 'HTTP', IPAddress: '2.2.2.2', Port: 8888 } as const;

let world: LocalWorld;
afterEach(() => {
  world.destroy();
});

const dangling = () => danglingChecks(world, ZONE);

describe('review: a check deleted by hand, as its alarm reports it', () => {
  it('a chain’s own check: the alarm handler repairs it at once (for comparison)', async () => {
    world = await makeWorld();
    const events: Record<string, unknown>[] = [];
    world.cloudwatch.onStateChange((change) => events.push(alarmStateChangeEvent(change)));
    const row = seedRow();
    await world.chains.put(row);
    await reconcile(row.name as string, world.deps);
    const status = (await world.deps.status.get(row.name as string))!;
    const [tier, check] = Object.entries(status.healthChecks)[0]!;
    // The alarm had data (OK) before the check went.
    world.cloudwatch.setState(status.alarms[tier]!, 'OK', 'healthy', new Date());
    events.length = 0;
    world.route53.healthChecks.delete(check.id!);
    world.cloudwatch.setState(status.alarms[tier]!, 'INSUFFICIENT_DATA', 'no data', new Date());
    const handle = makeHealthAlarmHandler(() => world.deps, new Logger({ logLevel: 'SILENT' }));
    for (const event of events.splice(0)) await handle(event);
    expect(dangling()).toEqual([]);
  });

  it('a shared check: its users’ records are moved to a live check when its alarm reports it', async () => {
    world = await makeSharedWorld();
    const events: Record<string, unknown>[] = [];
    world.cloudwatch.onStateChange((change) => events.push(alarmStateChangeEvent(change)));
    for (const row of [sharingRow(A, '1.1.1.1'), sharingRow(B, '1.1.1.2')]) {
      await world.chains.put(row);
      await reconcile(row.name as string, world.deps);
    }
    const fp = sharedFingerprint(SITE2);
    world.cloudwatch.setState(sharedAlarmOf(world, fp), 'OK', 'healthy', new Date());
    events.length = 0;
    world.route53.healthChecks.delete((await world.deps.sharedChecks!.get(fp))!.id!);
    // With no check, its metric stops: the alarm goes to INSUFFICIENT_DATA, an event is sent.
    world.cloudwatch.setState(sharedAlarmOf(world, fp), 'INSUFFICIENT_DATA', 'no data', new Date());
    const handle = makeHealthAlarmHandler(() => world.deps, new Logger({ logLevel: 'SILENT' }));
    for (const event of events.splice(0)) await handle(event);
    // Until the next scheduled full run, both chains fail over on a check that does not exist.
    expect(dangling()).toEqual([]);
  });
});
