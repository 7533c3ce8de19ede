import { Logger } from '@aws-lambda-powertools/logger';
import { servingDepsFromEnv } from '../shared/aws/deps-from-env.ts';
import type { ServingDeps } from '../shared/ports.ts';
import { reconcileAll, type ReconcileAllSummary } from '../shared/reconcile/reconcile-all.ts';
import { observeServing } from '../shared/serving/observe-serving.ts';

const logger = new Logger({ serviceName: 'failover-chains' });

/** Build the scheduled full reconcile: repairs drift made by hand and cleans up what the stream missed. */
export function makeResyncHandler(deps: () => ServingDeps, log: Logger = logger) {
  return async (): Promise<ReconcileAllSummary> => {
    const d = deps();
    const summary = await reconcileAll(d);
    // A flapping chain sends its summary once stable, and no alarm event comes to say so: look here.
    for (const name of summary.flapping) await observeServing(name, d);
    log.info('full reconcile finished', { ...summary });
    // A failed chain is already recorded and alerted; failing the run would only retry them all.
    return summary;
  };
}

let cached: ServingDeps | undefined;

/** Lambda entry point for the schedule. */
export const handler = makeResyncHandler(() => (cached ??= servingDepsFromEnv()));
