import { Logger } from '@aws-lambda-powertools/logger';
import { depsFromEnv } from '../shared/aws/deps-from-env.ts';
import type { ReconcileDeps } from '../shared/ports.ts';
import { reconcileAll, type ReconcileAllSummary } from '../shared/reconcile/reconcile-all.ts';

const logger = new Logger({ serviceName: 'failover-chains' });

/** Build the scheduled full reconcile: repairs drift made by hand and cleans up what the stream missed. */
export function makeResyncHandler(deps: () => ReconcileDeps, log: Logger = logger) {
  return async (): Promise<ReconcileAllSummary> => {
    const summary = await reconcileAll(deps());
    log.info('full reconcile finished', { ...summary });
    // A failed chain is already recorded and alerted; failing the run would only retry them all.
    return summary;
  };
}

let cached: ReconcileDeps | undefined;

/** Lambda entry point for the schedule. */
export const handler = makeResyncHandler(() => (cached ??= depsFromEnv()));
