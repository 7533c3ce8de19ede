import { chainInvalidAlert, conflictAlert, type Alert } from '../core/alerts.ts';
import type { ChainStatus } from '../core/chain-status.ts';
import type { Chain } from '../core/chain.ts';
import { controlsOf, describeControlChange, type Controls } from '../core/control-alerts.ts';
import { diffContext, diffRecords } from '../core/diff-records.ts';
import { controlWarnings, unsafeDrain } from '../core/operator-safety.ts';
import { planChain, type ChainPlan } from '../core/plan-records.ts';
import type { RecordChange, ResourceRecordSet } from '../core/route53-types.ts';
import { answerWithHealthyTiers } from '../core/serving-tier.ts';
import { completeHealth, healthyTierIds, type TierHealth } from '../core/tier-health.ts';
import { formatValidationError, type ValidationError } from '../core/validation-error.ts';
import { announcement, type Announced } from './announce-changes.ts';
import { inSyncStatus } from './in-sync-status.ts';

/** Everything reconcile read about one chain before deciding anything. */
export interface ChainSeen {
  name: string;
  /** Status as read (a new one when the chain was never known); `known` says which. */
  status: ChainStatus;
  known: boolean;
  row: RowSeen;
  /** Route 53's records that may be the chain's (none read unless the row is valid). */
  observed: readonly ResourceRecordSet[];
  /** The zone a stream REMOVE or zone move named. */
  zoneHint: string | undefined;
  owner: string;
  at: string;
}

/** The row as validation left it. */
export type RowSeen =
  | { kind: 'absent' }
  | { kind: 'invalid'; errors: readonly ValidationError[] }
  | { kind: 'valid'; chain: Chain };

/** What reconcile does with one chain. */
export type ChainDecision =
  | { kind: 'absent' }
  | { kind: 'teardown' }
  | { kind: 'stop'; state: 'INVALID' | 'CONFLICT'; messages: string[]; alert: Alert }
  | ({ kind: 'build' } & Build);

/** A valid chain to build: what the plan depends on, besides the health checks' ids. */
export interface Build {
  chain: Chain;
  held: string[];
  health: Record<string, TierHealth>;
  controls: Controls;
  controlChanges: string[];
  /** The record changes as if every check existed: what the quota gate counts before any is made. */
  preview: RecordChange[];
}

/**
 * The pure decision of one reconcile: tear down a removed row, stop on an invalid row, an unsafe
 * drain or a record owned by someone else (nothing live changes), or build. Conflicts do not
 * depend on health check ids, so they are found before anything is created.
 */
export function decideChain(seen: ChainSeen): ChainDecision {
  const { name, status, row, at } = seen;
  if (row.kind === 'absent') {
    return !seen.known && seen.zoneHint === undefined ? { kind: 'absent' } : { kind: 'teardown' };
  }
  if (row.kind === 'invalid') return invalid(name, row.errors, at);
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

  const planned = planChain(chain, { owner: seen.owner, held }).records;
  const preview = diffRecords(planned, seen.observed, diffContext(chain, seen.owner));
  if (preview.conflicts.length > 0) {
    const messages = preview.conflicts.map((c) => `${c.name} ${c.type}: ${c.reason}`);
    return { kind: 'stop', state: 'CONFLICT', messages, alert: conflictAlert(name, preview.conflicts, at) };
  }
  return { kind: 'build', chain, held, health, controls, controlChanges, preview: preview.changes };
}

function invalid(name: string, errors: readonly ValidationError[], at: string): ChainDecision {
  const messages = errors.map(formatValidationError);
  return { kind: 'stop', state: 'INVALID', messages, alert: chainInvalidAlert(name, messages, at) };
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

/**
 * The chain's status once its records, alarms and checks are applied, and what to announce: an
 * operator's control change, or an edit that moved traffic. `leftIn` explains records left in a
 * zone this deployment may no longer change.
 */
export function decideInSync(
  build: Build,
  current: ChainStatus,
  before: Pick<ChainStatus, 'applied' | 'servingTier'> | undefined,
  records: readonly ResourceRecordSet[],
  extra: { owner: string; at: string; leftIn?: string },
): { status: ChainStatus; announce: Announced | undefined } {
  const { chain, held, health, controls, controlChanges } = build;
  // What Route 53 serves with the records just written, from the last health seen.
  const serving = answerWithHealthyTiers(chain, healthyTierIds(health), extra.owner, held).tier?.id;
  const warnings = controlWarnings(chain, health);
  if (extra.leftIn) warnings.push(extra.leftIn);
  return {
    status: inSyncStatus(current, { chain, records, controls, held, serving, warnings }),
    announce: announcement({
      chain,
      before: before?.applied,
      from: before?.servingTier,
      serving,
      controlChanges,
      warnings,
      at: extra.at,
    }),
  };
}
