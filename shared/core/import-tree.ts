import { CHAIN_LIMITS } from './chain.ts';
import { isWithinZone, toFqdn } from './dns-name.ts';
import type { ResourceRecordSet } from './route53-types.ts';
import { parseSetIdentifier } from './set-identifier.ts';

// Reads a failover tree built by hand: the failover pair at a name, and every pair its
// records lead to inside the zone (a CNAME to, or an alias of, another pair), to any depth.
// What a chain cannot represent is reported with the record keys, never guessed around.

/** A record set as ListResourceRecordSets returns it, with the routing fields a chain cannot hold. */
export type ListedRecord = ResourceRecordSet & {
  GeoLocation?: unknown;
  GeoProximityLocation?: unknown;
  CidrRoutingConfig?: unknown;
  MultiValueAnswer?: boolean;
};

/** One record of a pair and, when it leads to another failover pair in the zone, that pair. */
export interface TreeBranch {
  record: ListedRecord;
  next?: TreePair;
}

/** A failover pair at one name. */
export interface TreePair {
  name: string;
  type: string;
  primary: TreeBranch;
  secondary: TreeBranch;
}

/** Why a tree cannot be imported, with the keys of the records at fault. */
export interface ImportProblem {
  reason: string;
  records: string[];
}

/** A hosted zone and its records, as listed. */
export interface ZoneRecords {
  id: string;
  name: string;
  records: readonly ListedRecord[];
}

/** What to read: the zone, the name, and optionally other zones to look into for CNAME targets. */
export interface ReadTreeInput {
  zone: ZoneRecords;
  name: string;
  /** CNAME and A/AAAA trees can share a name; say which one when both are there. */
  type?: string;
  otherZones?: readonly ZoneRecords[];
}

/** The tree found (possibly partial) and what stops it from being imported. */
export interface ReadTreeResult {
  tree?: TreePair;
  problems: ImportProblem[];
}

/** `name type "set id"`: how problems and the tree name a record. */
export function describeRecordKey(
  record: Pick<ResourceRecordSet, 'Name' | 'Type' | 'SetIdentifier'>,
): string {
  const id = record.SetIdentifier === undefined ? '' : ` "${record.SetIdentifier}"`;
  return `${toFqdn(record.Name)} ${record.Type}${id}`;
}

/** Read the failover tree at `name`, following its records inside the zone. */
export function readTree(input: ReadTreeInput): ReadTreeResult {
  const problems: ImportProblem[] = [];
  const problem = (reason: string, records: readonly ResourceRecordSet[]) =>
    problems.push({ reason, records: records.map(describeRecordKey) });
  const byName = groupByName(input.zone.records);
  const name = toFqdn(input.name);
  const atName = byName.get(name) ?? [];
  const failoverTypes = [...new Set(atName.filter((r) => r.Failover).map((r) => r.Type))];
  const type = input.type ?? (failoverTypes.length === 1 ? failoverTypes[0] : undefined);
  if (type === undefined) {
    if (failoverTypes.length > 1)
      problem(`${name} has failover records of types ${failoverTypes.join(' and ')}; pass --type`, atName);
    else problem(`${name} holds no failover records in zone ${input.zone.name}`, atName);
    return { problems };
  }
  if (!['CNAME', 'A', 'AAAA'].includes(type)) {
    problem(`${name} is a ${type} tree; chains serve CNAME, A or AAAA`, atName);
    return { problems };
  }
  const visited = new Set<string>();

  const readPair = (pairName: string, depth: number): TreePair | undefined => {
    const group = (byName.get(pairName) ?? []).filter((r) => r.Type === type);
    visited.add(pairName);
    const policy = policyProblem(group);
    if (policy) problem(policy, group);
    const owned = group.filter((r) => parseSetIdentifier(r.SetIdentifier));
    if (owned.length > 0) {
      const owner = parseSetIdentifier(owned[0]!.SetIdentifier)!.owner;
      problem(
        `made by failover-chains (owner "${owner}"): it is already a chain, not a hand-made tree`,
        owned,
      );
    }
    if (policy || owned.length > 0) return undefined;
    const primary = group.find((r) => r.Failover === 'PRIMARY');
    const secondary = group.find((r) => r.Failover === 'SECONDARY');
    if (!primary || !secondary || group.length !== 2) {
      problem(`${pairName} ${type} is not a failover pair (one PRIMARY and one SECONDARY record)`, group);
      return undefined;
    }
    if (depth >= CHAIN_LIMITS.maxTiers - 1) {
      problem(`the tree is deeper than a chain of ${CHAIN_LIMITS.maxTiers} tiers`, group);
      return undefined;
    }
    return {
      name: pairName,
      type,
      primary: readBranch(primary, depth),
      secondary: readBranch(secondary, depth),
    };
  };

  const readBranch = (record: ListedRecord, depth: number): TreeBranch => {
    const target = inZoneTarget(record, input.zone);
    if (target === undefined) {
      checkOutside(record);
      return { record };
    }
    const there = byName.get(target) ?? [];
    const failover = there.filter((r) => r.Failover);
    const sameType = there.filter((r) => r.Type === type);
    if (failover.length === 0 && policyProblem(sameType) === undefined) {
      if (record.AliasTarget && sameType.length === 0)
        problem(`the alias target ${target} holds no ${type} record`, [record]);
      return { record };
    }
    if (visited.has(target)) {
      problem(`${target} is reached twice from this tree (a loop or a shared pair)`, [record]);
      return { record };
    }
    if (failover.some((r) => r.Type !== type)) {
      problem(`${target} holds failover records of another type than ${type}: a chain has one type`, [
        record,
        ...failover,
      ]);
      return { record };
    }
    const next = readPair(target, depth + 1);
    return next ? { record, next } : { record };
  };

  const checkOutside = (record: ListedRecord) => {
    const value = record.Type === 'CNAME' ? record.ResourceRecords?.[0]?.Value : undefined;
    if (value === undefined) return;
    for (const other of input.otherZones ?? []) {
      if (!isWithinZone(value, other.name)) continue;
      const held = other.records.filter((r) => toFqdn(r.Name) === toFqdn(value) && r.Failover);
      if (held.length > 0) {
        problem(
          `${toFqdn(value)} is a failover tree in another zone (${other.name}); import it there, or point at one of its tiers`,
          [record, ...held],
        );
      }
    }
  };

  const tree = readPair(name, 0);
  if (tree) sharedWithOtherTrees(tree, input.zone, problem);
  return tree ? { tree, problems } : { problems };
}

/** Every pair of the tree, top first. */
export function pairsOf(tree: TreePair): TreePair[] {
  return [tree, ...[tree.primary, tree.secondary].flatMap((b) => (b.next ? pairsOf(b.next) : []))];
}

/** Every record of the tree, top first: the keys its adoption list names. */
export function recordsOf(tree: TreePair): ListedRecord[] {
  return pairsOf(tree).flatMap((pair) => [pair.primary.record, pair.secondary.record]);
}

/** An intermediate pair reached from outside the tree would change for those records too. */
function sharedWithOtherTrees(
  tree: TreePair,
  zone: ZoneRecords,
  problem: (reason: string, records: readonly ResourceRecordSet[]) => void,
): void {
  const inTree = new Set(recordsOf(tree));
  const intermediate = new Set(
    pairsOf(tree)
      .slice(1)
      .map((pair) => pair.name),
  );
  for (const record of zone.records) {
    if (inTree.has(record)) continue;
    const target = inZoneTarget(record, zone);
    if (target !== undefined && intermediate.has(target)) {
      problem(`${target} is shared: ${describeRecordKey(record)} outside this tree also leads to it`, [
        record,
        ...recordsOf(tree).filter((r) => toFqdn(r.Name) === target),
      ]);
    }
  }
}

/** The in-zone name a record leads to (a CNAME's value or an alias of the same zone), if any. */
function inZoneTarget(record: ResourceRecordSet, zone: ZoneRecords): string | undefined {
  if (record.AliasTarget) {
    const sameZone = record.AliasTarget.HostedZoneId.replace(/^\/hostedzone\//, '') === zone.id;
    return sameZone ? toFqdn(record.AliasTarget.DNSName) : undefined;
  }
  const value = record.Type === 'CNAME' ? record.ResourceRecords?.[0]?.Value : undefined;
  return value !== undefined && isWithinZone(value, zone.name) ? toFqdn(value) : undefined;
}

/** Routing policies a chain cannot express. */
function policyProblem(group: readonly ListedRecord[]): string | undefined {
  const policies = new Set<string>();
  for (const record of group) {
    if (record.Weight !== undefined) policies.add('weighted');
    if (record.Region !== undefined) policies.add('latency');
    if (record.GeoLocation !== undefined) policies.add('geolocation');
    if (record.GeoProximityLocation !== undefined) policies.add('geoproximity');
    if (record.CidrRoutingConfig !== undefined) policies.add('IP-based');
    if (record.MultiValueAnswer !== undefined) policies.add('multivalue answer');
  }
  if (policies.size === 0) return undefined;
  return `uses ${[...policies].join(', ')} routing, which a failover chain cannot represent`;
}

function groupByName(records: readonly ListedRecord[]): Map<string, ListedRecord[]> {
  const byName = new Map<string, ListedRecord[]>();
  for (const record of records) {
    const name = toFqdn(record.Name);
    byName.set(name, [...(byName.get(name) ?? []), record]);
  }
  return byName;
}
