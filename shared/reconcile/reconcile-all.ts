import { HEALTH_CHECK_TAGS } from '../core/plan-health-checks.ts';
import type { ReconcileDeps } from '../ports.ts';
import { applyInBatches, type BatchLimits } from './apply-in-batches.ts';
import { prepareReconcile, type PreparedReconcile } from './reconcile.ts';
import { snapshotDeps, takeSnapshot, type Snapshot } from './snapshot.ts';

/** What a full run did. */
export interface ReconcileAllSummary {
  reconciled: number;
  byState: Record<string, number>;
  failed: { name: string; error: string }[];
  deletedHealthChecks: string[];
  deletedAlarms: string[];
  /** Chains still flapping: the schedule checks whether they have settled. */
  flapping: string[];
}

/** Where a full run is, for a progress display: about to work on chain `done + 1` of `total`. */
export interface ReconcileProgress {
  phase: 'prepare' | 'finish';
  done: number;
  total: number;
  name: string;
}

/**
 * Reconcile every chain in one pass: read each table, each zone, the health checks and the
 * alarms once; prepare every chain from that snapshot; apply all record changes in as few
 * batches as Route 53 allows; then finish each chain (alarms, clean-up, status). Chains whose
 * rows vanished while the stream was missed are cleaned up, and health checks and alarms of this
 * owner that no chain uses are deleted. One chain's failure never stops the others.
 */
export async function reconcileAll(
  deps: ReconcileDeps,
  limits?: BatchLimits,
  onProgress?: (progress: ReconcileProgress) => void,
): Promise<ReconcileAllSummary> {
  const snapshot = await takeSnapshot(deps);
  const run = snapshotDeps(deps, snapshot);
  const names = new Set(snapshot.rows.keys());
  for (const status of snapshot.statuses.values()) if (status.state !== 'DELETED') names.add(status.name);

  const summary: ReconcileAllSummary = {
    flapping: [],
    reconciled: 0,
    byState: {},
    failed: [],
    deletedHealthChecks: [],
    deletedAlarms: [],
  };
  const failed = (name: string, error: unknown) => {
    summary.failed.push({ name, error: error instanceof Error ? error.message : String(error) });
  };
  const prepared: PreparedReconcile[] = [];
  for (const [done, name] of [...names].sort().entries()) {
    onProgress?.({ phase: 'prepare', done, total: names.size, name });
    try {
      prepared.push(await prepareReconcile(name, run));
    } catch (error) {
      failed(name, error);
    }
  }
  const refused = await applyInBatches(deps.route53, prepared, limits);
  for (const [done, chain] of prepared.entries()) {
    onProgress?.({ phase: 'finish', done, total: prepared.length, name: chain.name });
    try {
      const result = refused.has(chain) ? await chain.fail(refused.get(chain)) : await chain.finish();
      summary.reconciled++;
      summary.byState[result.state] = (summary.byState[result.state] ?? 0) + 1;
    } catch (error) {
      failed(chain.name, error);
    }
  }
  await collectGarbage(deps, snapshot, summary);
  return summary;
}

/**
 * Delete health checks tagged with this owner and alarms with its prefix that no status knows.
 * Only checks no status knows are looked up for tags, so a steady state costs no extra call.
 * The checks were listed before the statuses are read again here: a check that exists had its
 * CallerReference saved in a status first, so one being created right now is never garbage.
 */
async function collectGarbage(
  deps: ReconcileDeps,
  snapshot: Snapshot,
  summary: ReconcileAllSummary,
): Promise<void> {
  const statuses = await deps.status.list();
  summary.flapping = statuses
    .filter((status) => status.flappingSince !== undefined)
    .map((status) => status.name);
  const knownIds = new Set<string>();
  const knownReferences = new Set<string>();
  const knownAlarms = new Set<string>();
  for (const status of statuses) {
    for (const check of Object.values(status.healthChecks)) {
      knownReferences.add(check.callerReference);
      if (check.id) knownIds.add(check.id);
    }
    for (const id of status.retiredHealthChecks) knownIds.add(id);
    for (const alarm of Object.values(status.alarms)) knownAlarms.add(alarm);
  }
  const unknownAlarms = [...snapshot.alarms.keys()].filter((name) => !knownAlarms.has(name));
  // Chains removed during this run took their alarms with them: delete only what is still there.
  const orphanAlarms =
    unknownAlarms.length > 0 ? [...(await deps.alarms.describe(unknownAlarms)).keys()] : [];
  if (orphanAlarms.length > 0) {
    await deps.alarms.delete(orphanAlarms);
    summary.deletedAlarms.push(...orphanAlarms);
  }
  const unknown = [...snapshot.checks.values()].filter(
    (check) => !knownIds.has(check.id) && !knownReferences.has(check.callerReference),
  );
  if (unknown.length === 0) return;
  // Chains removed during this run deleted their checks: look only at those still there.
  const live = new Set((await deps.route53.listHealthChecks()).map((check) => check.id));
  const candidates = unknown.filter((check) => live.has(check.id));
  const tags = await deps.route53.tagsOf(candidates.map((check) => check.id));
  for (const check of candidates) {
    if (tags.get(check.id)?.[HEALTH_CHECK_TAGS.owner] !== deps.settings.owner) continue;
    try {
      await deps.route53.deleteHealthCheck(check.id);
      summary.deletedHealthChecks.push(check.id);
    } catch (error) {
      summary.failed.push({
        name: `health check ${check.id}`,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }
}
