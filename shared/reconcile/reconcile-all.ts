import { normalizeName } from '../core/dns-name.ts';
import { alarmNamePrefix } from '../core/plan-alarms.ts';
import type { ReconcileDeps } from '../ports.ts';
import { reconcile, type ReconcileResult } from './reconcile.ts';

/** What a full run did. */
export interface ReconcileAllSummary {
  reconciled: number;
  byState: Record<string, number>;
  failed: { name: string; error: string }[];
  deletedHealthChecks: string[];
  deletedAlarms: string[];
}

/**
 * Reconcile every chain in the table, clean up chains whose rows vanished while the stream was
 * missed, and delete health checks and alarms of this owner that no chain uses any more. One
 * chain's failure never stops the others; the summary says what happened.
 */
export async function reconcileAll(deps: ReconcileDeps): Promise<ReconcileAllSummary> {
  const [rows, statuses] = await Promise.all([deps.chains.listNames(), deps.status.list()]);
  const names = new Set(rows.map(normalizeName));
  for (const status of statuses) if (status.state !== 'DELETED') names.add(status.name);

  const summary: ReconcileAllSummary = {
    reconciled: 0,
    byState: {},
    failed: [],
    deletedHealthChecks: [],
    deletedAlarms: [],
  };
  for (const name of [...names].sort()) {
    try {
      const result: ReconcileResult = await reconcile(name, deps);
      summary.reconciled++;
      summary.byState[result.state] = (summary.byState[result.state] ?? 0) + 1;
    } catch (error) {
      summary.failed.push({ name, error: error instanceof Error ? error.message : String(error) });
    }
  }
  await collectGarbage(deps, summary);
  return summary;
}

/**
 * Delete owner-tagged health checks and owner-prefixed alarms no status knows. Checks are listed
 * before statuses are read: a check that exists had its CallerReference saved in a status first,
 * so one being created right now is never mistaken for garbage.
 */
async function collectGarbage(deps: ReconcileDeps, summary: ReconcileAllSummary): Promise<void> {
  const { owner } = deps.settings;
  const [checks, alarms] = await Promise.all([
    deps.route53.listOwnedHealthChecks(owner),
    deps.alarms.listByPrefix(alarmNamePrefix(owner)),
  ]);
  const statuses = await deps.status.list();
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
  const orphanAlarms = alarms.map((alarm) => alarm.AlarmName).filter((name) => !knownAlarms.has(name));
  if (orphanAlarms.length > 0) {
    await deps.alarms.delete(orphanAlarms);
    summary.deletedAlarms.push(...orphanAlarms);
  }
  for (const check of checks) {
    if (knownIds.has(check.id) || knownReferences.has(check.callerReference)) continue;
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
