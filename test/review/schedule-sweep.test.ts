import { Logger } from '@aws-lambda-powertools/logger';
import { afterEach, describe, expect, it } from 'vitest';
import { makeResyncHandler } from '../../functions/resync.ts';
import type { ServingDeps } from '../../shared/ports.ts';
import { bindMethods } from '../../shared/reconcile/bind-methods.ts';
import { observeServing } from '../../shared/serving/observe-serving.ts';
import { makeRig, type Rig } from '../fixtures/alarm-rig.ts';

const NAME = 'resilient-site.example.com';

let rig: Rig | undefined;
afterEach(() => {
  rig?.world.destroy();
  rig = undefined;
});

describe('review: the schedule sweep', () => {
  // The issue: an alert is "published by a path that retries until SNS accepts it: the Lambda
  // after its write, and a sweep (the schedule ...) for anything still pending". The README: "the
  // schedule's run delivers anything older than 15 minutes". The schedule sweeps the outbox only
  // after the full reconcile, and the full reconcile throws when Route 53's control plane does
  // (ListHealthChecks unavailable): then no run ever delivers the failover alert SNS refused, for
  // as long as the Route 53 API is down, which is when failovers happen. The operator hears nothing.
  it('delivers an alert left in the outbox while the Route 53 API is unavailable', async () => {
    rig = await makeRig();
    const world = rig.world;
    rig.tick(60);
    await rig.setHealth('primary', false);
    // SNS refuses the flip's alert: it stays in the outbox for the sweep.
    const snsDown: ServingDeps = {
      ...world.deps,
      alerts: { publish: () => Promise.reject(new Error('KMSThrottlingException')) },
    };
    await observeServing(NAME, snsDown);
    expect(world.sns.published).toHaveLength(0);
    expect(Object.keys((await world.deps.status.get(NAME))?.outbox ?? {})).not.toHaveLength(0);

    rig.tick(20 * 60);
    const route53Down: ServingDeps = {
      ...world.deps,
      route53: {
        ...bindMethods(world.deps.route53),
        listHealthChecks: () => Promise.reject(new Error('ServiceUnavailable: Route 53 API')),
      },
    };
    await makeResyncHandler(() => route53Down, new Logger({ logLevel: 'SILENT' }))().catch(() => undefined);

    expect(rig.published().map((p) => `${p.event} ${p.tier}`)).toEqual(['TIER_CHANGED secondary']);
  });
});
