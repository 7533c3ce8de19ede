import { Logger } from '@aws-lambda-powertools/logger';
import { parseAlarmEvent, parseSharedAlarmEvent } from '../shared/core/alarm-event.ts';
import { buildQueueFromEnv, servingDepsFromEnv } from '../shared/aws/deps-from-env.ts';
import type { BuildQueue } from '../shared/reconcile/needs-builder.ts';
import type { ServingDeps } from '../shared/ports.ts';
import { observeServing, type ServingObservation } from '../shared/serving/observe-serving.ts';
import { observeSharedUsers, sharedUsers, type SharedObservation } from '../shared/serving/observe-shared.ts';
import { repair, repairUsers } from '../shared/serving/repair.ts';

const logger = new Logger({ serviceName: 'failover-chains' });

/**
 * Build the handler for CloudWatch alarm state changes of the system's health-check alarms:
 * work out the serving tier, alert when it flips, then reconcile the chain to repair drift. A
 * shared check's alarm is observed for every chain that uses the check (one alert per chain
 * whose serving tier moved).
 */
export function makeHealthAlarmHandler(
  deps: () => ServingDeps,
  log: Logger = logger,
  builder: () => BuildQueue | undefined = () => undefined,
) {
  return async (event: unknown): Promise<ServingObservation | SharedObservation | undefined> => {
    const d = deps();
    const target = parseAlarmEvent(event, d.settings.owner);
    const shared = target ? undefined : parseSharedAlarmEvent(event, d.settings.owner);
    if (shared) {
      // A shared check's alarm: every chain using the check is observed and alerted on its own.
      // Other drift is left to each chain's next reconcile (its stream or the schedule), not redone
      // here for every chain at once, except a check deleted by hand (its id is in the alarm's
      // name): every user's records point at nothing, so they are all repaired now, even when
      // one could not be observed, as a chain's own alarm does.
      const gone = !(await d.route53.getHealthCheck(shared.checkId));
      const observed = await observeSharedUsers(shared.fingerprint, d).then(
        (result) => ({ result }),
        (error: unknown) => ({ error }),
      );
      if (gone) await repairUsers(await sharedUsers(shared.fingerprint, d), shared.checkId, d, builder());
      if ('error' in observed) throw observed.error;
      const { result } = observed;
      const changed = result.observations.filter((o) => o.outcome === 'changed').map((o) => o.name);
      log.info('observed shared check', {
        fingerprint: shared.fingerprint,
        state: shared.state,
        chains: result.observations.length,
        // A whole fleet can move at once: name the first hundred, count them all.
        changed: changed.length,
        changedChains: changed.slice(0, 100),
        repaired: gone,
      });
      return result;
    }
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
    if (observation.outcome !== 'no-chain')
      await repair(target.chain, d, builder(), `${target.tier}:${target.state}@${target.time}`);
    return observation;
  };
}

let cached: ServingDeps | undefined;
let queue: BuildQueue | undefined;

/** Lambda entry point (EventBridge rule on CloudWatch Alarm State Change). */
export const handler = makeHealthAlarmHandler(
  () => (cached ??= servingDepsFromEnv()),
  logger,
  () => (queue ??= buildQueueFromEnv()),
);
