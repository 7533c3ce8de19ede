import { adoptedKeyOf } from './adopt-records.ts';
import type { AdoptedRecordKey } from './chain.ts';
import { CHAIN_DEFAULTS } from './chain.ts';
import { normalizeName } from './dns-name.ts';
import { recordsOf, type ListedRecord, type TreeBranch, type TreePair } from './import-tree.ts';

// Turns a failover tree into the ordered tiers of one chain row: a pair serves its primary
// branch, then its secondary branch, so the tiers are the tree's leaves read depth first. This
// is only a candidate: import-chain proves it answers like the tree before offering it.

/** A tier as a row holds it. */
export interface RowTier {
  id: string;
  target:
    string | string[] | { alias: { dnsName: string; hostedZoneId: string; evaluateTargetHealth: boolean } };
  healthCheck?: { id: string } | Record<string, unknown>;
}

/** A chain row as `chains apply` takes it, with the adoption list. */
export interface ImportedRow {
  name: string;
  hostedZoneId: string;
  recordType: string;
  ttl: number;
  tiers: RowTier[];
  adopt: AdoptedRecordKey[];
}

/** The candidate row and what the flat chain leaves out (shown to the user). */
export interface FlatCandidate {
  row: ImportedRow;
  notes: string[];
}

/** The tree's leaves, in failover order. */
export function leavesOf(tree: TreePair): ListedRecord[] {
  const walk = (branch: TreeBranch): ListedRecord[] =>
    branch.next ? leavesOf(branch.next) : [branch.record];
  return [...walk(tree.primary), ...walk(tree.secondary)];
}

/** Flatten a tree into a candidate row for the zone `zoneId`. */
export function flattenTree(tree: TreePair, zoneId: string): FlatCandidate {
  const notes: string[] = [];
  const leaves = leavesOf(tree);
  const used = new Set<string>();
  const tiers = leaves.map((record, index): RowTier => {
    const id = uniqueId(tierIdFor(record, index), used);
    const tier: RowTier = { id, target: targetOf(record) };
    if (record.HealthCheckId !== undefined) tier.healthCheck = { id: record.HealthCheckId };
    return tier;
  });
  for (const record of recordsOf(tree)) {
    if (leaves.includes(record) || record.HealthCheckId === undefined) continue;
    notes.push(
      `${normalizeName(record.Name)} ${record.Failover ?? ''} has health check ${record.HealthCheckId} on a record that leads to another pair; a chain checks tiers, not levels`,
    );
  }
  const ttls = [...new Set(recordsOf(tree).flatMap((r) => (r.TTL === undefined ? [] : [r.TTL])))];
  const ttl = tree.primary.record.TTL ?? ttls[0] ?? CHAIN_DEFAULTS.ttl;
  if (ttls.length > 1)
    notes.push(`the tree's records have TTLs ${ttls.join(', ')}; the chain uses ${ttl} for all`);
  return {
    row: {
      name: normalizeName(tree.name),
      hostedZoneId: zoneId,
      recordType: tree.type,
      ttl,
      tiers,
      adopt: recordsOf(tree).map(adoptedKeyOf),
    },
    notes,
  };
}

function targetOf(record: ListedRecord): RowTier['target'] {
  if (record.AliasTarget) {
    return {
      alias: {
        dnsName: normalizeName(record.AliasTarget.DNSName),
        hostedZoneId: record.AliasTarget.HostedZoneId.replace(/^\/hostedzone\//, ''),
        evaluateTargetHealth: record.AliasTarget.EvaluateTargetHealth,
      },
    };
  }
  const values = (record.ResourceRecords ?? []).map((r) => r.Value);
  if (record.Type === 'CNAME') return normalizeName(values[0] ?? '');
  return values.length === 1 ? values[0]! : values;
}

/** A readable tier id: a CNAME target's first label, else the record's set identifier. */
function tierIdFor(record: ListedRecord, index: number): string {
  const source =
    record.Type === 'CNAME' && !record.AliasTarget
      ? normalizeName(record.ResourceRecords?.[0]?.Value ?? '').split('.')[0]!
      : (record.SetIdentifier ?? '');
  const id = source
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 28)
    .replace(/-+$/, '');
  return id.length > 0 ? id : `tier${index + 1}`;
}

function uniqueId(base: string, used: Set<string>): string {
  let id = base;
  for (let n = 2; used.has(id); n++) id = `${base}-${n}`;
  used.add(id);
  return id;
}
