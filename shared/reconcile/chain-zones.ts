import type { Chain } from '../core/chain.ts';
import { isOwnedByChain } from '../core/diff-records.ts';
import type { ReconcileDeps } from '../ports.ts';
import type { StatusDraft } from './status-draft.ts';

/** Every zone status says the chain may have records in (write-ahead `zoneIds` and the last zone). */
export function zonesOf(status: StatusDraft): string[] {
  const { zoneIds, hostedZoneId } = status.draft;
  return [...new Set([...(zoneIds ?? []), ...(hostedZoneId ? [hostedZoneId] : [])])];
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
  const context = { owner: deps.settings.owner, chainName: chain.name };
  const allowed = deps.settings.allowedHostedZoneIds;
  const others = [...new Set([...zonesOf(status), ...(zoneHint ? [zoneHint] : [])])].filter(
    (zone) => zone !== chain.hostedZoneId,
  );
  const leftIn: string[] = [];
  for (const zoneId of others) {
    if (allowed.length > 0 && !allowed.includes(zoneId)) {
      leftIn.push(zoneId);
      continue;
    }
    const owned = (await deps.route53.getZone(zoneId))
      ? (await deps.route53.listRecordsUnder(zoneId, chain.name)).filter((r) => isOwnedByChain(r, context))
      : [];
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
