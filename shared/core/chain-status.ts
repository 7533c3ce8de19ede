import type { Alert } from './alerts.ts';
import type { Chain } from './chain.ts';
import type { CheckHealth, TierHealth } from './tier-health.ts';

import { stableJson } from './fingerprint.ts';

export { fingerprint } from './fingerprint.ts';

/**
 * Where a chain stands after its last reconcile; PENDING until its records first exist, BLOCKED
 * while an AWS quota has no room for what it needs.
 */
export type ChainState = 'PENDING' | 'IN_SYNC' | 'INVALID' | 'CONFLICT' | 'ERROR' | 'DELETED' | 'BLOCKED';

/** A reconcile about to change AWS holds its chain until it is done, or until `until` passes. */
export interface ChainLease {
  holder: string;
  until: string;
}

/** A managed health check: the reference is recorded before CreateHealthCheck is called. */
export interface ManagedCheckStatus {
  callerReference: string;
  id?: string;
  /** A shared check's fingerprint: the chain is one of its users (see shared-checks.ts), never its owner. */
  shared?: string;
}

/** One entry of a chain's history: a flip Route 53 made, or an operator's action. */
export interface HistoryEntry {
  chain: string;
  at: string;
  event: string;
  from: string;
  to: string;
  failed: string[];
  recovered: string[];
  /** Who made the change (the row's `changedBy`), for operator actions. */
  by?: string;
  /** What an operator changed, in words (drained x, pinned to y, failed back z). */
  changes?: string[];
  /** `to` is a tier whose health this system cannot see (see TierHealth `unobserved`). */
  toUnobserved?: boolean;
}

/**
 * An alert and/or history entry recorded in the same conditional write as the status change
 * that caused it, and removed once delivered: a crash or an SNS error never loses it.
 */
export interface OutboxEntry {
  /** Stable: derived from the content, so a redelivered copy carries the same id. */
  id: string;
  recordedAt: string;
  alert?: Alert;
  history?: HistoryEntry;
  /**
   * Set once its writer gave up on it (it is the sweep's then): when the sweep tries it next.
   * Absent, its writer may still be delivering it until OUTBOX_SWEEP_AFTER_MS after `recordedAt`.
   */
  dueAt?: string;
  /** Deliveries that failed so far: the next waits longer (retryDelayMs). */
  attempts?: number;
  /** A sweep is delivering it until then (see outbox.ts); no other sweep takes it meanwhile. */
  claimedUntil?: string;
}

/** What the system last applied and saw for one chain; kept apart from the user's row. */
export interface ChainStatus {
  name: string;
  /** Bumped on every write; writes are conditional on it, so concurrent reconciles cannot overwrite each other. */
  revision: number;
  state: ChainState;
  specFingerprint?: string;
  hostedZoneId?: string;
  /**
   * Every zone where the chain may have records: written before a batch writes there, dropped
   * once a batch has cleared it, so a delete always knows where to look.
   */
  zoneIds?: string[];
  lease?: ChainLease;
  /** A random mark of the writer of this revision (see StatusDraft: lost replies). */
  writtenBy?: string;
  errors: string[];
  /** Fingerprint of the last problem alerted, so one problem is alerted once. */
  alertedProblem?: string;
  /** Managed health checks by tier id. */
  healthChecks: Record<string, ManagedCheckStatus>;
  /** Replaced or unwanted checks, deleted once no record uses them. */
  retiredHealthChecks: string[];
  /** Shared checks (`<fingerprint>/<tier>`) this chain still uses as a user, to leave once no record of it does. */
  leavingShared?: string[];
  /**
   * Failing tiers whose records keep their old check (by tier id: its id) until their new check,
   * in `healthChecks`, has a verdict: Route 53 counts a new check healthy until it has data.
   */
  keptChecks?: Record<string, string>;
  /** Alarm names by tier id. */
  alarms: Record<string, string>;
  /** Keys (name|type|set id) of the records the chain owns. */
  records: string[];
  /** Tier ids in failover order, as last applied. */
  tiers?: string[];
  /** The chain as last applied: what Route 53 answers from, even while the row is invalid. */
  applied?: Chain;
  /**
   * The rest of what the records were last built from (with `applied`): the tiers held out of
   * them, and the health check each tier uses, by tier id. `heldTiers` may be ahead of `held`
   * until the next build takes a newly held tier out of the records.
   */
  built?: { held: string[]; checks: Record<string, string> };
  /**
   * The tier Route 53 serves: derived from the records as built and the health of every check
   * they use (shared/serving/decide-serving.ts), after every build, alarm and full run.
   */
  servingTier?: string;
  /** Each tier's health, from the health of the check it uses. */
  tierHealth?: Record<string, TierHealth>;
  /** Health last seen of each check the records use, by check id (a check never seen is healthy). */
  checkHealth?: Record<string, CheckHealth>;
  /** Every checked tier is down and the last tier is served blind. */
  allDown?: boolean;
  /** Newest alarm state change the serving tier was worked out from; older events never overwrite it. */
  healthObservedAt?: string;
  /** Recent flips and, while flapping, when it started (see flap-guard.ts). */
  flips?: string[];
  flappingSince?: string;
  /** Manual failback: tiers held out of the chain after traffic left them, until `chains failback`. */
  heldTiers?: string[];
  /** `chains failback` released these tiers; the build that returns them to the records announces it. */
  failedBack?: { tiers: string[]; by?: string; at: string };
  /** The operator controls last applied, to tell when they change. */
  controls?: { drain: string[]; pin?: string; failback: string };
  /** Things an operator should know, such as a pin that ignores health checks. */
  warnings?: string[];
  /** Alerts and history not yet delivered, by entry id (see shared/reconcile/outbox.ts). */
  outbox?: Record<string, OutboxEntry>;
  updatedAt: string;
}

/** The status of a chain the system has never seen. */
export function newStatus(name: string, at: string): ChainStatus {
  return {
    name,
    revision: 0,
    state: 'PENDING',
    errors: [],
    healthChecks: {},
    retiredHealthChecks: [],
    alarms: {},
    records: [],
    updatedAt: at,
  };
}

/** True when two statuses differ in anything but bookkeeping (revision, time, writer). */
export function statusChanged(a: ChainStatus, b: ChainStatus): boolean {
  const strip = ({ revision: _r, updatedAt: _u, writtenBy: _w, ...rest }: ChainStatus) => rest;
  return stableJson(strip(a)) !== stableJson(strip(b));
}
