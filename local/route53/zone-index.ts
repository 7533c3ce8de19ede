import type { ResourceRecordSet } from '@aws-sdk/client-route-53';
import { toFqdn } from '../../shared/core/dns-name.ts';
import { zoneIdOf } from './zone-id.ts';
import { listKey, lowerBound } from './record-order.ts';

/** A record set's identity in a zone: name, type and set identifier. */
export function keyOf(record: ResourceRecordSet): string {
  return `${record.Name ?? ''}|${record.Type ?? ''}|${record.SetIdentifier ?? ''}`;
}

/** What a change batch's rules read of a zone: the records at a name, and the aliases into it. */
export interface ZoneView {
  /** Record sets at `name`. */
  at(name: string): readonly ResourceRecordSet[];
  /** Alias record sets of this zone whose target is `name`. */
  aliasesTo(name: string): readonly ResourceRecordSet[];
}

/**
 * A zone's records kept in list order and indexed by key, by name and by alias target, updated
 * batch by batch, so a batch costs what it touches rather than what the zone holds (a 40,000
 * record zone is rebuilt only when a test swaps its array).
 */
export class ZoneIndex implements ZoneView {
  private readonly keys: string[] = [];
  private readonly byKey = new Map<string, ResourceRecordSet>();
  private readonly byName = new Map<string, ResourceRecordSet[]>();
  private readonly byTarget = new Map<string, ResourceRecordSet[]>();

  private constructor(
    private readonly zoneId: string,
    /** The zone's records in list order; the zone holds this very array. */
    readonly records: ResourceRecordSet[],
  ) {}

  /** Index records from scratch, sorting them once. */
  static of(zoneId: string, records: readonly ResourceRecordSet[]): ZoneIndex {
    const entries = records
      .map((record) => [listKey(record), record] as const)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const index = new ZoneIndex(
      zoneId,
      entries.map(([, record]) => record),
    );
    index.keys.push(...entries.map(([key]) => key));
    for (const record of records) index.link(record);
    return index;
  }

  /** Record sets in the zone. */
  get size(): number {
    return this.records.length;
  }

  /** The record set with this key, if any. */
  get(key: string): ResourceRecordSet | undefined {
    return this.byKey.get(key);
  }

  at(name: string): readonly ResourceRecordSet[] {
    return this.byName.get(name) ?? [];
  }

  aliasesTo(name: string): readonly ResourceRecordSet[] {
    return this.byTarget.get(name) ?? [];
  }

  /** First position in list order not before (name, type, set identifier). */
  positionOf(start: { Name: string; Type: string; SetIdentifier: string }): number {
    return lowerBound(this.keys, listKey(start));
  }

  /** Replace what is stored under each key (undefined deletes it). */
  apply(changes: ReadonlyMap<string, ResourceRecordSet | undefined>): void {
    for (const [key, after] of changes) {
      const before = this.byKey.get(key);
      if (before === after) continue;
      if (before) this.unlink(before);
      if (after) this.link(after);
      // Same key, same list key: a replacement keeps its place in the order.
      if (before && after) this.records[this.indexOf(before)] = after;
      else if (before) this.splice(this.indexOf(before), 0);
      else if (after) this.splice(lowerBound(this.keys, listKey(after)), 1, after);
    }
  }

  private indexOf(record: ResourceRecordSet): number {
    const key = listKey(record);
    for (let i = lowerBound(this.keys, key); i < this.keys.length && this.keys[i] === key; i++)
      if (this.records[i] === record) return i;
    throw new Error(`ZoneIndex: ${key} is not in list order`);
  }

  private splice(at: number, insert: 0 | 1, record?: ResourceRecordSet): void {
    if (insert === 0) {
      this.keys.splice(at, 1);
      this.records.splice(at, 1);
    } else {
      this.keys.splice(at, 0, listKey(record!));
      this.records.splice(at, 0, record!);
    }
  }

  private link(record: ResourceRecordSet): void {
    this.byKey.set(keyOf(record), record);
    push(this.byName, record.Name ?? '', record);
    const target = this.sameZoneTarget(record);
    if (target !== undefined) push(this.byTarget, target, record);
  }

  private unlink(record: ResourceRecordSet): void {
    this.byKey.delete(keyOf(record));
    pull(this.byName, record.Name ?? '', record);
    const target = this.sameZoneTarget(record);
    if (target !== undefined) pull(this.byTarget, target, record);
  }

  private sameZoneTarget(record: ResourceRecordSet): string | undefined {
    const alias = record.AliasTarget;
    if (!alias || zoneIdOf(alias.HostedZoneId) !== this.zoneId) return undefined;
    return toFqdn(alias.DNSName!);
  }
}

/**
 * The zone as a batch would leave it: `index` with `changes` laid over it, without copying the
 * zone. Records keep their order at a name; new ones follow. `aliasesTo` may include aliases
 * into other zones that the batch adds: the rules check the zone themselves.
 */
export function overlay(
  index: ZoneView,
  changes: ReadonlyMap<string, ResourceRecordSet | undefined>,
): ZoneView {
  const at = (name: string) => {
    const result: ResourceRecordSet[] = [];
    const seen = new Set<string>();
    for (const record of index.at(name)) {
      const key = keyOf(record);
      seen.add(key);
      const after = changes.has(key) ? changes.get(key) : record;
      if (after) result.push(after);
    }
    for (const [key, after] of changes) if (after?.Name === name && !seen.has(key)) result.push(after);
    return result;
  };
  return {
    at,
    aliasesTo: (name) => {
      const names = new Set(index.aliasesTo(name).map((r) => r.Name ?? ''));
      for (const after of changes.values()) if (after) names.add(after.Name ?? '');
      return [...names].flatMap((n) =>
        at(n).filter((r) => r.AliasTarget !== undefined && toFqdn(r.AliasTarget.DNSName!) === name),
      );
    },
  };
}

function push(map: Map<string, ResourceRecordSet[]>, key: string, record: ResourceRecordSet): void {
  const list = map.get(key);
  if (list) list.push(record);
  else map.set(key, [record]);
}

function pull(map: Map<string, ResourceRecordSet[]>, key: string, record: ResourceRecordSet): void {
  const list = (map.get(key) ?? []).filter((r) => r !== record);
  if (list.length > 0) map.set(key, list);
  else map.delete(key);
}
