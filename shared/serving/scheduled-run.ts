import type { Logger } from '@aws-lambda-powertools/logger';
import type { ServingDeps } from '../ports.ts';
import { observeServing } from './observe-serving.ts';
import type { BuildQueue } from '../reconcile/needs-builder.ts';
import { sweepOutbox } from '../reconcile/outbox.ts';
import { reconcileAll, type FullRunCursor, type ReconcileAllSummary } from '../reconcile/reconcile-all.ts';

/** How one scheduled run is bounded and where it keeps its place. */
export interface ScheduledRunOptions {
  /** Epoch ms after which no chunk is started. */
  deadline?: number;
  cursor?: FullRunCursor;
  builder?: BuildQueue;
}

/**
 * The schedule's work: alerts left in outboxes go out first, then the full reconcile, then every
 * flapping chain is observed again (a flapping chain sends its summary once stable, and no alarm
 * event comes to say so), even when the full run failed. One chain's error keeps no other back;
 * a failed chain is already recorded and alerted, so only a failed full run is thrown.
 */
export async function scheduledRun(
  deps: ServingDeps,
  options: ScheduledRunOptions,
  log: Logger,
): Promise<ReconcileAllSummary> {
  const statuses = await deps.status.list();
  const outbox = await sweepOutbox(statuses, deps);
  let summary: ReconcileAllSummary | undefined;
  let failure: unknown;
  try {
    summary = await reconcileAll(deps, undefined, undefined, options);
  } catch (error) {
    failure = error;
  }
  const flapping =
    summary?.flapping ?? statuses.filter((s) => s.flappingSince !== undefined).map((s) => s.name);
  const settleErrors: string[] = [];
  for (const name of flapping) {
    await observeServing(name, deps).catch((error: unknown) => {
      settleErrors.push(name);
      log.error('settle check failed', { chain: name, error });
    });
  }
  if (!summary) throw failure;
  log.info('full reconcile finished', { ...summary, settleErrors, outbox });
  return summary;
}
