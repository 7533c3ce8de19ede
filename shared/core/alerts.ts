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
  | 'FAILBACK_PENDING'
  | 'QUOTA_BLOCKED';

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

/** The versioned JSON document SQS, Lambda and HTTPS subscribers receive. */
export function alertDocument(alert: Alert): Record<string, unknown> {
  return {
    schema: ALERT_SCHEMA,
    event: alert.event,
    severity: alert.severity,
    chain: alert.chain,
    tier: alert.tier ?? null,
    at: alert.at,
    subject: alert.subject,
    ...alert.detail,
  };
}

/** SNS subjects are at most 100 characters: keep the end, which says what happened. */
export function subject(chain: string, what: string): string {
  const full = `${chain}: ${what}`;
  if (full.length <= 100) return full;
  const room = 100 - what.length - 3;
  return `${chain.slice(0, Math.max(room, 1))}…: ${what}`.slice(0, 100);
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
