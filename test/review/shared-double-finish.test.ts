import { afterEach, describe, expect, it } from 'vitest';
import type { LocalWorld } from '../../local/local-world.ts';
import { sharedFingerprint } from '../../shared/core/shared-checks.ts';
import type { ReconcileDeps } from '../../shared/ports.ts';
import { reconcile } from '../../shared/reconcile/reconcile.ts';
import { makeSharedWorld, sharingRow } from '../fixtures/shared-world.ts';

const A = 'a.example.com';
const B = 'b.example.com';
const SITE2_FP = sharedFingerprint({ Type: 'HTTP', IPAddress: '2.2.2.2', Port: 8888 });
const isSite2Alarm = (name: string) => name.includes(`/shared:${SITE2_FP}/`);

let world: LocalWorld;
afterEach(() => {
  world.destroy();
});

/** Deps whose DescribeAlarms / DeleteAlarms naming the shared alarm run hooks once, after the call. */
function hooked(
  deps: ReconcileDeps,
  hooks: { afterDescribe?: () => Promise<void>; afterDelete?: () => void },
): ReconcileDeps {
  const alarms = Object.create(deps.alarms) as ReconcileDeps['alarms'];
  let described = false;
  alarms.describe = async (names) => {
    const answer = await deps.alarms.describe(names);
    if (!described && names.some(isSite2Alarm) && hooks.afterDescribe) {
      described = true;
      await hooks.afterDescribe();
    }
    return answer;
  };
  alarms.delete = async (names) => {
    try {
      await deps.alarms.delete(names);
    } finally {
      if (names.some(isSite2Alarm)) hooks.afterDelete?.();
    }
  };
  return { ...deps, alarms };
}

describe('review: a joiner finishing the deletion its last user is finishing', () => {
  it('joins quietly: no failed reconcile and no error alert for the joiner', async () => {
    world = await makeSharedWorld();
    await world.chains.put(sharingRow(B, '1.1.1.2'));
    await reconcile(B, world.deps);
    await world.chains.put(sharingRow(A, '1.1.1.1'));
    const published = world.sns.published.length;

    // B (last user) and A (joining, refused, so it helps finish) both read the alarm, then both delete it.
    let aDescribed!: () => void;
    const aHasDescribed = new Promise<void>((resolve) => (aDescribed = resolve));
    let bDeleted!: () => void;
    const bHasDeleted = new Promise<void>((resolve) => (bDeleted = resolve));
    const depsA = hooked(world.deps, {
      afterDescribe: async () => {
        aDescribed();
        await bHasDeleted;
      },
    });
    let joiner: Promise<unknown> | undefined;
    const depsB = hooked(world.deps, {
      afterDescribe: async () => {
        joiner = reconcile(A, depsA).then(
          (result) => result,
          (error: unknown) => error,
        );
        await aHasDescribed;
      },
      afterDelete: () => {
        bDeleted();
      },
    });
    await world.chains.remove(B);
    await reconcile(B, depsB);
    const outcome = await joiner;

    expect(outcome).not.toBeInstanceOf(Error);
    expect((await world.deps.status.get(A))?.state).toBe('IN_SYNC');
    expect(world.sns.published.slice(published).map((m) => m.subject)).not.toContainEqual(
      expect.stringMatching(/fail|error/i),
    );
  });
});
