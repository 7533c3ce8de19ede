import { Logger } from '@aws-lambda-powertools/logger';
import { eventIdOf, parseAlarmEvent, parseSharedAlarmEvent } from '../shared/core/alarm-event.ts';
import { buildQueueFromEnv, servingDepsFromEnv } from '../shared/aws/deps-from-env.ts';
import type { BuildQueue } from '../shared/reconcile/needs-builder.ts';
import type { ServingDeps } from '../shared/ports.ts';
import { observeServing, type ServingObservation } from '../shared/serving/observe-serving.ts';
import type { SharedObservation } from '../shared/serving/observe-shared.ts';
import { onSharedAlarm, repair } from '../shared/serving/repair.ts';

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
      // Every chain using the check is observed and alerted on its own (see onSharedAlarm).
      const eventId = eventIdOf(event) ?? `${shared.checkId}:${shared.state}@${shared.time}`;
      const result = await onSharedAlarm(shared.fingerprint, shared.checkId, d, builder(), eventId);
      const changed = result.observations.filter((o) => o.outcome === 'changed').map((o) => o.name);
      log.info('observed shared check', {
        fingerprint: shared.fingerprint,
        state: shared.state,
        chains: result.observations.length,
        // A whole fleet can move at once: name the first hundred, count them all.
        changed: changed.length,
        changedChains: changed.slice(0, 100),
        repaired: result.repaired,
        rebuilt: result.rebuilt.length,
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
    if (observation.outcome !== 'no-chain') {
      const eventId = eventIdOf(event) ?? `${target.tier}:${target.state}@${target.time}`;
      await repair(target.chain, d, builder(), eventId);
    }
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
