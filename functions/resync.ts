import { Logger } from '@aws-lambda-powertools/logger';
import { servingDepsFromEnv } from '../shared/aws/deps-from-env.ts';
import type { ServingDeps } from '../shared/ports.ts';
import { reconcileAll, type ReconcileAllSummary } from '../shared/reconcile/reconcile-all.ts';
import { sweepOutbox } from '../shared/reconcile/outbox.ts';
import { observeServing } from '../shared/serving/observe-serving.ts';

const logger = new Logger({ serviceName: 'failover-chains' });

/** Build the scheduled full reconcile: repairs drift made by hand and cleans up what the stream missed. */
export function makeResyncHandler(deps: () => ServingDeps, log: Logger = logger) {
  return async (): Promise<ReconcileAllSummary> => {
    const d = deps();
    // Alerts whose writer failed after recording them go out first, whatever else fails.
    const statuses = await d.status.list();
    const outbox = await sweepOutbox(statuses, d);
    let summary: ReconcileAllSummary | undefined;
    let failure: unknown;
    try {
      summary = await reconcileAll(d);
    } catch (error) {
      failure = error;
    }
    // A flapping chain sends its summary once stable, and no alarm event comes to say so: look
    // here, even if the full run failed. One chain's error must not keep the others' back.
    const flapping =
      summary?.flapping ?? statuses.filter((s) => s.flappingSince !== undefined).map((s) => s.name);
    const settleErrors: string[] = [];
    for (const name of flapping) {
      await observeServing(name, d).catch((error: unknown) => {
        settleErrors.push(name);
        log.error('settle check failed', { chain: name, error });
      });
    }
    if (!summary) throw failure;
    log.info('full reconcile finished', { ...summary, settleErrors, outbox });
    // A failed chain is already recorded and alerted; failing the run would only retry them all.
    return summary;
  };
}

let cached: ServingDeps | undefined;

/** Lambda entry point for the schedule. */
export const handler = makeResyncHandler(() => (cached ??= servingDepsFromEnv()));
