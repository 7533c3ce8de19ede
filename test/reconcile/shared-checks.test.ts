import { afterEach, describe, expect, it } from 'vitest';
import type { LocalWorld } from '../../local/local-world.ts';
import { sharedFingerprint } from '../../shared/core/shared-checks.ts';
import { reconcile } from '../../shared/reconcile/reconcile.ts';
import { makeSharedWorld, sharedAlarmOf, sharedCheckLines, sharingRow } from '../fixtures/shared-world.ts';
import { ZONE } from '../fixtures/world.ts';

const A = 'a.example.com';
const B = 'b.example.com';
const SITE2 = { Type: 'HTTP', IPAddress: '2.2.2.2', Port: 8888 } as const;

let world: LocalWorld;
afterEach(() => {
  world.destroy();
});

/** The health check id each record of `name` carries, by record name and set identifier. */
function checkOfRecords(name: string): Map<string, string> {
  return new Map(
    world.route53
      .records(ZONE)
      .filter((r) => (r.Name ?? '').endsWith(`${name}.`) && r.HealthCheckId)
      .map((r) => [`${r.Name ?? ''} ${r.SetIdentifier ?? ''}`, r.HealthCheckId!]),
  );
}

function secondaryCheck(name: string): string | undefined {
  return checkOfRecords(name).get(`backup.${name}. failover-chains/default/1/primary`);
}

async function put(...rows: Record<string, unknown>[]) {
  for (const row of rows) {
    await world.chains.put(row);
    await reconcile(row.name as string, world.deps);
  }
}

async function remove(name: string) {
  await world.chains.remove(name);
  await reconcile(name, world.deps);
}

describe('shared health checks', () => {
  it('gives two chains probing the same site one check and one alarm, referenced by both', async () => {
    world = await makeSharedWorld();
    await put(sharingRow(A, '1.1.1.1'), sharingRow(B, '1.1.1.2'));

    expect(sharedCheckLines(world)).toEqual([
      'shared(default): HTTP 1.1.1.1:8888',
      'shared(default): HTTP 1.1.1.2:8888',
      'shared(default): HTTP 2.2.2.2:8888',
    ]);
    const shared = secondaryCheck(A);
    expect(shared).toBeDefined();
    expect(secondaryCheck(B)).toBe(shared);
    const alarm = world.cloudwatch.alarms.get(sharedAlarmOf(world, sharedFingerprint(SITE2)));
    expect(alarm?.Dimensions).toEqual([{ Name: 'HealthCheckId', Value: shared }]);
    // Three checks, three alarms: none per chain.
    expect([...world.cloudwatch.alarms.keys()].filter((n) => n.includes('shared:'))).toHaveLength(3);
    expect(world.cloudwatch.alarms.size).toBe(3);
    const tags = Object.fromEntries(world.route53.healthChecks.get(shared!)!.tags);
    expect(tags).toEqual({
      Name: 'shared HTTP 2.2.2.2:8888/',
      'failover-chains:owner': 'default',
      'failover-chains:shared': sharedFingerprint(SITE2),
    });
    expect(await world.deps.sharedChecks!.get(sharedFingerprint(SITE2))).toMatchObject({
      id: shared,
      userCount: 2,
    });
    expect(await world.deps.sharedChecks!.users(sharedFingerprint(SITE2))).toEqual([
      `${A}/secondary`,
      `${B}/secondary`,
    ]);
  });

  it('keeps the check while one chain uses it, and deletes it and its alarm with the last', async () => {
    world = await makeSharedWorld();
    await put(sharingRow(A, '1.1.1.1'), sharingRow(B, '1.1.1.2'));
    const shared = secondaryCheck(A)!;
    const alarm = sharedAlarmOf(world, sharedFingerprint(SITE2));

    await remove(A);
    expect(world.route53.healthChecks.has(shared)).toBe(true);
    expect(world.cloudwatch.alarms.has(alarm)).toBe(true);
    expect(secondaryCheck(B)).toBe(shared);

    await remove(B);
    expect(world.route53.healthChecks.size).toBe(0);
    expect(world.cloudwatch.alarms.size).toBe(0);
    expect(await world.deps.sharedChecks!.list()).toEqual([]);
  });

  it('gives a chain that opts out its own checks, tagged with its name and tier', async () => {
    world = await makeSharedWorld();
    await put(sharingRow(A, '1.1.1.1'), { ...sharingRow(B, '1.1.1.2'), shared: false });

    expect(sharedCheckLines(world)).toEqual([
      'b.example.com primary: HTTP 1.1.1.2:8888',
      'b.example.com secondary: HTTP 2.2.2.2:8888',
      'shared(default): HTTP 1.1.1.1:8888',
      'shared(default): HTTP 2.2.2.2:8888',
    ]);
    expect(secondaryCheck(B)).not.toBe(secondaryCheck(A));
  });

  it('moves only the edited chain to a check with its new settings, the new one made before the old is left', async () => {
    world = await makeSharedWorld();
    await put(sharingRow(A, '1.1.1.1'), sharingRow(B, '1.1.1.2'));
    const shared = secondaryCheck(A)!;

    // After every Route 53 write of the move, every record's check still exists.
    const steps: string[] = [];
    const route53 = world.deps.route53;
    const checked =
      <A extends unknown[], R>(name: string, call: (...args: A) => Promise<R>) =>
      async (...args: A): Promise<R> => {
        const result = await call(...args);
        steps.push(name);
        for (const record of world.route53.records(ZONE)) {
          if (record.HealthCheckId)
            expect(world.route53.healthChecks.has(record.HealthCheckId), name).toBe(true);
        }
        return result;
      };
    const watched = {
      ...world.deps,
      route53: Object.assign(Object.create(route53) as typeof route53, {
        changeRecords: checked('change records', route53.changeRecords.bind(route53)),
        createHealthCheck: checked('create', route53.createHealthCheck.bind(route53)),
        deleteHealthCheck: checked('delete', route53.deleteHealthCheck.bind(route53)),
      }),
    };
    await world.chains.put(
      sharingRow(A, '1.1.1.1', { type: 'HTTP', ip: '2.2.2.2', port: 8888, path: '/health' }),
    );
    await reconcile(A, watched);
    expect(steps).toEqual(['create', 'change records']);
    const moved = secondaryCheck(A)!;
    expect(moved).not.toBe(shared);
    expect(secondaryCheck(B)).toBe(shared);
    expect(world.route53.healthChecks.get(moved)!.HealthCheckConfig.ResourcePath).toBe('/health');
    expect(await world.deps.sharedChecks!.get(sharedFingerprint(SITE2))).toMatchObject({ userCount: 1 });
    expect(await world.deps.sharedChecks!.users(sharedFingerprint(SITE2))).toEqual([`${B}/secondary`]);

    // B follows: the old check has no user left and goes, with its alarm, after B's records moved.
    steps.length = 0;
    await world.chains.put(
      sharingRow(B, '1.1.1.2', { type: 'HTTP', ip: '2.2.2.2', port: 8888, path: '/health' }),
    );
    await reconcile(B, watched);
    expect(steps).toEqual(['change records', 'delete']);
    expect(secondaryCheck(B)).toBe(moved);
    expect(world.route53.healthChecks.has(shared)).toBe(false);
    expect(world.cloudwatch.alarms.has(sharedAlarmOf(world, sharedFingerprint(SITE2)))).toBe(false);
  });

  it('gives its users a new check when a shared one is deleted by hand, and repairs one changed by hand', async () => {
    world = await makeSharedWorld();
    await put(sharingRow(A, '1.1.1.1'), sharingRow(B, '1.1.1.2'));
    const shared = secondaryCheck(A)!;
    world.route53.healthChecks.delete(shared);

    await reconcile(A, world.deps);
    const renewed = secondaryCheck(A)!;
    expect(renewed).not.toBe(shared);
    expect(world.route53.healthChecks.has(renewed)).toBe(true);
    await reconcile(B, world.deps);
    expect(secondaryCheck(B)).toBe(renewed);
    expect(await world.deps.sharedChecks!.get(sharedFingerprint(SITE2))).toMatchObject({
      id: renewed,
      userCount: 2,
    });
    expect(await world.deps.sharedChecks!.users(sharedFingerprint(SITE2))).toEqual([
      `${A}/secondary`,
      `${B}/secondary`,
    ]);
    expect(world.cloudwatch.alarms.get(sharedAlarmOf(world, sharedFingerprint(SITE2)))?.Dimensions).toEqual([
      { Name: 'HealthCheckId', Value: renewed },
    ]);

    world.route53.healthChecks.get(renewed)!.HealthCheckConfig.Disabled = true;
    await reconcile(B, world.deps);
    expect(world.route53.healthChecks.get(renewed)!.HealthCheckConfig.Disabled).toBe(false);
  });

  it('makes no write when reconciled again', async () => {
    world = await makeSharedWorld();
    await put(sharingRow(A, '1.1.1.1'), sharingRow(B, '1.1.1.2'));
    const writes = [...world.route53.writeCalls(), ...world.cloudwatch.writeCalls(), ...world.dynamoWrites]
      .length;
    const registryBefore = await world.deps.sharedChecks!.list();
    await reconcile(A, world.deps);
    await reconcile(B, world.deps);
    expect([
      ...world.route53.writeCalls(),
      ...world.cloudwatch.writeCalls(),
      ...world.dynamoWrites,
    ]).toHaveLength(writes);
    expect(await world.deps.sharedChecks!.list()).toEqual(registryBefore);
  });
});
