import { Logger } from '@aws-lambda-powertools/logger';
import { DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { afterEach, describe, expect, it } from 'vitest';
import { makeHealthAlarmHandler } from '../../functions/health-alarm.ts';
import { alarmStateChangeEvent } from '../../local/alarm-events.ts';
import { faultError } from '../../local/faults.ts';
import type { LocalWorld } from '../../local/local-world.ts';
import { sharedFingerprint } from '../../shared/core/shared-checks.ts';
import type { ServingDeps } from '../../shared/ports.ts';
import { reconcileAll } from '../../shared/reconcile/reconcile-all.ts';
import { makeSharedWorld, sharedAlarmOf, sharingRow } from '../fixtures/shared-world.ts';

// One shared check used by more chains than one DescribeAlarms call can name (100): the alarm
// handler reads every user's alarms in as few calls as their names need, and still alerts each
// chain whose serving tier moved once, and no other.
const CHAINS = 120;
const SITE2_FP = sharedFingerprint({ Type: 'HTTP', IPAddress: '2.2.2.2', Port: 8888 });
const names = Array.from({ length: CHAINS }, (_, i) => `c${String(i).padStart(3, '0')}.example.com`);
/** Every tenth chain's own primary is down, so it serves the shared site when the site fails. */
const moving = names.filter((_, i) => i % 10 === 0);

let world: LocalWorld;
let now = Date.parse('2026-11-25T03:00:00.000Z');
const events: Record<string, unknown>[] = [];
afterEach(() => {
  world.destroy();
});

/** The fleet built, its moving chains on their secondary (their alerts already sent). */
async function fleet(): Promise<void> {
  world = await makeSharedWorld({ clock: () => new Date(now) });
  world.cloudwatch.onStateChange((change) => events.push(alarmStateChangeEvent(change)));
  for (const [i, name] of names.entries()) {
    await world.chains.put(sharingRow(name, `1.1.${Math.floor(i / 200)}.${(i % 200) + 1}`));
  }
  await reconcileAll(world.deps);
  now += 60_000;
  const handle = handler(world.deps);
  for (const name of moving) {
    const alarm = (await world.deps.status.get(name))!.alarms.primary!;
    world.cloudwatch.setState(alarm, 'ALARM', 'Threshold Crossed', new Date(now));
    for (const event of events.splice(0)) await handle(event);
  }
  expect(world.sns.published.map((m) => m.subject).sort()).toEqual(
    moving.map((name) => `${name}: primary -> secondary`),
  );
}

function handler(deps: ServingDeps) {
  return makeHealthAlarmHandler(() => deps, new Logger({ logLevel: 'SILENT' }));
}

/** The shared site fails; its one alarm event, to deliver as many times as a test likes. */
function siteFails(): Record<string, unknown> {
  now += 60_000;
  world.cloudwatch.setState(sharedAlarmOf(world, SITE2_FP), 'ALARM', 'Threshold Crossed', new Date(now));
  const [event] = events.splice(0);
  return event!;
}

const describeCalls = () => world.cloudwatch.calls.filter((call) => call === 'DescribeAlarmsCommand').length;
const subjectsFrom = (index: number) =>
  world.sns.published
    .slice(index)
    .map((m) => m.subject)
    .sort();
const serving = async () =>
  Object.fromEntries(
    await Promise.all(names.map(async (name) => [name, (await world.deps.status.get(name))?.servingTier])),
  ) as Record<string, string | undefined>;

describe('a shared check used by 120 chains fails', () => {
  it('reads their 121 alarms in 2 DescribeAlarms calls and alerts exactly the 12 chains it moved, once', async () => {
    await fleet();
    const event = siteFails();
    const [calls, sent] = [describeCalls(), world.sns.published.length];

    await handler(world.deps)(event);

    // 120 primaries' alarms and the shared one: 121 names, 100 a call.
    expect(describeCalls() - calls).toBe(2);
    expect(subjectsFrom(sent)).toEqual(moving.map((name) => `${name}: secondary -> page`));
    const after = await serving();
    for (const name of names) expect(after[name]).toBe(moving.includes(name) ? 'page' : 'primary');
    expect((await world.deps.status.get(names[1]!))?.tierHealth).toEqual({
      primary: 'healthy',
      secondary: 'unhealthy',
      page: 'unchecked',
    });

    // EventBridge delivers at least once: the same event again alerts nobody.
    await handler(world.deps)(event);
    expect(world.sns.published).toHaveLength(sent + moving.length);
  }, 120_000);

  it('fails the event when the batched alarm read fails, before anything is written; its redelivery alerts each moved chain once', async () => {
    await fleet();
    const event = siteFails();
    const sent = world.sns.published.length;
    const before = await serving();
    // The second of the two DescribeAlarms calls is refused (AccessDenied: the SDK does not retry it).
    const send = world.cloudwatch.send.bind(world.cloudwatch);
    let describes = 0;
    world.cloudwatch.send = (command: object) =>
      command instanceof DescribeAlarmsCommand && ++describes === 2
        ? Promise.reject(faultError('cloudwatch', 'refused'))
        : send(command);

    await expect(handler(world.deps)(event)).rejects.toThrow(/not authorized|AccessDenied/i);
    expect(world.sns.published).toHaveLength(sent);
    expect(await serving()).toEqual(before);

    await handler(world.deps)(event);
    await handler(world.deps)(event);
    expect(subjectsFrom(sent)).toEqual(moving.map((name) => `${name}: secondary -> page`));
  }, 120_000);

  it('still observes every other chain when one cannot be, fails the event, and its redelivery alerts only that one', async () => {
    await fleet();
    const event = siteFails();
    const sent = world.sns.published.length;
    const broken = moving[3]!;
    let refused = false;
    const status: ServingDeps['status'] = Object.create(world.deps.status) as ServingDeps['status'];
    status.save = (item, expected) => {
      if (item.name !== broken || refused) return world.deps.status.save(item, expected);
      refused = true;
      return Promise.reject(faultError('dynamodb', 'refused'));
    };

    await expect(handler({ ...world.deps, status })(event)).rejects.toThrow(
      `1 of ${CHAINS} chains sharing ${SITE2_FP} not observed`,
    );
    const others = moving.filter((name) => name !== broken);
    expect(subjectsFrom(sent)).toEqual(others.map((name) => `${name}: secondary -> page`));
    expect((await world.deps.status.get(broken))?.servingTier).toBe('secondary');

    await handler({ ...world.deps, status })(event);
    expect(subjectsFrom(sent)).toEqual(moving.map((name) => `${name}: secondary -> page`));
  }, 120_000);
});
