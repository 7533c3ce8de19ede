import type { Chain } from '../core/chain.ts';
import { isOwnedByChain } from '../core/diff-records.ts';
import type { ResourceRecordSet } from '../core/route53-types.ts';
import type { ReconcileDeps } from '../ports.ts';
import type { StatusDraft } from './status-draft.ts';

/** Every zone where the chain may have records: write-ahead `zoneIds`, the last zone, and a trigger's hint. */
export function zonesOf(status: StatusDraft, zoneHint?: string): string[] {
  const { zoneIds, hostedZoneId } = status.draft;
  return [...new Set([...(zoneIds ?? []), hostedZoneId, zoneHint])].filter(
    (zone): zone is string => zone !== undefined,
  );
}

/** False for a zone this deployment's settings no longer list (IAM would refuse the change). */
export function mayChange(zoneId: string, deps: ReconcileDeps): boolean {
  const allowed = deps.settings.allowedHostedZoneIds;
  return allowed.length === 0 || allowed.includes(zoneId);
}

/** The chain's own records in a zone, found by their set identifiers (none if the zone is gone). */
export async function ownedRecords(
  zoneId: string,
  chainName: string,
  deps: ReconcileDeps,
): Promise<ResourceRecordSet[]> {
  if (!(await deps.route53.getZone(zoneId))) return [];
  const context = { owner: deps.settings.owner, chainName };
  return (await deps.route53.listRecordsUnder(zoneId, chainName)).filter((r) => isOwnedByChain(r, context));
}

/** Why records were left in zones this deployment may no longer change, and what to do. */
export function outOfScope(zones: readonly string[], deps: ReconcileDeps): string {
  return (
    `records of this chain may remain in ${zones.join(', ')}, which this deployment may no longer change ` +
    `(allowed: ${deps.settings.allowedHostedZoneIds.join(', ')}): add the zone back to hostedZoneIds, or delete those records by hand`
  );
}

/**
 * A chain moved to another hosted zone: remove its records from every other zone it may have
 * written to. Returns the zones this deployment may no longer change (their records stay).
 */
export async function leaveOldZones(
  chain: Chain,
  status: StatusDraft,
  deps: ReconcileDeps,
  zoneHint: string | undefined,
): Promise<string[]> {
  const others = zonesOf(status, zoneHint).filter((zone) => zone !== chain.hostedZoneId);
  const leftIn: string[] = [];
  for (const zoneId of others) {
    if (!mayChange(zoneId, deps)) {
      leftIn.push(zoneId);
      continue;
    }
    const owned = await ownedRecords(zoneId, chain.name, deps);
    if (owned.length > 0) {
      await deps.route53.changeRecords(
        zoneId,
        owned.map((record) => ({ Action: 'DELETE', ResourceRecordSet: record })),
        `failover-chains: ${chain.name} moved to ${chain.hostedZoneId}`,
      );
    }
  }
  status.draft.zoneIds = [chain.hostedZoneId, ...leftIn];
  return leftIn;
}
