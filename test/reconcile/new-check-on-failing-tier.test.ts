import { Logger } from '@aws-lambda-powertools/logger';
import { DeleteHealthCheckCommand } from '@aws-sdk/client-route-53';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.ts';
import { makeHealthAlarmHandler } from '../../functions/health-alarm.ts';
import { alarmStateChangeEvent } from '../../local/alarm-events.ts';
import type { LocalWorld } from '../../local/local-world.ts';
import type { ChainStatus } from '../../shared/core/chain-status.ts';
import { toFqdn } from '../../shared/core/dns-name.ts';
import { answer } from '../../shared/core/route53-answer.ts';
import type { ResourceRecordSet } from '../../shared/core/route53-types.ts';
import { reconcile } from '../../shared/reconcile/reconcile.ts';
import { reconcileAll } from '../../shared/reconcile/reconcile-all.ts';
import { seedConsoleTree, ZONE_ID } from '../fixtures/console-trees.ts';
import { createByHand, makeChecksByHand } from '../fixtures/hand-made.ts';
import { makeSharedWorld, sharingRow } from '../fixtures/shared-world.ts';
import { makeWorld, ZONE } from '../fixtures/world.ts';

// "Route 53 considers a new health check to be healthy until there's enough data to determine
// the actual status" (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-determining-health-of-endpoints.html).
// A failing tier whose records moved to a check made a moment ago would get traffic again. Every
// path that gives a tier another check keeps the old one on its records until the new one has a
// verdict (GetHealthCheckStatus lists observations), or the old one is healthy again.

const A = 'a.example.com';
const PRIMARY = toFqdn(`primary.${A}`);
const SITE2 = 'site2.example.net.';

let world: LocalWorld;
let events: Record<string, unknown>[];
afterEach(() => {
  world.destroy();
});

async function start(shared: boolean): Promise<void> {
  world = shared ? await makeSharedWorld() : await makeWorld();
  events = [];
  world.cloudwatch.onStateChange((change) => events.push(alarmStateChangeEvent(change)));
}

/** Hand the alarm state changes so far to the alarm handler, as EventBridge does. */
async function deliver(): Promise<void> {
  const handle = makeHealthAlarmHandler(() => world.deps, new Logger({ logLevel: 'SILENT' }));
  for (const event of events.splice(0)) await handle(event);
}

/** What Route 53 answers for `name`: a check counts as healthy unless its checkers report it down. */
function served(name = A): string {
  const healthy = new Set(
    [...world.route53.healthChecks.keys()].filter((id) => !world.route53.unhealthy.has(id)),
  );
  const result = answer(world.route53.records(ZONE) as ResourceRecordSet[], healthy, name, 'A');
  return toFqdn(result.values[0] ?? '');
}

/** The check on the record that sends `name`'s traffic to its first tier. */
function primaryRecordCheck(name = A): string | undefined {
  return world.route53
    .records(ZONE)
    .find((r) => toFqdn(r.Name ?? '') === toFqdn(name) && r.Failover === 'PRIMARY')?.HealthCheckId;
}

async function status(name = A): Promise<ChainStatus> {
  return (await world.deps.status.get(name))!;
}

/** The primary goes down: Route 53's checkers report it, and its alarm reaches the alarm handler. */
async function failPrimary(name = A): Promise<string> {
  const check = primaryRecordCheck(name)!;
  world.route53.unhealthy.add(check);
  world.cloudwatch.setState((await status(name)).alarms.primary!, 'ALARM', 'Threshold Crossed');
  await deliver();
  return check;
}

/** Nobody is sent to the dead primary, and status says so. */
async function expectSecondary(name = A, secondary = SITE2): Promise<void> {
  expect(served(name)).toBe(secondary);
  expect((await status(name)).servingTier).toBe('secondary');
}

/** sharingRow with the primary's check settings changed by `change`, and `extra` row fields. */
function editedRow(change: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  const row = sharingRow(A, '1.1.1.1');
  const tiers = row.tiers as Record<string, unknown>[];
  tiers[0] = { ...tiers[0], healthCheck: { ...(tiers[0]!.healthCheck as object), ...change } };
  return { ...row, ...extra };
}

async function edit(row: Record<string, unknown>): Promise<void> {
  await world.chains.put(row);
  await reconcile(row.name as string, world.deps);
}

/** Build A and take its primary down; returns the primary's (failing) check. */
async function builtAndFailed(shared: boolean, row = sharingRow(A, '1.1.1.1')): Promise<string> {
  await start(shared);
  await edit(row);
  expect(served()).toBe(PRIMARY);
  const check = await failPrimary();
  await expectSecondary();
  return check;
}

/** After the edit: the records keep the failing check, the new one exists and gathers data. */
async function expectKept(old: string): Promise<string> {
  await expectSecondary();
  expect(primaryRecordCheck()).toBe(old);
  const now = await status();
  const fresh = now.healthChecks.primary!.id!;
  expect(fresh).not.toBe(old);
  expect(world.route53.healthChecks.has(fresh)).toBe(true);
  expect(world.route53.healthChecks.has(old)).toBe(true);
  expect(now.state).toBe('PENDING');
  expect(now.warnings?.join('\n')).toContain(`primary keeps health check ${old}`);
  // Nothing more happens until the new check has a verdict: a second reconcile changes nothing.
  const writes = world.route53.writeCalls().length;
  expect((await reconcile(A, world.deps)).recordChanges).toBe(0);
  expect(world.route53.writeCalls().length).toBe(writes);
  await expectSecondary();
  return fresh;
}

/** The new check's checkers report the primary down; the schedule's full run moves the records. */
async function expectMovedOnceReported(old: string, fresh: string): Promise<void> {
  world.route53.unhealthy.add(fresh);
  await reconcileAll(world.deps);
  expect(primaryRecordCheck()).toBe(fresh);
  await expectSecondary();
  expect((await status()).state).toBe('IN_SYNC');
  expect((await status()).warnings).toBeUndefined();
  expect(world.route53.healthChecks.has(old)).toBe(false);
}

describe('a failing tier keeps its check until a new one has a verdict', () => {
  it('failureThreshold edited while the primary is down, shared checks: the records keep the failing check until the new one reports', async () => {
    const old = await builtAndFailed(true);
    await edit(editedRow({ failureThreshold: 2 }));
    const fresh = await expectKept(old);
    expect(world.route53.healthChecks.get(fresh)!.HealthCheckConfig.FailureThreshold).toBe(2);
    await expectMovedOnceReported(old, fresh);
  });

  it('failureThreshold edited while the primary is down, own checks: the check is updated in place and keeps serving the secondary', async () => {
    const old = await builtAndFailed(false);
    await edit(editedRow({ failureThreshold: 2 }));
    await expectSecondary();
    expect(primaryRecordCheck()).toBe(old);
    expect(world.route53.healthChecks.get(old)!.HealthCheckConfig.FailureThreshold).toBe(2);
    expect((await status()).state).toBe('IN_SYNC');
  });

  it('"shared": false while the primary is down: the tier keeps the shared check until its own check reports', async () => {
    const old = await builtAndFailed(true);
    await edit(editedRow({}, { shared: false }));
    const fresh = await expectKept(old);
    // Still a user of the shared check its records use, so its alarm still reaches the chain.
    const fp = world.route53.healthChecks.get(old)!.tags.get('failover-chains:shared')!;
    expect(await world.deps.sharedChecks!.users(fp)).toEqual([`${A}/primary`]);
    expect(world.route53.healthChecks.get(fresh)!.tags.get('failover-chains:tier')).toBe('primary');
    await expectMovedOnceReported(old, fresh);
  });

  it.each([
    ['own', false],
    ['shared', true],
  ])(
    'requestInterval changed while the primary is down, %s checks: kept until the new check reports',
    async (_kind, shared) => {
      const old = await builtAndFailed(shared);
      await edit(editedRow({ requestInterval: 10 }));
      const fresh = await expectKept(old);
      expect(world.route53.healthChecks.get(fresh)!.HealthCheckConfig.RequestInterval).toBe(10);
      await expectMovedOnceReported(old, fresh);
    },
  );

  it('moves to the new check once the primary is healthy again (the old check is), though the new one has no data yet', async () => {
    const old = await builtAndFailed(false);
    await edit(editedRow({ requestInterval: 10 }));
    const fresh = await expectKept(old);
    world.route53.unhealthy.delete(old);
    world.cloudwatch.setState((await status()).alarms.primary!, 'OK', 'Threshold Crossed');
    await deliver();
    expect(primaryRecordCheck()).toBe(fresh);
    expect(served()).toBe(PRIMARY);
    expect((await status()).servingTier).toBe('primary');
    expect((await status()).state).toBe('IN_SYNC');
    expect(world.route53.healthChecks.has(old)).toBe(false);
  });

  it('moves at once onto a shared check that already has a verdict', async () => {
    await start(true);
    // B already probes 1.1.1.1 with failureThreshold 2; its checkers report it down.
    await edit({ ...editedRow({ failureThreshold: 2 }), name: 'b.example.com' });
    const theirs = primaryRecordCheck('b.example.com')!;
    await edit(sharingRow(A, '1.1.1.1'));
    const old = await failPrimary();
    // B's checkers report it down, and its alarm says so, as CloudWatch would.
    await failPrimary('b.example.com');
    expect(primaryRecordCheck('b.example.com')).toBe(theirs);
    await expectSecondary();
    await edit(editedRow({ failureThreshold: 2 }));
    expect(primaryRecordCheck()).toBe(theirs);
    await expectSecondary();
    expect((await status()).state).toBe('IN_SYNC');
    expect(world.route53.healthChecks.has(old)).toBe(false);
  });

  it('a check deleted by hand while its tier is down leaves nothing to keep: the records move to the new check at once', async () => {
    const old = await builtAndFailed(false);
    await world.route53.send(new DeleteHealthCheckCommand({ HealthCheckId: old }));
    await reconcile(A, world.deps);
    const fresh = (await status()).healthChecks.primary!.id!;
    expect(fresh).not.toBe(old);
    // Route 53 refuses a record change that names a missing check, and a record on one has
    // unpredictable health: the new check is used as soon as it exists.
    expect(primaryRecordCheck()).toBe(fresh);
    expect((await status()).state).toBe('IN_SYNC');
  });
});

describe('chains import --manage-health-checks of a tree that is failed over today', () => {
  const NAME = 'resilient-site.example.com';
  const SECONDARY = 'secondary.resilient-site.example.com.';

  async function run(...argv: string[]) {
    let err = '';
    const code = await main(
      argv,
      { out: () => undefined, err: (t) => (err += `${t.trimEnd()}\n`) },
      { deps: () => world.deps, store: () => world.chains },
    );
    return { code, err };
  }

  it('answers the same before and after: the first reconcile keeps the failing hand-made check on the records', async () => {
    await start(false);
    const ids = await makeChecksByHand(world, ['1.1.1.1', '2.2.2.2']);
    await createByHand(world, seedConsoleTree(ids));
    world.route53.unhealthy.add(ids[0]!);
    expect(served(NAME)).toBe(SECONDARY);

    const imported = await run('import', NAME, '--zone', ZONE_ID, '--manage-health-checks', '--write');
    expect(imported.code).toBe(0);
    expect(imported.err).toContain('Route 53 answers the same before and after');
    expect(imported.err).toContain('each new check counted as the one it copies');
    await reconcile(NAME, world.deps);
    expect(served(NAME)).toBe(SECONDARY);
    expect(primaryRecordCheck(NAME)).toBe(ids[0]);
    const fresh = (await status(NAME)).healthChecks.primary!.id!;
    expect(fresh).not.toBe(ids[0]);
    expect((await status(NAME)).state).toBe('PENDING');

    // Its alarm watches the check its records use: CloudWatch finds it down, status says so.
    world.cloudwatch.setState((await status(NAME)).alarms.primary!, 'ALARM', 'Threshold Crossed');
    await deliver();
    await expectSecondary(NAME, SECONDARY);

    // The new check reports: the records move to it, and the hand-made check is left as it is.
    world.route53.unhealthy.add(fresh);
    await reconcileAll(world.deps);
    expect(primaryRecordCheck(NAME)).toBe(fresh);
    await expectSecondary(NAME, SECONDARY);
    expect(world.route53.healthChecks.has(ids[0]!)).toBe(true);
    expect((await status(NAME)).state).toBe('IN_SYNC');
  });
});
