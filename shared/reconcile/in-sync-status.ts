import { fingerprint, type ChainStatus } from '../core/chain-status.ts';
import type { Chain } from '../core/chain.ts';
import type { Controls } from '../core/control-alerts.ts';
import { recordKey } from '../core/diff-records.ts';
import type { ResourceRecordSet } from '../core/route53-types.ts';

/** What a reconcile that brought a chain in sync applied and worked out. */
export interface Applied {
  chain: Chain;
  records: readonly ResourceRecordSet[];
  controls: Controls;
  held: readonly string[];
  /** The health check each tier's records and alarm use, by tier id. */
  checks: Readonly<Record<string, string>>;
  warnings: readonly string[];
}

/**
 * The status of a chain whose records, checks and alarms now match its row: the state, what was
 * applied, and no problem, lease or leftover of an earlier state. What serves is worked out from
 * it next (decide-serving.ts). Pure: the same inputs always give the same status. A failing tier
 * whose records keep its old check until the new one has a verdict (`keptChecks`) is a row not
 * wholly applied yet: the chain is PENDING, not IN_SYNC.
 */
export function inSyncStatus(current: Readonly<ChainStatus>, applied: Applied): ChainStatus {
  const {
    alertedProblem: _problem,
    lease: _lease,
    heldTiers: _held,
    warnings: _warnings,
    failedBack: _failedBack,
    ...kept
  } = current;
  const { chain } = applied;
  return {
    ...kept,
    state: kept.keptChecks === undefined ? 'IN_SYNC' : 'PENDING',
    errors: [],
    specFingerprint: fingerprint(chain),
    hostedZoneId: chain.hostedZoneId,
    records: applied.records.map(recordKey),
    tiers: chain.tiers.map((tier) => tier.id),
    applied: chain,
    built: { held: [...applied.held], checks: { ...applied.checks } },
    controls: applied.controls,
    ...(applied.held.length > 0 ? { heldTiers: [...applied.held] } : {}),
    ...(applied.warnings.length > 0 ? { warnings: [...applied.warnings] } : {}),
  };
}
