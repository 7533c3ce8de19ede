import { alertSubject } from './alert-subject.ts';
import { fingerprint } from './fingerprint.ts';
import type { RecordConflict } from './diff-records.ts';

/** Every kind of alert the system publishes; subscribers filter on it. */
export type AlertEvent =
  | 'TIER_CHANGED'
  | 'ALL_TIERS_DOWN'
  | 'RECOVERED'
  | 'FLAPPING'
  | 'SETTLED'
  | 'CHAIN_INVALID'
  | 'CONFLICT'
  | 'RECONCILE_FAILED'
  | 'CONTROL_CHANGED'
  | 'EDIT_MOVED_TRAFFIC'
  | 'FAILBACK_PENDING'
  | 'QUOTA_BLOCKED'
  | 'ALERTS_DROPPED';

export type Severity = 'info' | 'warning' | 'critical';

/** Version of the JSON document machine subscribers receive; bump on breaking changes. */
export const ALERT_SCHEMA = 'failover-chains.alert/v1';

/** One alert: a subject and text for people, a JSON document for programs. */
export interface Alert {
  event: AlertEvent;
  severity: Severity;
  chain: string;
  tier?: string;
  subject: string;
  text: string;
  at: string;
  detail: Record<string, unknown>;
}

/**
 * A stable id for one alert, derived from what it says (not when it was sent): every copy of the
 * same alert, a redelivery included, carries the same id, so a subscriber can drop repeats by id.
 */
export function alertId(alert: Alert): string {
  return fingerprint({
    schema: ALERT_SCHEMA,
    event: alert.event,
    chain: alert.chain,
    tier: alert.tier ?? null,
    at: alert.at,
    detail: alert.detail,
  });
}

/** The versioned JSON document SQS, Lambda and HTTP subscribers receive, with the alert's id. */
export function alertDocument(alert: Alert, id: string = alertId(alert)): Record<string, unknown> {
  return {
    schema: ALERT_SCHEMA,
    id,
    event: alert.event,
    severity: alert.severity,
    chain: alert.chain,
    tier: alert.tier ?? null,
    at: alert.at,
    subject: alert.subject,
    ...alert.detail,
  };
}

/** `<chain>: <what happened>` within SNS's subject rules (printable ASCII, under 100 characters). */
export function subject(chain: string, what: string): string {
  return alertSubject(chain, what);
}

/** A row was rejected; nothing live changed. */
export function chainInvalidAlert(chain: string, errors: readonly string[], at: string): Alert {
  return {
    event: 'CHAIN_INVALID',
    severity: 'warning',
    chain,
    subject: subject(chain, 'chain row rejected'),
    text: [
      `Chain ${chain}: its row was rejected, so nothing live was changed.`,
      'Route 53 keeps serving what it served before the edit.',
      '',
      ...errors.map((error) => `- ${error}`),
      '',
      `When: ${at}`,
      'What to check: fix the row (`chains validate FILE` shows every error), then save it again.',
    ].join('\n'),
    at,
    detail: { errors },
  };
}

/** A name the chain needs is held by a record the system does not own. */
export function conflictAlert(chain: string, conflicts: readonly RecordConflict[], at: string): Alert {
  return {
    event: 'CONFLICT',
    severity: 'warning',
    chain,
    subject: subject(chain, 'name held by another record'),
    text: [
      `Chain ${chain} was not applied: records it needs are held by records it did not make.`,
      'Nothing was changed; those records are left exactly as they are.',
      '',
      ...conflicts.map(
        (c) => `- ${c.name} ${c.type}${c.setIdentifier ? ` (${c.setIdentifier})` : ''}: ${c.reason}`,
      ),
      '',
      `When: ${at}`,
      'What to check: remove or rename the other records, or give the chain another name.',
    ].join('\n'),
    at,
    detail: { conflicts },
  };
}

/** Reconcile failed part way; it will be retried and finishes what it started. */
export function reconcileFailedAlert(chain: string, error: string, at: string): Alert {
  return {
    event: 'RECONCILE_FAILED',
    severity: 'critical',
    chain,
    subject: subject(chain, 'reconcile failed'),
    text: [
      `Chain ${chain} could not be reconciled: ${error}`,
      'Route 53 keeps serving its current records; the reconcile is retried and finishes what it started.',
      '',
      `When: ${at}`,
      'What to check: the error above, the Lambda logs, and `chains status` for this chain.',
    ].join('\n'),
    at,
    detail: { error },
  };
}
