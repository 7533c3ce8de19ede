import { subject, type Alert } from './alerts.ts';
import type { Chain } from './chain.ts';
import type { ChainStatus } from './chain-status.ts';
import type { RecordChange } from './route53-types.ts';
import { sharedFingerprint, sharesCheck } from './shared-checks.ts';

// Route 53 caps what an account and a zone may hold: 200 active health checks per account and
// 10,000 records per hosted zone by default, both raised on request.
// https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/DNSLimitations.html#limits-api-entities
// CloudWatch documents "no limit on the total number of alarms per account", so alarms are not gated.
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch_limits.html

/** A quota and how much of it is used. */
export interface Quota {
  limit: number;
  used: number;
}

/** Where a quota increase is asked for (Route 53's quotas are managed in us-east-1). */
export const RAISE_QUOTA_URL =
  'https://console.aws.amazon.com/servicequotas/home?region=us-east-1#!/services/route53/quotas';

/** Records a change list adds to its zone: an UPSERT replaces a record, a role change deletes one and creates one. */
export function netNewRecords(changes: readonly RecordChange[]): number {
  let net = 0;
  for (const change of changes) net += change.Action === 'CREATE' ? 1 : change.Action === 'DELETE' ? -1 : 0;
  return net;
}

/**
 * Health checks of its own a chain will create: its managed tiers that status knows nothing of
 * (new tiers, or ones leaving a shared check). A saved reference without an id is not counted: its
 * check may exist already (Route 53 counts it then), and if not, CreateHealthCheck meets the quota.
 * A check replaced because its type or interval changed is not counted either, for the same reason.
 * With `sharing`, tiers that share a check are left to sharedChecksNeeded.
 */
export function healthChecksToCreate(
  chain: Chain,
  status: Pick<ChainStatus, 'healthChecks'>,
  sharing = false,
): number {
  return chain.tiers.filter((tier) => {
    if (tier.healthCheck?.kind !== 'managed' || sharesCheck(chain, tier, sharing)) return false;
    const known = status.healthChecks[tier.id];
    return known === undefined || known.shared !== undefined;
  }).length;
}

/** The fingerprints of the shared checks a chain is not yet a user of: each exists already or is to be created once. */
export function sharedChecksNeeded(chain: Chain, status: Pick<ChainStatus, 'healthChecks'>): string[] {
  const needed: string[] = [];
  for (const tier of chain.tiers) {
    if (tier.healthCheck?.kind !== 'managed' || !sharesCheck(chain, tier, true)) continue;
    const fp = sharedFingerprint(tier.healthCheck.config);
    if (status.healthChecks[tier.id]?.shared !== fp) needed.push(fp);
  }
  return [...new Set(needed)];
}

/** Why `needed` more would not fit in the account's health check quota; undefined when they fit. */
export function healthCheckQuotaProblem(quota: Quota, needed: number): string | undefined {
  if (needed <= 0 || quota.used + needed <= quota.limit) return undefined;
  return `health check quota ${quota.limit} reached (${quota.used} used, this chain needs ${needed} more), ask AWS for more`;
}

/** Why `needed` more records would not fit in the zone's quota; undefined when they fit. */
export function recordQuotaProblem(zoneId: string, quota: Quota, needed: number): string | undefined {
  if (needed <= 0 || quota.used + needed <= quota.limit) return undefined;
  return `record quota ${quota.limit} of zone ${zoneId} reached (${quota.used} used, this chain needs ${needed} more), ask AWS for more`;
}

/** A chain waits for a quota: nothing of it was created, and what it served before stays live. */
export function quotaBlockedAlert(chain: string, problem: string, at: string): Alert {
  return {
    event: 'QUOTA_BLOCKED',
    severity: 'warning',
    chain,
    subject: subject(chain, 'waiting for an AWS quota'),
    text: [
      `Chain ${chain} is BLOCKED: ${problem}.`,
      'Nothing of it was created; Route 53 keeps serving what it served before, and the other chains proceed.',
      'The next full run retries it, and it is built as soon as the quota has room.',
      '',
      `When: ${at}`,
      `What to do: ask AWS for a higher quota (${RAISE_QUOTA_URL}), or remove chains you no longer need.`,
    ].join('\n'),
    at,
    detail: { problem },
  };
}
