import { randomUUID } from 'node:crypto';
import { HEALTH_CHECK_TAGS } from '../core/plan-health-checks.ts';
import { SHARED_TAG } from '../core/shared-checks.ts';
import { collectSharedGarbage, isRegisteredSharedAlarm } from './shared-garbage.ts';
import { alarmTarget } from '../core/alarm-event.ts';
import { normalizeName } from '../core/dns-name.ts';
import { isLostRace, type ObservedAlarm, type ReconcileDeps } from '../ports.ts';
import { applyInBatches, type BatchLimits } from './apply-in-batches.ts';
import { buildRequest, type BuildQueue } from './needs-builder.ts';
import { QuotaGate } from './quota-gate.ts';
import { prepareReconcile, reconcile, type PreparedReconcile, type ReconcileResult } from './reconcile.ts';
import { snapshotDeps, takeSnapshot, type Snapshot } from './snapshot.ts';

/** What a full run did. */
export interface ReconcileAllSummary {
  reconciled: number;
  byState: Record<string, number>;
  failed: { name: string; error: string }[];
  /** Chains another reconcile held throughout this run: it finishes them. */
  busy: string[];
  deletedHealthChecks: string[];
  deletedAlarms: string[];
  /** Chains still flapping: the schedule checks whether they have settled. */
  flapping: string[];
  /** False: the run stopped at its deadline; the cursor says where the next one continues. */
  complete: boolean;
  /** Where this run started (after the cursor's name), if it continued an earlier one. */
  resumedAfter?: string;
  /** Chains that need new health checks, queued for the builder. */
  handedToBuilder: string[];
}

/** How a full run keeps its progress. */
export interface FullRunOptions {
  /** Start no chunk once the clock reads this (ms since the epoch). */
  deadline?: number;
  /** Chains prepared, applied and finished together (default 100). */
  chunkSize?: number;
  /** Where the last finished chunk ended; without one every run starts from the top. */
  cursor?: FullRunCursor;
  /** Chains that need new checks go here instead of creating them in the run. */
  builder?: BuildQueue;
}

/** The full run's saved position: the last chain name of the last finished chunk. */
export interface FullRunCursor {
  get(): Promise<string | undefined>;
  /** Save the position; undefined: the pass is complete, start from the top next time. */
  set(after: string | undefined): Promise<void>;
}

const DEFAULT_CHUNK = 100;

/** Where a full run is, for a progress display: about to work on chain `done + 1` of `total`. */
export interface ReconcileProgress {
  phase: 'prepare' | 'finish';
  done: number;
  total: number;
  name: string;
}

/**
 * Reconcile every chain: read each table, each zone, the health checks and the alarms once; then,
 * chunk by chunk in name order, prepare the chunk's chains from that snapshot, apply their record
 * changes in as few batches as Route 53 allows and finish each chain (alarms, clean-up, status),
 * so every chunk's work is kept whatever happens later. With a cursor, the last finished chunk is
 * saved and a run that reaches its deadline stops there; the next run continues after it. Once a
 * pass is complete, chains whose rows vanished are cleaned up and health checks and alarms of
 * this owner that no chain uses are deleted. One chain's failure never stops the others.
 */
export async function reconcileAll(
  deps: ReconcileDeps,
  limits?: BatchLimits,
  onProgress?: (progress: ReconcileProgress) => void,
  options: FullRunOptions = {},
): Promise<ReconcileAllSummary> {
  const snapshot = await takeSnapshot(deps);
  // One read of each quota for the whole run, and only if some chain is about to create something.
  const gated = { ...deps, quotaGate: deps.quotaGate ?? new QuotaGate(deps.route53) };
  const run = snapshotDeps(gated, snapshot);
  const names = new Set(snapshot.rows.keys());
  for (const status of snapshot.statuses.values()) if (status.state !== 'DELETED') names.add(status.name);
  const after = await options.cursor?.get();
  const todo = [...names].sort().filter((name) => after === undefined || name > after);

  const summary: ReconcileAllSummary = {
    flapping: [],
    reconciled: 0,
    byState: {},
    failed: [],
    busy: [],
    deletedHealthChecks: [],
    deletedAlarms: [],
    complete: false,
    handedToBuilder: [],
    ...(after === undefined ? {} : { resumedAfter: after }),
  };
  const failed = (name: string, error: unknown) => {
    summary.failed.push({ name, error: error instanceof Error ? error.message : String(error) });
  };
  const counted = (result: ReconcileResult) => {
    summary.reconciled++;
    summary.byState[result.state] = (summary.byState[result.state] ?? 0) + 1;
    if (result.needsBuilder) toBuilder.push(result.name);
    if (result.rebuild) holding.push(result.name);
  };
  // A chain another reconcile changed since the snapshot is done again alone, from fresh reads.
  const again: string[] = [];
  // A chain whose manual failback now holds a tier its records include is built again, alone.
  const holding: string[] = [];
  const toBuilder: string[] = [];
  const attempt = async (name: string, step: () => Promise<void>) => {
    try {
      await step();
    } catch (error) {
      if (isLostRace(error)) again.push(name);
      else failed(name, error);
    }
  };
  const reconcileOptions = options.builder ? { createChecks: false } : {};
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK;
  const outOfTime = () => options.deadline !== undefined && deps.clock().getTime() >= options.deadline;
  let done = 0;
  for (let start = 0; start < todo.length; start += chunkSize) {
    // At least one chunk a run, so even a run started late makes progress.
    if (start > 0 && outOfTime()) break;
    const chunk = todo.slice(start, start + chunkSize);
    const prepared: PreparedReconcile[] = [];
    for (const name of chunk) {
      onProgress?.({ phase: 'prepare', done, total: todo.length, name });
      done++;
      await attempt(name, async () => {
        const chain = await prepareReconcile(name, run, reconcileOptions);
        // Held right before the shared batches: no newer reconcile can slip in between.
        if (chain.changes.length > 0) await chain.hold();
        prepared.push(chain);
      });
    }
    const refused = await applyInBatches(deps.route53, prepared, limits);
    for (const [index, chain] of prepared.entries()) {
      onProgress?.({ phase: 'finish', done: index, total: prepared.length, name: chain.name });
      await attempt(chain.name, async () => {
        counted(refused.has(chain) ? await chain.fail(refused.get(chain)) : await chain.finish());
      });
    }
    for (const name of holding.splice(0)) {
      await attempt(name, async () => {
        await reconcile(name, gated, reconcileOptions);
      });
    }
    // Once each: a chain still held by another reconcile is that reconcile's to finish.
    for (const name of again.splice(0)) {
      await attempt(name, async () => {
        counted(await reconcile(name, gated, reconcileOptions));
      });
    }
    summary.busy.push(...again.splice(0));
    await handToBuilder(options.builder, toBuilder.splice(0), summary);
    await options.cursor?.set(chunk.at(-1));
  }
  summary.complete = done >= todo.length;
  if (!summary.complete) return summary;
  await options.cursor?.set(undefined);
  await collectGarbage(deps, snapshot, summary);
  return summary;
}

/** Queue this chunk's chains for the builder, as requests of their own: never a repeat of an earlier one. */
async function handToBuilder(
  builder: BuildQueue | undefined,
  names: string[],
  summary: ReconcileAllSummary,
): Promise<void> {
  if (!builder || names.length === 0) return;
  const handOff = randomUUID();
  const requests = names.map((name) => buildRequest(name, handOff));
  const notQueued = new Set(await builder.request(requests).catch(() => names));
  for (const name of names) {
    if (notQueued.has(name)) summary.failed.push({ name, error: 'could not be queued for the builder' });
    else summary.handedToBuilder.push(name);
  }
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
  // Never garbage, whatever status says: any check a record in a listed zone uses, and what a
  // chain that still has a row may be using (an invalid row leaves its last build live): its
  // alarms, and its checks that one of our alarms watches.
  const rowNames = new Set([...snapshot.rows.keys()].map(normalizeName));
  const referenced = new Set<string>();
  for (const byName of snapshot.records.values()) {
    for (const records of byName.values()) {
      for (const record of records) if (record.HealthCheckId) referenced.add(record.HealthCheckId);
    }
  }
  const alarmInUse = (alarm: ObservedAlarm) => {
    const chain = alarmTarget(deps.settings.owner, alarm.AlarmName, alarm.AlarmDescription)?.chain;
    const check = alarm.Dimensions?.[0]?.Value;
    return (chain !== undefined && rowNames.has(chain)) || (check !== undefined && referenced.has(check));
  };
  const registered = new Map(snapshot.sharedItems.map((item) => [item.fingerprint, item.id]));
  const unknownAlarms = [...snapshot.alarms.values()]
    .filter(
      (alarm) =>
        !knownAlarms.has(alarm.AlarmName) &&
        !alarmInUse(alarm) &&
        !isRegisteredSharedAlarm(deps.settings.owner, alarm.AlarmName, registered),
    )
    .map((alarm) => alarm.AlarmName);
  // Chains removed during this run took their alarms with them: delete only what is still there.
  const orphanAlarms =
    unknownAlarms.length > 0 ? [...(await deps.alarms.describe(unknownAlarms)).keys()] : [];
  if (orphanAlarms.length > 0) {
    await deps.alarms.delete(orphanAlarms);
    summary.deletedAlarms.push(...orphanAlarms);
  }
  const watched = new Set(
    [...snapshot.alarms.values()].flatMap((alarm) => alarm.Dimensions?.[0]?.Value ?? []),
  );
  const unknown = snapshot.ownChecks.filter(
    (check) =>
      !knownIds.has(check.id) && !knownReferences.has(check.callerReference) && !referenced.has(check.id),
  );
  // Chains removed during this run deleted their checks: look only at those still there.
  const live =
    unknown.length === 0
      ? new Set<string>()
      : new Set((await deps.route53.listHealthChecks()).map((check) => check.id));
  const candidates = unknown.filter((check) => live.has(check.id));
  const tags =
    candidates.length === 0
      ? new Map<string, Record<string, string>>()
      : await deps.route53.tagsOf(candidates.map((check) => check.id));
  // Shared checks go by their registry: deleted only once no chain uses them.
  const shared = await collectSharedGarbage(deps, { tagged: tags, referenced, rows: rowNames });
  summary.deletedHealthChecks.push(...shared.deleted);
  summary.failed.push(...shared.failed);
  for (const check of candidates) {
    const tagged = tags.get(check.id);
    if (tagged?.[HEALTH_CHECK_TAGS.owner] !== deps.settings.owner) continue;
    if (tagged[SHARED_TAG] !== undefined) continue;
    // A chain with a row keeps a check an alarm of ours watches (its last tier's is on no record,
    // and status may have been restored from before it); one nothing points at is left over from
    // a move its status forgot (status is written before a check is created, so it would know).
    if (rowNames.has(tagged[HEALTH_CHECK_TAGS.chain] ?? '') && watched.has(check.id)) continue;
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
