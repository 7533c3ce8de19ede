import type { Chain } from '../core/chain.ts';
import type { ManagedCheckStatus } from '../core/chain-status.ts';
import { alarmName } from '../core/plan-alarms.ts';
import { HEALTH_CHECK_TAGS } from '../core/plan-health-checks.ts';
import { tierOfRecord } from '../core/plan-records.ts';
import type { ResourceRecordSet } from '../core/route53-types.ts';
import { sharedTagFingerprint } from '../core/shared-checks.ts';
import type { ObservedHealthCheck, ReconcileDeps } from '../ports.ts';

/** What status forgot about one tier, proven from Route 53's tags. */
export interface AdoptedTier {
  /** The check the tier's records use (else the one its alarm watches): the tier's check from now on. */
  adopted?: { status: ManagedCheckStatus; check: ObservedHealthCheck };
  /** Other checks of the chain's own that the tier's records or alarm point at: to retire. */
  ownExtra: string[];
  /** Other shared checks (fingerprints) the tier's records use, or the registry says it uses: to leave. */
  sharedExtra: string[];
}

/**
 * Status does not know these tiers' checks (a lost status write, or a status table restored from
 * backup): find the checks the chain's records and alarms point at, and adopt those whose tags
 * prove they are this deployment's, the chain's own or a shared one; and, with `askRegistry`,
 * the shared checks the registry lists the chain's tiers among the users of (a read of every
 * user). So a check is neither duplicated nor left behind, whichever way the tier goes next
 * (own, shared, or another shared), and a tier that no longer has a check of ours leaves them.
 */
export async function adoptChecks(
  chain: Chain,
  tierIds: readonly string[],
  observedRecords: readonly ResourceRecordSet[],
  deps: ReconcileDeps,
  askRegistry: boolean,
): Promise<Map<string, AdoptedTier>> {
  const { owner } = deps.settings;
  const adopted = new Map<string, AdoptedTier>();
  if (tierIds.length === 0 && !askRegistry) return adopted;
  const names = new Map(tierIds.map((tierId) => [tierId, alarmName(owner, chain.name, tierId)]));
  const alarms = await deps.alarms.describe([...names.values()]);
  // The registry too, when asked: a shared check's alarm names no chain, and the last tier's
  // check is on no record, so only the registry knows those uses.
  const uses =
    deps.sharedChecks && askRegistry
      ? await deps.sharedChecks.usesOf(chain.name)
      : new Map<string, string[]>();
  for (const tierId of tierIds) {
    // Records first: the check they use is the one Route 53 answers with.
    const candidates = new Set<string>();
    for (const record of observedRecords) {
      if (record.HealthCheckId && tierOfRecord(chain, record)?.id === tierId)
        candidates.add(record.HealthCheckId);
    }
    const fromAlarm = alarms.get(names.get(tierId)!)?.Dimensions?.[0]?.Value;
    if (fromAlarm) candidates.add(fromAlarm);
    const found: AdoptedTier = { ownExtra: [], sharedExtra: [] };
    for (const id of candidates) {
      // A failed read fails the reconcile: creating a new check instead would start it healthy
      // and could move traffic back to a failing tier.
      const tags = (await deps.route53.getHealthCheckTags(id)) ?? {};
      const own =
        tags[HEALTH_CHECK_TAGS.owner] === owner &&
        tags[HEALTH_CHECK_TAGS.chain] === chain.name &&
        tags[HEALTH_CHECK_TAGS.tier] === tierId;
      const shared = sharedTagFingerprint(owner, tags);
      if (!own && shared === undefined) continue;
      if (found.adopted) {
        if (own) found.ownExtra.push(id);
        else found.sharedExtra.push(shared!);
        continue;
      }
      const check = await deps.route53.getHealthCheck(id);
      if (check) {
        found.adopted = {
          check,
          status: { callerReference: check.callerReference, id, ...(own ? {} : { shared }) },
        };
      } else if (shared !== undefined) {
        // Deleted by hand: nothing to adopt, but the tier may still be among its users.
        found.sharedExtra.push(shared);
      }
    }
    for (const fp of uses.get(tierId) ?? []) {
      if (fp !== found.adopted?.status.shared && !found.sharedExtra.includes(fp)) found.sharedExtra.push(fp);
    }
    adopted.set(tierId, found);
  }
  // A tier that no longer has a check of ours (removed, or its check named by id) leaves them all.
  for (const [tierId, fps] of uses) {
    if (!tierIds.includes(tierId)) adopted.set(tierId, { ownExtra: [], sharedExtra: fps });
  }
  return adopted;
}
