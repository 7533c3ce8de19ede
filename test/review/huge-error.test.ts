import { afterEach, describe, expect, it } from 'vitest';
import type { ServingDeps } from '../../shared/ports.ts';
import { bindMethods } from '../../shared/reconcile/bind-methods.ts';
import { reconcile } from '../../shared/reconcile/reconcile.ts';
import { makeRig, type Rig } from '../fixtures/alarm-rig.ts';
import { seedRow } from '../fixtures/chains.ts';

const NAME = 'resilient-site.example.com';

let rig: Rig | undefined;
afterEach(() => {
  rig?.world.destroy();
  rig = undefined;
});

describe('review: alerts too big for the outbox', () => {
  // README, "SNS's limits, for any chain": "an alert that would be bigger (... a RECONCILE_FAILED
  // with a huge error) is shortened step by step". Shortening happens only at publish; the whole
  // alert is first written into the status item's outbox (with the error twice more, in `errors`
  // and the alert's detail), and DynamoDB refuses items over 400 KB
  // (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Constraints.html#limits-items).
  // So a 150 KB error is never recorded nor alerted, however often the stream retries: the
  // operator sees nothing while every change to the chain fails.
  it('alerts a reconcile that fails with a 150 KB error message', async () => {
    rig = await makeRig();
    const world = rig.world;
    const huge = `InvalidChangeBatch: ${'[Tried to change a record set that conflicts] '.repeat(3_300)}`;
    const failing: ServingDeps = {
      ...world.deps,
      route53: {
        ...bindMethods(world.deps.route53),
        changeRecords: () => Promise.reject(new Error(huge)),
      },
    };
    await world.chains.put({ ...seedRow(), ttl: 120 });
    for (let attempt = 0; attempt < 2; attempt++) {
      await reconcile(NAME, failing).catch(() => undefined);
      rig.tick(60);
    }

    expect((await world.deps.status.get(NAME))?.state).toBe('ERROR');
    expect(rig.published().map((p) => p.event)).toEqual(['RECONCILE_FAILED']);
  }, 90_000);
});
