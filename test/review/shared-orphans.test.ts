import { Logger } from '@aws-lambda-powertools/logger';
import { afterEach, describe, expect, it } from 'vitest';
import { makeChainStreamHandler } from '../../functions/chain-stream.ts';
import type { LocalWorld } from '../../local/local-world.ts';
import { sharedFingerprint } from '../../shared/core/shared-checks.ts';
import { reconcile } from '../../shared/reconcile/reconcile.ts';
import { reconcileAll } from '../../shared/reconcile/reconcile-all.ts';
import { forgetStatus, makeSharedWorld, sharingRow } from '../fixtures/shared-world.ts';
import { ZONE } from '../fixtures/world.ts';

const A = 'a.example.com';
const B = 'b.example.com';
const SITE2 = { Type: 'HTTP', IPAddress: '2.2.2.2', Port: 8888 } as const;

let world: LocalWorld;
afterEach(() => {
  world.destroy();
});

async function streamRemove(name: string) {
  await world.chains.remove(name);
  const handler = makeChainStreamHandler(() => world.deps, new Logger({ logLevel: 'SILENT' }));
  await handler({
    Records: [
      {
        eventID: '1',
        eventName: 'REMOVE',
        dynamodb: { Keys: { name: { S: name } }, OldImage: { hostedZoneId: { S: ZONE } } },
      },
    ],
  });
}

describe('review: shared checks of a chain whose status was lost', () => {
  it('are collected once every chain is gone (none left behind, none billed forever)', async () => {
    world = await makeSharedWorld();
    await world.chains.put(sharingRow(A, '1.1.1.1'));
    await reconcile(A, world.deps);
    await world.chains.put(sharingRow(B, '1.1.1.2'));
    await reconcile(B, world.deps);

    // A's status is lost (a failed write, a restore), then A's row is removed: its records go.
    await forgetStatus(world, A);
    await streamRemove(A);
    expect(world.route53.records(ZONE).filter((r) => (r.Name ?? '').endsWith(`${A}.`))).toEqual([]);

    // B goes normally; the full run and its clean-up run twice. No chain is left.
    await streamRemove(B);
    await reconcileAll(world.deps);
    await reconcileAll(world.deps);

    expect(world.route53.records(ZONE).filter((r) => r.HealthCheckId)).toEqual([]);
    expect([...world.route53.healthChecks.keys()]).toEqual([]);
    expect([...world.cloudwatch.alarms.keys()]).toEqual([]);
    expect(await world.deps.sharedChecks!.list()).toEqual([]);
  });

  it('moving the settings of a chain whose status was lost leaves the old shared check once its other users go', async () => {
    world = await makeSharedWorld();
    await world.chains.put(sharingRow(A, '1.1.1.1'));
    await reconcile(A, world.deps);
    await world.chains.put(sharingRow(B, '1.1.1.2'));
    await reconcile(B, world.deps);

    await forgetStatus(world, A);
    await world.chains.put(
      sharingRow(A, '1.1.1.1', { type: 'HTTP', ip: '2.2.2.2', port: 8888, path: '/health' }),
    );
    await reconcile(A, world.deps);
    await streamRemove(B);
    await reconcileAll(world.deps);
    await reconcileAll(world.deps);

    // Nothing probes 2.2.2.2:8888/ any more: its check and alarm should be gone.
    const registry = world.deps.sharedChecks!;
    expect(await registry.get(sharedFingerprint(SITE2))).toBeUndefined();
    const paths = [...world.route53.healthChecks.values()]
      .filter((c) => c.HealthCheckConfig.IPAddress === '2.2.2.2')
      .map((c) => c.HealthCheckConfig.ResourcePath);
    expect(paths).toEqual(['/health']);
  });
});

describe('review: the move to shared checks of a chain whose status was lost', () => {
  it('deletes the chain’s own checks and alarms once its records use shared ones', async () => {
    world = await makeSharedWorld();
    const registry = world.deps.sharedChecks;
    // Before the upgrade: checks per chain. Then A's status is lost.
    delete world.deps.sharedChecks;
    await world.chains.put(sharingRow(A, '1.1.1.1'));
    await reconcile(A, world.deps);
    await forgetStatus(world, A);

    world.deps.sharedChecks = registry;
    await reconcile(A, world.deps);
    await reconcileAll(world.deps);
    await reconcileAll(world.deps);

    // A's records use shared checks only; nothing else is left to pay for.
    const used = new Set(world.route53.records(ZONE).flatMap((r) => r.HealthCheckId ?? []));
    expect(used.size).toBe(2);
    expect([...world.route53.healthChecks.keys()].sort()).toEqual([...used].sort());
    expect([...world.cloudwatch.alarms.keys()].every((name) => name.includes('/shared:'))).toBe(true);
  });
});
