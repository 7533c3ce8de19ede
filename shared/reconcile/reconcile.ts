import { chainInvalidAlert, conflictAlert, reconcileFailedAlert, type Alert } from '../core/alerts.ts';
import type { Chain } from '../core/chain.ts';
import { fingerprint, type ChainState } from '../core/chain-status.ts';
import { checkScope, checkZone } from '../core/check-zone.ts';
import { normalizeName } from '../core/dns-name.ts';
import { diffContext, diffRecords, isOwnedByChain, recordKey } from '../core/diff-records.ts';
import { planChain } from '../core/plan-records.ts';
import { validateChain } from '../core/validate-chain.ts';
import { controlChangedAlert, controlsOf, describeControlChange } from '../core/control-alerts.ts';
import { controlWarnings, unsafeDrain } from '../core/operator-safety.ts';
import { answerWithHealthyTiers } from '../core/serving-tier.ts';
import { completeHealth, healthyTierIds } from '../core/tier-health.ts';
import { formatPath, formatValidationError, type ValidationError } from '../core/validation-error.ts';
import type { RecordChange } from '../core/route53-types.ts';
import { StaleStatusError, type ReconcileDeps } from '../ports.ts';
import { ensureAlarms } from './alarms.ts';
import { observeChainRecords } from './observe-records.ts';
import { deleteRetiredHealthChecks, ensureHealthChecks } from './health-checks.ts';
import { StatusDraft } from './status-draft.ts';
import { prepareTeardown } from './teardown.ts';
import { recordHistory } from './record-history.ts';

/** What one reconcile did. */
export interface ReconcileResult {
  name: string;
  state: ChainState | 'ABSENT';
  /** Record changes applied in the one ChangeResourceRecordSets call (0: none made). */
  recordChanges: number;
  alerts: Alert[];
}

/** One chain's reconcile, stopped before its record changes are applied. */
export interface PreparedReconcile {
  name: string;
  /** The zone and the changes to apply there in one ChangeResourceRecordSets call (none: nothing to change). */
  zoneId: string | undefined;
  changes: RecordChange[];
  /** After the changes are applied: alarms, clean-up, status and alerts. */
  finish(): Promise<ReconcileResult>;
  /** The changes were refused: record and alert it (once per distinct error), then throw it. */
  fail(error: unknown): Promise<never>;
}

/**
 * Level-triggered reconcile of one chain, the same for every trigger: read the row and what
 * Route 53, CloudWatch and the status table hold, plan, apply in a safe order, record status.
 * Running it again on a chain in sync makes no write call. Permanent problems (invalid row,
 * conflict) are recorded and alerted, not thrown; anything else is recorded, alerted once and
 * thrown so the trigger retries.
 */
export async function reconcile(rawName: string, deps: ReconcileDeps): Promise<ReconcileResult> {
  const prepared = await prepareReconcile(rawName, deps);
  if (prepared.changes.length > 0) {
    try {
      await deps.route53.changeRecords(
        prepared.zoneId!,
        prepared.changes,
        `failover-chains: ${prepared.name}`,
      );
    } catch (error) {
      return prepared.fail(error);
    }
  }
  return prepared.finish();
}

/**
 * Everything reconcile does up to the record change batch: validation, conflicts, health checks
 * and the diff. A full run prepares many chains and applies their changes in shared batches.
 */
export async function prepareReconcile(rawName: string, deps: ReconcileDeps): Promise<PreparedReconcile> {
  const name = normalizeName(rawName);
  const now = () => deps.clock().toISOString();
  const [row, stored] = await Promise.all([deps.chains.get(name), deps.status.get(name)]);
  const status = new StatusDraft(deps.status, stored, name, now);
  const alerts: Alert[] = [];
  const alertOnce = async (problem: unknown, alert: Alert) => {
    const key = fingerprint(problem);
    if (status.draft.alertedProblem === key) return;
    await deps.alerts.publish(alert);
    alerts.push(alert);
    status.draft.alertedProblem = key;
  };
  const fail = async (error: unknown): Promise<never> => {
    if (!(error instanceof StaleStatusError)) {
      const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      Object.assign(status.draft, { state: 'ERROR', errors: [message] });
      try {
        await alertOnce(['ERROR', message], reconcileFailedAlert(name, message, now()));
        await status.save();
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
    finish: () => Promise.resolve({ name, state, recordChanges: 0, alerts }),
    fail,
  });
  // A permanent problem: record it, alert it once, change nothing live.
  const stop = async (state: 'INVALID' | 'CONFLICT', messages: string[], alert: Alert) => {
    Object.assign(status.draft, { state, errors: messages });
    await alertOnce([state, messages], alert);
    await status.save();
    return settled(state);
  };
  const proceed = (
    zoneId: string | undefined,
    changes: RecordChange[],
    finish: () => Promise<ReconcileResult>,
  ) => ({
    name,
    zoneId,
    changes,
    finish: () => finish().catch(fail),
    fail,
  });

  try {
    if (row === undefined) {
      const removal = await prepareTeardown(name, status, deps);
      return proceed(removal.zoneId, removal.changes, async () => {
        await removal.finish();
        return {
          name,
          state: status.known ? 'DELETED' : 'ABSENT',
          recordChanges: removal.changes.length,
          alerts,
        };
      });
    }

    const validated = await validate(row, deps);
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

    const managedIds = await ensureHealthChecks(chain, status, deps, observed);
    const plan = planChain(chain, { owner: deps.settings.owner, healthCheckIds: managedIds, held });
    const { changes } = diffRecords(plan.records, observed, context);
    return proceed(chain.hostedZoneId, changes, async () => {
      await leaveOldZone(chain, status, deps);
      await ensureAlarms(chain, plan.healthChecks, managedIds, status, deps);
      const used = new Set(
        plan.records.flatMap((record) => (record.HealthCheckId ? [record.HealthCheckId] : [])),
      );
      await deleteRetiredHealthChecks(status, used, deps);

      // What Route 53 serves with the records just written, from the last health seen.
      const serving = answerWithHealthyTiers(chain, healthyTierIds(health), deps.settings.owner, held).tier
        ?.id;
      const warnings = controlWarnings(chain, health);
      Object.assign(status.draft, {
        state: 'IN_SYNC',
        errors: [],
        specFingerprint: fingerprint(chain),
        hostedZoneId: chain.hostedZoneId,
        records: plan.records.map(recordKey),
        tiers: chain.tiers.map((tier) => tier.id),
        controls,
        ...(serving === undefined ? {} : { servingTier: serving }),
      });
      for (const [key, value] of [
        ['heldTiers', held],
        ['warnings', warnings],
      ] as const) {
        if (value.length > 0) status.draft[key] = [...value];
        else Reflect.deleteProperty(status.draft, key);
      }
      delete status.draft.alertedProblem;
      const previousServing = stored?.servingTier;
      await status.save();
      if (controlChanges.length > 0) {
        const at = now();
        const alert = controlChangedAlert(chain, controlChanges, serving, chain.changedBy, warnings, at);
        await recordHistory(deps, {
          chain: name,
          at,
          event: 'CONTROL_CHANGED',
          from: previousServing ?? '',
          to: serving ?? '',
          failed: [],
          recovered: [],
        });
        await deps.alerts.publish(alert);
        alerts.push(alert);
      }
      return { name, state: 'IN_SYNC', recordChanges: changes.length, alerts };
    });
  } catch (error) {
    return fail(error);
  }
}

async function validate(
  row: unknown,
  deps: ReconcileDeps,
): Promise<{ ok: true; chain: Chain } | { ok: false; errors: ValidationError[] }> {
  const result = validateChain(row, {
    allowReservedAddresses: deps.settings.allowReservedAddresses ?? false,
  });
  if (!result.ok) return result;
  const chain = result.chain;
  const scopeErrors = checkScope(chain, deps.settings);
  if (scopeErrors.length > 0) return { ok: false, errors: scopeErrors };
  const zoneErrors = checkZone(chain, await deps.route53.getZone(chain.hostedZoneId));
  if (zoneErrors.length > 0) return { ok: false, errors: zoneErrors };
  const missing: ValidationError[] = [];
  for (const [index, tier] of chain.tiers.entries()) {
    if (tier.healthCheck?.kind !== 'existing') continue;
    if (!(await deps.route53.getHealthCheck(tier.healthCheck.id))) {
      missing.push({
        path: formatPath(['tiers', index, 'healthCheck', 'id']),
        message: `no health check ${tier.healthCheck.id} exists in this account`,
      });
    }
  }
  return missing.length > 0 ? { ok: false, errors: missing } : result;
}

/** A chain moved to another hosted zone: remove its records from the old one. */
async function leaveOldZone(chain: Chain, status: StatusDraft, deps: ReconcileDeps): Promise<void> {
  const previous = status.draft.hostedZoneId;
  if (previous === undefined || previous === chain.hostedZoneId) return;
  const context = { owner: deps.settings.owner, chainName: chain.name };
  const owned = (await deps.route53.listRecordsUnder(previous, chain.name)).filter((r) =>
    isOwnedByChain(r, context),
  );
  if (owned.length > 0) {
    await deps.route53.changeRecords(
      previous,
      owned.map((record) => ({ Action: 'DELETE', ResourceRecordSet: record })),
      `failover-chains: ${chain.name} moved to ${chain.hostedZoneId}`,
    );
  }
}
