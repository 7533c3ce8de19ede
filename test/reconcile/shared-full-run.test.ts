import { afterEach, describe, expect, it } from 'vitest';
import type { LocalWorld } from '../../local/local-world.ts';
import { sharedFingerprint } from '../../shared/core/shared-checks.ts';
import { reconcile } from '../../shared/reconcile/reconcile.ts';
import { reconcileAll } from '../../shared/reconcile/reconcile-all.ts';
import { makeSharedWorld, sharedAlarmOf, sharingRow } from '../fixtures/shared-world.ts';

const A = 'a.example.com';
const B = 'b.example.com';
const SITE2 = { Type: 'HTTP', IPAddress: '2.2.2.2', Port: 8888 } as const;

let world: LocalWorld;
afterEach(() => {
  world.destroy();
});

const allWrites = () => [
  ...world.route53.writeCalls(),
  ...world.cloudwatch.writeCalls(),
  ...world.dynamoWrites,
];

describe('shared health checks in a full run', () => {
  it('builds chains sharing a site, then a no-op run writes nothing and reads Route 53 only by listing', async () => {
    world = await makeSharedWorld();
    await world.chains.put(sharingRow(A, '1.1.1.1'));
    await world.chains.put(sharingRow(B, '1.1.1.2'));
    const first = await reconcileAll(world.deps);
    expect(first).toMatchObject({ byState: { IN_SYNC: 2 }, failed: [] });
    expect(world.route53.healthChecks.size).toBe(3);

    const writes = allWrites().length;
    const route53Calls = world.route53.calls.length;
    const second = await reconcileAll(world.deps);
    expect(second).toMatchObject({ byState: { IN_SYNC: 2 }, failed: [], deletedHealthChecks: [] });
    expect(allWrites()).toHaveLength(writes);
    // One zone (one page), one health check page, one zone look-up: nothing per chain.
    expect(world.route53.calls.slice(route53Calls).sort()).toEqual([
      'GetHostedZoneCommand',
      'ListHealthChecksCommand',
      'ListResourceRecordSetsCommand',
    ]);
  });

  it('joins an existing shared check without the builder', async () => {
    world = await makeSharedWorld();
    await world.chains.put(sharingRow(A, '1.1.1.1'));
    await reconcile(A, world.deps);
    // B probes exactly what A probes: both its checks exist already.
    await world.chains.put({ ...sharingRow(A, '1.1.1.1'), name: B, tiers: sharingRow(A, '1.1.1.1').tiers });
    const creates = world.route53.calls.filter((c) => c === 'CreateHealthCheckCommand').length;

    const summary = await reconcileAll(world.deps, undefined, undefined, { builder: world.buildQueue });
    expect(summary).toMatchObject({ byState: { IN_SYNC: 2 }, handedToBuilder: [], failed: [] });
    expect(world.route53.calls.filter((c) => c === 'CreateHealthCheckCommand')).toHaveLength(creates);
    expect(world.route53.healthChecks.size).toBe(2);
  });

  it('hands a chain to the builder only when a shared check must be created', async () => {
    world = await makeSharedWorld();
    await world.chains.put(sharingRow(A, '1.1.1.1'));
    await reconcile(A, world.deps);
    await world.chains.put(sharingRow(B, '1.1.1.2'));
    const summary = await reconcileAll(world.deps, undefined, undefined, { builder: world.buildQueue });
    expect(summary.handedToBuilder).toEqual([B]);
    expect(world.route53.healthChecks.size).toBe(2);
  });

  it('keeps a shared check a record uses or a chain still joins, whatever else went', async () => {
    world = await makeSharedWorld();
    await world.chains.put(sharingRow(A, '1.1.1.1'));
    await world.chains.put(sharingRow(B, '1.1.1.2'));
    await reconcileAll(world.deps);
    const registry = world.deps.sharedChecks!;
    const site2 = (await registry.get(sharedFingerprint(SITE2)))!;
    const primaryA = (await registry.get(sharedFingerprint({ ...SITE2, IPAddress: '1.1.1.1' })))!;
    // A crash left the registry saying nobody uses A's primary check, though A's record still does.
    await registry.leave(primaryA.fingerprint, `${A}/primary`);
    // B goes: its own primary check goes with it; the site2 check stays with A.
    await world.chains.remove(B);
    await reconcile(B, world.deps);
    expect(await registry.get(sharedFingerprint({ ...SITE2, IPAddress: '1.1.1.2' }))).toBeUndefined();

    const summary = await reconcileAll(world.deps);
    expect(summary).toMatchObject({ failed: [], deletedHealthChecks: [] });
    expect(world.route53.healthChecks.has(primaryA.id!)).toBe(true);
    expect(world.route53.healthChecks.has(site2.id!)).toBe(true);
    expect(world.route53.healthChecks.size).toBe(2);
    expect(world.cloudwatch.alarms.has(sharedAlarmOf(world, site2.fingerprint))).toBe(true);
    expect(await registry.users(site2.fingerprint)).toEqual([`${A}/secondary`]);
  });

  it('finishes the deletion of a shared check whose last user stopped half way', async () => {
    world = await makeSharedWorld();
    await world.chains.put(sharingRow(A, '1.1.1.1'));
    await reconcileAll(world.deps);
    const registry = world.deps.sharedChecks!;
    const site2 = (await registry.get(sharedFingerprint(SITE2)))!;
    // The row goes; its teardown left both checks and stopped before deleting them.
    await world.chains.remove(A);
    await registry.leave(site2.fingerprint, `${A}/secondary`);
    await registry.markDeleting(site2.fingerprint, site2.callerReference);
    const status = (await world.deps.status.get(A))!;
    await world.deps.status.save(
      { ...status, revision: status.revision + 1, healthChecks: { primary: status.healthChecks.primary! } },
      status.revision,
    );
    await reconcile(A, world.deps);
    expect(world.route53.healthChecks.has(site2.id!)).toBe(true);

    const summary = await reconcileAll(world.deps);
    expect(summary.failed).toEqual([]);
    expect(world.route53.healthChecks.size).toBe(0);
    expect(world.cloudwatch.alarms.size).toBe(0);
    expect(await registry.list()).toEqual([]);
  });
});
