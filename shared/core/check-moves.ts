import type { Chain } from './chain.ts';
import { recordKey } from './diff-records.ts';
import { toFqdn } from './dns-name.ts';
import { tierOfRecord } from './plan-records.ts';
import type { ResourceRecordSet } from './route53-types.ts';

// "Route 53 considers a new health check to be healthy until there's enough data to determine the
// actual status" (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-determining-health-of-endpoints.html).
// So a record that moves to another health check may change what Route 53 answers: these are the
// moves a plan would make, read from the records Route 53 holds now.

/** A managed tier whose record would use another health check than the one it uses in Route 53 now. */
export interface CheckMove {
  tierId: string;
  /** The check the record that sends traffic to the tier uses now. */
  from: string;
  /** The check the planned record gives it. */
  to: string;
}

/**
 * The managed tiers whose traffic would move to another health check with the `planned` records.
 * What a tier's traffic uses now is read from Route 53's records, not remembered: the record at
 * the planned record's key, or any PRIMARY record with the same target (a reordered chain, or a
 * tree made by hand that `chains import` adopts); else the check status last knew for the tier
 * (`known`), if a record still uses it (the tier's target changed in the same edit). Tiers with
 * no record (the last one, drained, held, pinned) move nothing.
 */
export function checkMoves(
  chain: Chain,
  planned: readonly ResourceRecordSet[],
  observed: readonly ResourceRecordSet[],
  held: readonly string[],
  known: Readonly<Record<string, string>>,
): CheckMove[] {
  const atKey = new Map(observed.map((record) => [recordKey(record), record]));
  const primaries = observed.filter((record) => record.Failover === 'PRIMARY');
  const used = new Set(observed.flatMap((record) => record.HealthCheckId ?? []));
  const moves: CheckMove[] = [];
  for (const record of planned) {
    if (record.Failover !== 'PRIMARY' || record.HealthCheckId === undefined) continue;
    const tier = tierOfRecord(chain, record, held);
    if (tier?.healthCheck?.kind !== 'managed') continue;
    const target = targetOf(record);
    const serving = [atKey.get(recordKey(record)), ...primaries].find(
      (candidate) => candidate?.HealthCheckId !== undefined && targetOf(candidate) === target,
    );
    const remembered = known[tier.id];
    const from =
      serving?.HealthCheckId ?? (remembered !== undefined && used.has(remembered) ? remembered : undefined);
    if (from !== undefined && from !== record.HealthCheckId)
      moves.push({ tierId: tier.id, from, to: record.HealthCheckId });
  }
  return moves;
}

/** Where a record sends traffic, compared the way Route 53 stores it (case, trailing dots, value order). */
function targetOf(record: ResourceRecordSet): string {
  const values = (record.ResourceRecords ?? [])
    .map((value) => (record.Type === 'CNAME' ? toFqdn(value.Value) : value.Value.toLowerCase()))
    .sort();
  const alias = record.AliasTarget
    ? [record.AliasTarget.HostedZoneId.replace(/^\/hostedzone\//, ''), toFqdn(record.AliasTarget.DNSName)]
    : null;
  return JSON.stringify([record.Type, values, alias]);
}
