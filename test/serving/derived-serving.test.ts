import { Logger } from '@aws-lambda-powertools/logger';
import { afterEach, describe, expect, it } from 'vitest';
import { makeHealthAlarmHandler } from '../../functions/health-alarm.ts';
import { alarmStateChangeEvent } from '../../local/alarm-events.ts';
import type { LocalWorld } from '../../local/local-world.ts';
import { answer } from '../../shared/core/route53-answer.ts';
import type { ResourceRecordSet } from '../../shared/core/route53-types.ts';
import { reconcileAll } from '../../shared/reconcile/reconcile-all.ts';
import { reconcile } from '../../shared/reconcile/reconcile.ts';
import { failback } from '../../shared/serving/failback.ts';
import { makeSharedWorld, sharingRow } from '../fixtures/shared-world.ts';
import { makeWorld, ZONE } from '../fixtures/world.ts';

// What a user sees, whichever way a change reaches the system: Route 53's answer (from the records
// and the health of the checks they use), the tier `chains status` names, and the alerts. The tier
// served is derived from the records as built and the health of every check they reference, after
// every build, every alarm (a chain's own or a shared check's) and every full run.

const ALPHA = 'alpha.example.com';
const BRAVO = 'bravo.example.com';

let world: LocalWorld;
let now: number;
let seen: number;
const events: Record<string, unknown>[] = [];
let handle: ReturnType<typeof makeHealthAlarmHandler>;

afterEach(() => {
  world.destroy();
});

/** A world whose chains share health checks (the default) or make their own. */
async function setup(shared: boolean): Promise<void> {
  now = Date.parse('2026-11-24T03:00:00.000Z');
  const clock = () => new Date(now);
  world = shared ? await makeSharedWorld({ clock }) : await makeWorld({ clock });
  seen = 0;
  events.length = 0;
  world.cloudwatch.onStateChange((change) => events.push(alarmStateChangeEvent(change)));
  handle = makeHealthAlarmHandler(() => world.deps, new Logger({ logLevel: 'SILENT' }));
}

async function apply(row: Record<string, unknown>) {
  await world.chains.put(row);
  return reconcile(row.name as string, world.deps);
}

const status = async (name: string) => (await world.deps.status.get(name))!;

/**
 * `name`'s primary endpoint goes down or comes back: Route 53's check on it (shared by every chain
 * probing it) turns, its alarm follows, and the alarm's event is delivered unless it is lost.
 */
async function primaryOf(name: string, healthy: boolean, delivered = true): Promise<void> {
  now += 60_000;
  const { healthChecks, alarms } = await status(name);
  const id = healthChecks.primary!.id!;
  if (healthy) world.route53.unhealthy.delete(id);
  else world.route53.unhealthy.add(id);
  world.cloudwatch.setState(alarms.primary!, healthy ? 'OK' : 'ALARM', 'Threshold Crossed', new Date(now));
  const delivery = events.splice(0);
  if (delivered) for (const event of delivery) await handle(event);
}

/** The tier Route 53 answers with for a sharingRow chain, from the records and check health it holds. */
function served(name: string): string {
  const healthy = new Set(
    [...world.route53.healthChecks.keys()].filter((id) => !world.route53.unhealthy.has(id)),
  );
  const result = answer(world.route53.records(ZONE) as ResourceRecordSet[], healthy, name, 'A');
  const value = result.path.at(-1)?.ResourceRecords?.[0]?.Value.replace(/\.$/, '');
  return (
    { [`primary.${name}`]: 'primary', 'site2.example.net': 'secondary', 'sorry.example.net': 'page' }[
      value ?? ''
    ] ?? `nothing (${value ?? 'no answer'})`
  );
}

/** What the status and Route 53 say serves, side by side. */
const serving = async (name: string) => ({ route53: served(name), status: (await status(name)).servingTier });

/** Alerts published since the last call, as `EVENT subject`, in order. */
function news(): string[] {
  const fresh = world.sns.published.slice(seen);
  seen = world.sns.published.length;
  return fresh.map((m) => `${m.attributes.event ?? '?'} ${m.subject ?? ''}`);
}

/** The primary's target is among the chain's records (it is not held out of them). */
const primaryInRecords = (name: string) =>
  world.route53.records(ZONE).some((r) => r.ResourceRecords?.[0]?.Value === `primary.${name}.`);

describe('a chain that joins a failing shared check', () => {
  it('is told where its traffic goes when built, and again when the endpoint recovers', async () => {
    await setup(true);
    await apply(sharingRow(ALPHA, '1.1.1.1'));
    await primaryOf(ALPHA, false);
    expect(news()).toEqual([`TIER_CHANGED ${ALPHA}: primary -> secondary`]);

    // A second chain whose primary probes the same endpoint joins the failing check.
    await apply(sharingRow(BRAVO, '1.1.1.1'));
    expect((await status(BRAVO)).healthChecks.primary!.id).toBe(
      (await status(ALPHA)).healthChecks.primary!.id,
    );
    expect(await serving(BRAVO)).toEqual({ route53: 'secondary', status: 'secondary' });
    expect((await status(BRAVO)).tierHealth).toMatchObject({ primary: 'unhealthy', secondary: 'healthy' });
    expect(news()).toEqual([`TIER_CHANGED ${BRAVO}: primary -> secondary`]);

    // Nothing left to do: no change, no alert.
    expect((await reconcile(BRAVO, world.deps)).recordChanges).toBe(0);
    expect(news()).toEqual([]);

    // The endpoint comes back: one alert for each chain, back on its primary.
    await primaryOf(ALPHA, true);
    expect(await serving(ALPHA)).toEqual({ route53: 'primary', status: 'primary' });
    expect(await serving(BRAVO)).toEqual({ route53: 'primary', status: 'primary' });
    expect(news().sort()).toEqual([
      `RECOVERED ${ALPHA}: secondary -> primary (recovered)`,
      `RECOVERED ${BRAVO}: secondary -> primary (recovered)`,
    ]);
    await reconcileAll(world.deps);
    expect(news()).toEqual([]);
  });
});

describe.each([
  ['shared health checks', true],
  ['its own health checks', false],
])('a chain on %s', (_, shared) => {
  it('a failure whose alarm event was lost is seen and alerted once by the next full run', async () => {
    await setup(shared);
    await apply(sharingRow(ALPHA, '1.1.1.1'));
    await primaryOf(ALPHA, false, false);
    expect(await serving(ALPHA)).toEqual({ route53: 'secondary', status: 'primary' });

    await reconcileAll(world.deps);
    expect(await serving(ALPHA)).toEqual({ route53: 'secondary', status: 'secondary' });
    expect(news()).toEqual([`TIER_CHANGED ${ALPHA}: primary -> secondary`]);
    await reconcileAll(world.deps);
    expect(news()).toEqual([]);
  });

  it('an alarm with no data for a check it saw failing keeps that check failing', async () => {
    await setup(shared);
    await apply(sharingRow(ALPHA, '1.1.1.1'));
    await primaryOf(ALPHA, false);
    news();
    now += 60_000;
    world.cloudwatch.setState(
      (await status(ALPHA)).alarms.primary!,
      'INSUFFICIENT_DATA',
      'gap',
      new Date(now),
    );
    for (const event of events.splice(0)) await handle(event);
    await reconcileAll(world.deps);
    expect(await serving(ALPHA)).toEqual({ route53: 'secondary', status: 'secondary' });
    expect(news()).toEqual([]);
  });

  it('a failing tier given a new check: status names what Route 53 serves, and one alert says so', async () => {
    await setup(shared);
    await apply(sharingRow(ALPHA, '1.1.1.1'));
    await primaryOf(ALPHA, false);
    news();
    const failed = (await status(ALPHA)).healthChecks.primary!.id;
    // A new request interval is a new check; Route 53 has no data for it yet.
    const row = sharingRow(ALPHA, '1.1.1.1');
    const tiers = row.tiers as Record<string, unknown>[];
    tiers[0] = { ...tiers[0], healthCheck: { type: 'HTTP', ip: '1.1.1.1', port: 8888, requestInterval: 10 } };
    await apply(row);
    const after = await serving(ALPHA);
    expect(after.status).toBe(after.route53);
    expect((await status(ALPHA)).healthChecks.primary!.id).not.toBe(failed);
    expect(news()).toEqual(
      after.route53 === 'secondary' ? [] : [`RECOVERED ${ALPHA}: secondary -> primary (recovered)`],
    );

    // Another of its alarms changes: the primary's alarm (moved to the new check) still says
    // ALARM about the old one, which is no news about the new check.
    now += 60_000;
    world.cloudwatch.setState(
      (await status(ALPHA)).alarms.secondary!,
      'OK',
      'Threshold Crossed',
      new Date(now),
    );
    for (const event of events.splice(0)) await handle(event);
    await reconcileAll(world.deps);
    expect(await serving(ALPHA)).toEqual(after);
    expect(news()).toEqual([]);
  });

  it('manual failback holds the failed primary out of the records until chains failback', async () => {
    await setup(shared);
    await apply({ ...sharingRow(ALPHA, '1.1.1.1'), failback: 'manual' });
    // Another chain on the same endpoint fails back by itself.
    await apply(sharingRow(BRAVO, shared ? '1.1.1.1' : '1.1.1.2'));

    await primaryOf(ALPHA, false);
    if (!shared) await primaryOf(BRAVO, false);
    expect(news().sort()).toEqual([
      `TIER_CHANGED ${ALPHA}: primary -> secondary`,
      `TIER_CHANGED ${BRAVO}: primary -> secondary`,
    ]);
    expect(await serving(ALPHA)).toEqual({ route53: 'secondary', status: 'secondary' });
    expect((await status(ALPHA)).heldTiers).toEqual(['primary']);
    expect(primaryInRecords(ALPHA)).toBe(false);

    // The primary recovers: traffic stays on the secondary, and the operator is told.
    await primaryOf(ALPHA, true);
    if (!shared) await primaryOf(BRAVO, true);
    expect(await serving(ALPHA)).toEqual({ route53: 'secondary', status: 'secondary' });
    expect(await serving(BRAVO)).toEqual({ route53: 'primary', status: 'primary' });
    expect(news().sort()).toEqual([
      `FAILBACK_PENDING ${ALPHA}: primary healthy again, failback pending`,
      `RECOVERED ${BRAVO}: secondary -> primary (recovered)`,
    ]);
    expect(primaryInRecords(ALPHA)).toBe(false);

    // A full run keeps it held.
    await reconcileAll(world.deps);
    expect(await serving(ALPHA)).toEqual({ route53: 'secondary', status: 'secondary' });
    expect((await status(ALPHA)).heldTiers).toEqual(['primary']);
    expect(news()).toEqual([]);

    // The operator fails back: one alert, and Route 53 serves the primary again.
    await failback(ALPHA, undefined, 'alice', world.deps);
    expect(await serving(ALPHA)).toEqual({ route53: 'primary', status: 'primary' });
    expect(news()).toEqual([`CONTROL_CHANGED ${ALPHA}: failed back primary, serving primary`]);
    expect((await status(ALPHA)).heldTiers).toBeUndefined();
    await reconcileAll(world.deps);
    expect(news()).toEqual([]);
  });
});
