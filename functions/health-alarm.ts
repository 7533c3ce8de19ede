import { Logger } from '@aws-lambda-powertools/logger';
import { parseAlarmEvent } from '../shared/core/alarm-event.ts';
import { servingDepsFromEnv } from '../shared/aws/deps-from-env.ts';
import type { ServingDeps } from '../shared/ports.ts';
import { reconcile } from '../shared/reconcile/reconcile.ts';
import { observeServing, type ServingObservation } from '../shared/serving/observe-serving.ts';

const logger = new Logger({ serviceName: 'failover-chains' });

/**
 * Build the handler for CloudWatch alarm state changes of the system's health-check alarms:
 * work out the serving tier, alert when it flips, then reconcile the chain to repair drift.
 */
export function makeHealthAlarmHandler(deps: () => ServingDeps, log: Logger = logger) {
  return async (event: unknown): Promise<ServingObservation | undefined> => {
    const d = deps();
    const target = parseAlarmEvent(event, d.settings.owner);
    if (!target) {
      log.warn('ignored an event that is not one of our alarm state changes');
      return undefined;
    }
    const observation = await observeServing(target.chain, d);
    log.info('observed', {
      chain: target.chain,
      tier: target.tier,
      state: target.state,
      ...observation,
      alerts: observation.alerts.length,
    });
    if (observation.outcome !== 'no-chain') await reconcile(target.chain, d);
    return observation;
  };
}

let cached: ServingDeps | undefined;

/** Lambda entry point (EventBridge rule on CloudWatch Alarm State Change). */
export const handler = makeHealthAlarmHandler(() => (cached ??= servingDepsFromEnv()));
