import { adoptedKey } from './adopt-records.ts';
import type { AdoptedRecordKey, Chain } from './chain.ts';
import { levelName, normalizeName, toFqdn } from './dns-name.ts';
import type { RecordChange, ResourceRecordSet } from './route53-types.ts';
import { parseSetIdentifier } from './set-identifier.ts';

/** A desired record that cannot be written because someone else holds its name. */
export interface RecordConflict {
  name: string;
  type: string;
  setIdentifier?: string;
  reason: string;
}

/** A record at one of the chain's names that the diff left alone on purpose. */
export interface SkippedRecord {
  name: string;
  type: string;
  setIdentifier?: string;
  reason: string;
}

/** The plan for Route 53: changes to apply in one batch, or conflicts that forbid any. */
export interface RecordDiff {
  changes: RecordChange[];
  conflicts: RecordConflict[];
  skipped: SkippedRecord[];
}

/** Who is asking: the deployment's owner id and the chain whose records are diffed. */
export interface DiffContext {
  owner: string;
  chainName: string;
  /** Hand-made records the chain may replace while it has no records of its own (`chains import`). */
  adopt?: readonly AdoptedRecordKey[];
}

/** The diff context of a chain: its owner, name and adoption list. */
export function diffContext(chain: Chain, owner: string): DiffContext {
  return { owner, chainName: chain.name, adopt: chain.adopt ?? [] };
}

/** Identity of a record set in Route 53: name, type and set identifier. */
export function recordKey(record: Pick<ResourceRecordSet, 'Name' | 'Type' | 'SetIdentifier'>): string {
  return `${toFqdn(record.Name)}|${record.Type}|${record.SetIdentifier ?? ''}`;
}

/** True when the record was made by this deployment for this chain (provable from Route 53 alone). */
export function isOwnedByChain(record: ResourceRecordSet, context: DiffContext): boolean {
  const parts = parseSetIdentifier(record.SetIdentifier);
  return (
    parts !== undefined &&
    parts.owner === context.owner &&
    normalizeName(record.Name) === levelName(context.chainName, parts.level)
  );
}

/**
 * The smallest change list that turns `observed` into `desired`, touching only records this
 * chain owns, or adopts. A role change is DELETE + CREATE (Route 53 refuses such an UPSERT).
 * Deletes come first (adopted records in the list's order, top of the old tree first, so no
 * alias is left pointing at a deleted name), then writes from the deepest level up, so alias
 * targets exist before the records that point to them. Any conflict empties the change list:
 * nothing is half-done.
 */
export function diffRecords(
  desired: readonly ResourceRecordSet[],
  observed: readonly ResourceRecordSet[],
  context: DiffContext,
): RecordDiff {
  const wanted = new Map(desired.map((record) => [recordKey(record), record]));
  const typesByName = new Map<string, Set<string>>();
  for (const record of desired) {
    const name = toFqdn(record.Name);
    typesByName.set(name, (typesByName.get(name) ?? new Set()).add(record.Type));
  }

  const deletes: RecordChange[] = [];
  const writes: RecordChange[] = [];
  const conflicts: RecordConflict[] = [];
  const skipped: SkippedRecord[] = [];
  const seen = new Set<string>();
  const adoptable = adoptableKeys(observed, context);
  const adopted: { order: number; change: RecordChange }[] = [];

  for (const record of observed) {
    const key = recordKey(record);
    const order = adoptable.get(key);
    if (order !== undefined) {
      adopted.push({ order, change: { Action: 'DELETE', ResourceRecordSet: record } });
      continue;
    }
    if (isOwnedByChain(record, context)) {
      const target = wanted.get(key);
      seen.add(key);
      if (!target) deletes.push({ Action: 'DELETE', ResourceRecordSet: record });
      else if (sameRecord(record, target)) continue;
      else if (record.Failover === target.Failover)
        writes.push({ Action: 'UPSERT', ResourceRecordSet: target });
      else {
        deletes.push({ Action: 'DELETE', ResourceRecordSet: record });
        writes.push({ Action: 'CREATE', ResourceRecordSet: target });
      }
      continue;
    }
    const types = typesByName.get(toFqdn(record.Name));
    if (!types) continue;
    const item = {
      name: toFqdn(record.Name),
      type: record.Type,
      ...(record.SetIdentifier === undefined ? {} : { setIdentifier: record.SetIdentifier }),
    };
    const clash = types.has(record.Type) || types.has('CNAME') || record.Type === 'CNAME';
    if (clash) conflicts.push({ ...item, reason: ownerDescription(record, context) });
    else skipped.push({ ...item, reason: 'another record type at a chain name; left as it is' });
  }

  for (const [key, record] of wanted) {
    if (!seen.has(key)) writes.push({ Action: 'CREATE', ResourceRecordSet: record });
  }
  if (conflicts.length > 0) return { changes: [], conflicts, skipped };
  writes.sort((a, b) => depth(b.ResourceRecordSet, context) - depth(a.ResourceRecordSet, context));
  adopted.sort((a, b) => a.order - b.order);
  return { changes: [...adopted.map((a) => a.change), ...deletes, ...writes], conflicts, skipped };
}

/**
 * Keys of the adoption list, in its order, while the adoption is open: the chain has no
 * record of its own in `observed` yet. Afterwards the list is spent and matches nothing.
 */
function adoptableKeys(observed: readonly ResourceRecordSet[], context: DiffContext): Map<string, number> {
  const adopt = context.adopt ?? [];
  if (adopt.length === 0 || observed.some((record) => isOwnedByChain(record, context))) return new Map();
  return new Map(adopt.map((key, index) => [adoptedKey(key), index]));
}

function ownerDescription(record: ResourceRecordSet, context: DiffContext): string {
  const parts = parseSetIdentifier(record.SetIdentifier);
  if (!parts) return 'held by a record failover-chains did not make; it is left untouched';
  if (parts.owner !== context.owner) return `held by failover-chains deployment "${parts.owner}"`;
  return 'held by another chain of this deployment';
}

function depth(record: ResourceRecordSet, context: DiffContext): number {
  const parts = parseSetIdentifier(record.SetIdentifier);
  return parts && isOwnedByChain(record, context) ? parts.level : 0;
}

/** Compare two record sets the way Route 53 stores them (case, trailing dots, value order). */
function sameRecord(a: ResourceRecordSet, b: ResourceRecordSet): boolean {
  return canonicalRecord(a) === canonicalRecord(b);
}

function canonicalRecord(record: ResourceRecordSet): string {
  const values = (record.ResourceRecords ?? [])
    .map((r) => (record.Type === 'CNAME' ? toFqdn(r.Value) : r.Value.toLowerCase()))
    .sort();
  return JSON.stringify([
    toFqdn(record.Name),
    record.Type,
    record.SetIdentifier ?? null,
    record.Failover ?? null,
    record.AliasTarget ? null : (record.TTL ?? null),
    values,
    record.AliasTarget
      ? [
          record.AliasTarget.HostedZoneId,
          toFqdn(record.AliasTarget.DNSName),
          record.AliasTarget.EvaluateTargetHealth,
        ]
      : null,
    record.HealthCheckId ?? null,
  ]);
}
