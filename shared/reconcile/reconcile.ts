import { chainInvalidAlert, conflictAlert, reconcileFailedAlert, type Alert } from '../core/alerts.ts';
import type { ChainState } from '../core/chain-status.ts';
import { normalizeName } from '../core/dns-name.ts';
import { diffContext, diffRecords } from '../core/diff-records.ts';
import { planChain } from '../core/plan-records.ts';
import { controlsOf, describeControlChange } from '../core/control-alerts.ts';
import { controlWarnings, unsafeDrain } from '../core/operator-safety.ts';
import { answerWithHealthyTiers } from '../core/serving-tier.ts';
import { completeHealth, healthyTierIds } from '../core/tier-health.ts';
import { formatValidationError } from '../core/validation-error.ts';
import type { RecordChange } from '../core/route53-types.ts';
import { randomUUID } from 'node:crypto';
import { ChainBusyError, isLostRace, isThrottled, type ReconcileDeps } from '../ports.ts';
import { leasedDeps, LEASE_MS } from './chain-lease.ts';
import { misnamedRow } from './misnamed-row.ts';
import { validateRow } from './validate-row.ts';
import { leaveOldZones, outOfScope, zonesOf } from './chain-zones.ts';
import { ensureAlarms } from './alarms.ts';
import { announceChanges } from './announce-changes.ts';
import { observeChainRecords } from './observe-records.ts';
import { deleteRetiredHealthChecks, ensureHealthChecks, leaveUnusedShared } from './health-checks.ts';
import { NeedsBuilder } from './needs-builder.ts';
import { inSyncStatus } from './in-sync-status.ts';
import { StatusDraft } from './status-draft.ts';
import { prepareTeardown } from './teardown.ts';
import { quotaBlockedAlert } from '../core/quotas.ts';
import { admitChain, blockedProblemKey, quotaReachedProblem } from './quota-gate.ts';

/** What one reconcile did. */
export interface ReconcileResult {
  name: string;
  state: ChainState | 'ABSENT';
  /** Record changes applied in the one ChangeResourceRecordSets call (0: none made). */
  recordChanges: number;
  alerts: Alert[];
  /** It needs a new health check and was run with `createChecks: false`: hand it to the builder. */
  needsBuilder?: boolean;
}

/** What the trigger knows that status may not. */
export interface ReconcileOptions {
  /** The zone the row named before it was removed or moved (a stream record's old image). */
  zoneHint?: string;
  /** Who holds the chain's lease; kept across retries of one reconcile. */
  holder?: string;
  /** Throttling that outlasted the SDK's retries is the caller's to retry: no ERROR, no alert. */
  deferThrottled?: boolean;
  /** False: never call CreateHealthCheck; a chain that needs one stays PENDING with `needsBuilder`. */
  createChecks?: boolean;
  /** Save each created check's id at once (the builder, which may be stopped mid-chunk). */
  saveEachCheck?: boolean;
}

/** One chain's reconcile, stopped before its record changes are applied. */
export interface PreparedReconcile {
  name: string;
  /** The zone and the changes to apply there in one ChangeResourceRecordSets call (none: nothing to change). */
  zoneId: string | undefined;
  changes: RecordChange[];
  /** Take or renew the chain's lease: call right before applying `changes`. */
  hold(): Promise<void>;
  /** After the changes are applied: alarms, clean-up, status and alerts. */
  finish(): Promise<ReconcileResult>;
  /** The changes were refused: record and alert it (once per distinct error), then throw it. */
  fail(error: unknown): Promise<never>;
}

const RACE_ATTEMPTS = 5;

/**
 * Level-triggered reconcile of one chain, the same for every trigger: read status, the row and
 * what Route 53 and CloudWatch hold; plan; take the chain's lease before the first change; apply
 * in a safe order; record status and release. Running it again on a chain in sync makes no write
 * call. Permanent problems (invalid row, conflict) are recorded and alerted, not thrown; a lost
 * race is retried quietly; anything else is recorded, alerted once and thrown so the trigger
 * retries.
 */
export async function reconcile(
  rawName: string,
  deps: ReconcileDeps,
  options: ReconcileOptions = {},
): Promise<ReconcileResult> {
  const holder = options.holder ?? randomUUID();
  for (let attempt = 1; ; attempt++) {
    try {
      const prepared = await prepareReconcile(rawName, deps, { ...options, holder });
      if (prepared.changes.length > 0) {
        try {
          await prepared.hold();
          await deps.route53.changeRecords(
            prepared.zoneId!,
            prepared.changes,
            `failover-chains: ${prepared.name}`,
          );
        } catch (error) {
          return await prepared.fail(error);
        }
      }
      return await prepared.finish();
    } catch (error) {
      if (!isLostRace(error) || attempt >= RACE_ATTEMPTS) throw error;
      // Another reconcile holds or just changed the chain: read again once it is done.
      const wait =
        error instanceof ChainBusyError
          ? Math.min(Math.max(Date.parse(error.until) - deps.clock().getTime(), 0), 5_000)
          : 50 * attempt;
      await (deps.sleep ?? sleep)(wait);
    }
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Everything reconcile does up to the record change batch: validation, conflicts, health checks
 * and the diff. A full run prepares many chains and applies their changes in shared batches.
 */
export async function prepareReconcile(
  rawName: string,
  deps: ReconcileDeps,
  options: ReconcileOptions = {},
): Promise<PreparedReconcile> {
  const name = normalizeName(rawName);
  if (name !== rawName) return misnamedRow(rawName, name, deps);
  const now = () => deps.clock().toISOString();
  // Status first: the lease is taken on this revision, so anything another reconcile changed
  // after this read, row or records, makes the lease (and so this reconcile's writes) fail.
  const stored = await deps.status.get(name);
  const row = await deps.chains.get(name);
  const status = new StatusDraft(deps.status, stored, name, now);
  const holder = options.holder ?? randomUUID();
  const hold = () => status.hold(holder, deps.clock().getTime(), LEASE_MS);
  const act = leasedDeps(deps, hold);
  const alerts: Alert[] = [];
  const alertOnce = (problem: unknown, alert: Alert) => {
    if (status.alertOnce(problem, alert)) alerts.push(alert);
  };
  const fail = async (error: unknown): Promise<never> => {
    if (options.deferThrottled && isThrottled(error)) {
      // The caller retries later (the builder's queue): give the chain back, record nothing wrong.
      status.release();
      await status.save().catch(() => false);
    } else if (!isLostRace(error)) {
      // A lost race is retried by reconcile with the same holder, which keeps any lease taken.
      const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      status.release();
      status.discardUnsaved();
      Object.assign(status.draft, { state: 'ERROR', errors: [message] });
      try {
        alertOnce(['ERROR', message], reconcileFailedAlert(name, message, now()));
        await status.saveAndDeliver(deps);
      } catch {
        // The original error matters more; the retry will record it.
      }
    }
    throw error;
  };
  const settled = (state: ReconcileResult['state']): PreparedReconcile => ({
    name,
    zoneId: undefined,
    changes: [],
    hold,
    finish: () => Promise.resolve({ name, state, recordChanges: 0, alerts }),
    fail,
  });
  // A permanent problem: record it, alert it once, change nothing live.
  type Stop = 'INVALID' | 'CONFLICT' | 'BLOCKED';
  const record = async (state: Stop, messages: string[], alert: Alert, key: unknown = [state, messages]) => {
    status.release();
    Object.assign(status.draft, { state, errors: messages });
    alertOnce(key, alert);
    await status.saveAndDeliver(deps);
  };
  const stop = async (state: Stop, messages: string[], alert: Alert, key?: unknown) => {
    await record(state, messages, alert, key);
    return settled(state);
  };
  // An AWS quota has no room: wait for it (the next full run retries), alerted once per quota.
  const block = (problem: string) =>
    stop('BLOCKED', [problem], quotaBlockedAlert(name, problem, now()), blockedProblemKey(problem));
  const proceed = (
    zoneId: string | undefined,
    changes: RecordChange[],
    finish: () => Promise<ReconcileResult>,
  ): PreparedReconcile => ({
    name,
    zoneId,
    changes,
    hold,
    finish: () => finish().catch(fail),
    fail,
  });

  try {
    if (row === undefined) {
      if (!status.known && options.zoneHint === undefined) return settled('ABSENT');
      const removal = await prepareTeardown(name, status, act, options.zoneHint);
      return proceed(removal.zoneId, removal.changes, async () => {
        const { leftIn } = await removal.finish();
        if (leftIn.length > 0) {
          const messages = [outOfScope(leftIn, deps)];
          await record('INVALID', messages, chainInvalidAlert(name, messages, now()));
          return { name, state: 'INVALID', recordChanges: removal.changes.length, alerts };
        }
        status.release();
        await status.saveAndDeliver(deps);
        return {
          name,
          state: status.draft.state === 'ERROR' ? 'ERROR' : 'DELETED',
          recordChanges: removal.changes.length,
          alerts,
        };
      });
    }

    const validated = await validateRow(row, deps);
    if (!validated.ok) {
      const messages = validated.errors.map(formatValidationError);
      return await stop('INVALID', messages, chainInvalidAlert(name, messages, now()));
    }
    const chain = validated.chain;
    const context = diffContext(chain, deps.settings.owner);
    const held =
      chain.failback === 'manual'
        ? (status.draft.heldTiers ?? []).filter((id) => chain.tiers.some((t) => t.id === id))
        : [];
    const health = completeHealth(chain, status.draft.tierHealth);
    const controls = controlsOf(chain);
    const controlChanges = status.draft.controls
      ? describeControlChange(status.draft.controls, controls)
      : [];
    const unsafe = controlChanges.length > 0 ? unsafeDrain(chain, held, health) : undefined;
    if (unsafe) {
      const messages = [formatValidationError(unsafe)];
      return await stop('INVALID', messages, chainInvalidAlert(name, messages, now()));
    }
    const observed = await observeChainRecords(deps.route53, chain, deps.settings.owner);

    // Conflicts do not depend on health check ids: find them before creating anything.
    const preview = diffRecords(
      planChain(chain, { owner: deps.settings.owner, held }).records,
      observed,
      context,
    );
    if (preview.conflicts.length > 0) {
      const messages = preview.conflicts.map((c) => `${c.name} ${c.type}: ${c.reason}`);
      return await stop('CONFLICT', messages, conflictAlert(name, preview.conflicts, now()));
    }

    const blocked = await admitChain(chain, status.draft, preview.changes, deps);
    if (blocked) return await block(blocked);

    // Write-ahead: whichever write comes first saves this with the lease, before any batch.
    status.draft.zoneIds = [...new Set([...zonesOf(status), chain.hostedZoneId])];
    let managedIds: Record<string, string>;
    try {
      managedIds = await ensureHealthChecks(chain, status, act, observed, options);
    } catch (error) {
      if (!(error instanceof NeedsBuilder)) throw error;
      // Not applied yet: PENDING until the builder has made the checks and the records exist.
      status.release();
      Object.assign(status.draft, { state: 'PENDING', errors: [] });
      await status.save();
      const result = { name, state: 'PENDING', recordChanges: 0, alerts, needsBuilder: true } as const;
      return { ...settled('PENDING'), finish: () => Promise.resolve(result) };
    }
    const plan = planChain(chain, { owner: deps.settings.owner, healthCheckIds: managedIds, held });
    const { changes } = diffRecords(plan.records, observed, context);
    return proceed(chain.hostedZoneId, changes, async () => {
      const leftIn = await leaveOldZones(chain, status, act, options.zoneHint);
      await ensureAlarms(chain, plan.healthChecks, managedIds, status, act);
      const used = new Set(
        plan.records.flatMap((record) => (record.HealthCheckId ? [record.HealthCheckId] : [])),
      );
      await deleteRetiredHealthChecks(status, used, act);
      await leaveUnusedShared(status, act);

      // What Route 53 serves with the records just written, from the last health seen.
      const serving = answerWithHealthyTiers(chain, healthyTierIds(health), deps.settings.owner, held).tier
        ?.id;
      const warnings = controlWarnings(chain, health);
      if (leftIn.length > 0) warnings.push(outOfScope(leftIn, deps));
      status.become(
        inSyncStatus(status.draft, { chain, records: plan.records, controls, held, serving, warnings }),
      );
      const announced = announceChanges(status, {
        chain,
        before: stored?.applied,
        from: stored?.servingTier,
        serving,
        controlChanges,
        warnings,
        at: now(),
      });
      if (announced) alerts.push(announced);
      await status.saveAndDeliver(deps);
      return { name, state: 'IN_SYNC', recordChanges: changes.length, alerts };
    });
  } catch (error) {
    const blocked = quotaReachedProblem(error);
    if (blocked) deps.quotaGate?.healthChecksFull?.();
    return blocked ? await block(blocked) : fail(error);
  }
}
