import { chainInvalidAlert, conflictAlert, type Alert } from '../core/alerts.ts';
import type { ChainStatus } from '../core/chain-status.ts';
import type { Chain } from '../core/chain.ts';
import { controlsOf, describeControlChange, type Controls } from '../core/control-alerts.ts';
import { diffContext, diffRecords } from '../core/diff-records.ts';
import { controlWarnings, unsafeDrain } from '../core/operator-safety.ts';
import { planChain, type ChainPlan } from '../core/plan-records.ts';
import type { RecordChange, ResourceRecordSet } from '../core/route53-types.ts';
import type { FlapSettings } from '../core/flap-guard.ts';
import { completeHealth, type AlarmReading, type TierHealth } from '../core/tier-health.ts';
import { formatValidationError, type ValidationError } from '../core/validation-error.ts';
import { builtOf, decideServing, type ServingDecision } from './decide-serving.ts';
import { announcement } from './announce-changes.ts';
import { inSyncStatus } from './in-sync-status.ts';

// Pure decisions of one reconcile, in the order it makes them: from status and the validated row
// (decideChain), then from the chain's records in Route 53 (decideBuild), then, once the checks'
// ids are known, the records (decideRecords) and the status the run ends with (decideInSync).

/** Status and the row, as reconcile read them. */
export interface ChainSeen {
  name: string;
  /** Status as read (a new one when the chain was never known); `known` says which. */
  status: Readonly<ChainStatus>;
  known: boolean;
  /** The row's validation (undefined: no row). */
  row: { ok: true; chain: Chain } | { ok: false; errors: readonly ValidationError[] } | undefined;
  /** The zone a stream REMOVE or zone move named. */
  zoneHint: string | undefined;
  at: string;
}

/** A permanent problem: recorded and alerted once; nothing live changes. */
export interface Stop {
  kind: 'stop';
  state: 'INVALID' | 'CONFLICT';
  messages: string[];
  alert: Alert;
}

/** A valid chain that may be built: what its plan depends on, besides Route 53 and the checks' ids. */
export interface Valid {
  kind: 'valid';
  chain: Chain;
  held: string[];
  health: Record<string, TierHealth>;
  controls: Controls;
  controlChanges: string[];
  /** Who asked for a manual failback this build announces (`chains failback --by`). */
  failedBackBy?: string | undefined;
}

/** A valid chain with no conflict, and its record changes as if every check existed (what the quota gate counts). */
export type Build = Omit<Valid, 'kind'> & { kind: 'build'; preview: RecordChange[] };

/** What reconcile does with one chain. */
export type ChainDecision = { kind: 'absent' } | { kind: 'teardown' } | Stop | Build;

/**
 * From status and the row alone: nothing to do, tear down a removed row, stop on an invalid row
 * or on a new drain that leaves only failing tiers (neither needs Route 53), or go on to build.
 */
export function decideChain(seen: ChainSeen): Exclude<ChainDecision, Build> | Valid {
  const { name, status, row, at } = seen;
  if (row === undefined) {
    return !seen.known && seen.zoneHint === undefined ? { kind: 'absent' } : { kind: 'teardown' };
  }
  if (!row.ok) return invalid(name, row.errors, at);
  const chain = row.chain;
  const held =
    chain.failback === 'manual'
      ? (status.heldTiers ?? []).filter((id) => chain.tiers.some((t) => t.id === id))
      : [];
  const health = completeHealth(chain, status.tierHealth);
  const controls = controlsOf(chain);
  const controlChanges = status.controls ? describeControlChange(status.controls, controls) : [];
  const unsafe = controlChanges.length > 0 ? unsafeDrain(chain, held, health) : undefined;
  if (unsafe) return invalid(name, [unsafe], at);
  // `chains failback` released held tiers: the build that returns them to the records says so.
  const failedBack = status.failedBack;
  if (failedBack) controlChanges.push(`failed back ${failedBack.tiers.join(', ')}`);
  return {
    kind: 'valid',
    chain,
    held,
    health,
    controls,
    controlChanges,
    ...(failedBack ? { failedBackBy: failedBack.by } : {}),
  };
}

function invalid(name: string, errors: readonly ValidationError[], at: string): Stop {
  const messages = errors.map(formatValidationError);
  return { kind: 'stop', state: 'INVALID', messages, alert: chainInvalidAlert(name, messages, at) };
}

/**
 * From the chain's records in Route 53: a record at one of its names that this deployment did
 * not make is a CONFLICT, found before any check is created (conflicts do not depend on ids).
 */
export function decideBuild(
  valid: Valid,
  observed: readonly ResourceRecordSet[],
  owner: string,
  at: string,
): Stop | Build {
  const planned = planChain(valid.chain, { owner, held: valid.held }).records;
  const preview = diffRecords(planned, observed, diffContext(valid.chain, owner));
  if (preview.conflicts.length > 0) {
    const messages = preview.conflicts.map((c) => `${c.name} ${c.type}: ${c.reason}`);
    const alert = conflictAlert(valid.chain.name, preview.conflicts, at);
    return { kind: 'stop', state: 'CONFLICT', messages, alert };
  }
  return { ...valid, kind: 'build', preview: preview.changes };
}

/** The records the chain needs once its managed checks' ids are known, and the changes to get there. */
export function decideRecords(
  build: Build,
  healthCheckIds: Readonly<Record<string, string>>,
  observed: readonly ResourceRecordSet[],
  owner: string,
): { plan: ChainPlan; changes: RecordChange[] } {
  const plan = planChain(build.chain, { owner, healthCheckIds, held: build.held });
  const { changes } = diffRecords(plan.records, observed, diffContext(build.chain, owner));
  return { plan, changes };
}

/** What a build applied and what the checks' alarms said before it (their states, by tier). */
export interface AppliedBuild {
  records: readonly ResourceRecordSet[];
  /** The health check each tier's records and alarm use, by tier id. */
  checks: Readonly<Record<string, string>>;
  readings: ReadonlyMap<string, AlarmReading>;
}

/**
 * The chain's status once its records, alarms and checks are applied (from the run's `draft`),
 * with the tier Route 53 now serves worked out from the records built and the health of the checks
 * they use (decide-serving.ts, as for an alarm), and what to tell: an operator's control change
 * or an edit that moved traffic, else a change of the serving tier like any flip (a chain that
 * joined a failing check, a failure whose alarm was missed), against the `stored` status it started
 * from. `leftIn` explains records left in a zone this deployment may no longer change.
 */
export function decideInSync(
  build: Build,
  draft: Readonly<ChainStatus>,
  stored: ChainStatus | undefined,
  applied: AppliedBuild,
  extra: { owner: string; at: string; flap: FlapSettings; leftIn?: string },
): ServingDecision {
  const { chain, held, controls, controlChanges } = build;
  const before = stored ?? draft;
  const warningsOf = (health: Readonly<Record<string, TierHealth>>) => [
    ...controlWarnings(chain, health),
    ...keptCheckWarnings(draft),
    ...(extra.leftIn ? [extra.leftIn] : []),
  ];
  const base = inSyncStatus(draft, {
    chain,
    records: applied.records,
    controls,
    held,
    checks: applied.checks,
    warnings: [],
  });
  const decision = decideServing({
    stored: before,
    base,
    built: { chain, held, checks: applied.checks },
    builtBefore: builtOf(before),
    readings: applied.readings,
    at: extra.at,
    now: extra.at,
    owner: extra.owner,
    flap: extra.flap,
    settle: false,
    announce: (serving, health) =>
      announcement({
        chain,
        before: before.applied,
        from: before.servingTier,
        serving,
        controlChanges,
        warnings: warningsOf(health),
        at: extra.at,
        ...('failedBackBy' in build ? { by: build.failedBackBy } : {}),
      }),
  });
  const warnings = warningsOf(decision.next.tierHealth ?? {});
  if (warnings.length > 0) decision.next.warnings = warnings;
  return decision;
}

/** What a tier whose records keep its old check waits for, in words (see keep-old-checks.ts). */
function keptCheckWarnings(status: Pick<ChainStatus, 'keptChecks' | 'healthChecks'>): string[] {
  return Object.entries(status.keptChecks ?? {}).map(
    ([tierId, old]) =>
      `${tierId} keeps health check ${old} on its records until its new check ${status.healthChecks[tierId]?.id ?? '(being made)'} has a verdict: the tier is failing, and Route 53 counts a new check healthy until it has data`,
  );
}
