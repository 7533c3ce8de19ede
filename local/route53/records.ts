import {
  InvalidChangeBatch,
  InvalidInput,
  NoSuchHostedZone,
  type ChangeResourceRecordSetsCommandInput,
  type ListResourceRecordSetsCommandInput,
  type ResourceRecordSet,
} from '@aws-sdk/client-route-53';
import { randomUUID } from 'node:crypto';
import { toFqdn } from '../../shared/core/dns-name.ts';
import { batchLimitProblems, describe, zoneIdOf, zoneRuleProblems, type Zone } from './change-rules.ts';
import { listKey, lowerBound, SortedRecords } from './record-order.ts';

const meta = { $metadata: {} };

/** One accepted change, as tests read the history of batches. */
export interface BatchEntry {
  Action: string;
  Name: string;
  Type: string;
  SetIdentifier?: string;
}

/**
 * Hosted zones and their records: ListResourceRecordSets in Route 53's order and paging, and
 * ChangeResourceRecordSets all or nothing with Route 53's errors (CREATE of an existing set,
 * DELETE of a missing or different one, failover groups, aliases, request limits).
 */
export class RecordStore {
  readonly zones = new Map<string, Zone>();
  /** The change list of every accepted ChangeResourceRecordSets call, in order. */
  readonly batches: BatchEntry[][] = [];
  /** List order per zone, kept up to date by batches (rebuilt if a test swaps the array). */
  private readonly order = new Map<string, SortedRecords>();

  constructor(
    private readonly pageSize: number,
    private readonly quota: () => number = () => Infinity,
  ) {}

  /** Create a hosted zone. */
  addZone(id: string, name: string): void {
    this.zones.set(id, { id, name: toFqdn(name), records: [] });
  }

  /** A zone by id (with or without `/hostedzone/`), or Route 53's NoSuchHostedZone. */
  zone(id: string): Zone {
    const zone = this.zones.get(zoneIdOf(id));
    if (!zone) throw new NoSuchHostedZone({ ...meta, message: `No hosted zone found with ID: ${id}` });
    return zone;
  }

  /** Records of a zone in Route 53's list order. */
  records(zoneId: string): ResourceRecordSet[] {
    return this.sorted(this.zone(zoneId)).records;
  }

  private sorted(zone: Zone): SortedRecords {
    const cached = this.order.get(zone.id);
    if (cached?.source === zone.records) return cached;
    const fresh = SortedRecords.of(zone.records);
    this.order.set(zone.id, fresh);
    return fresh;
  }

  /** ListResourceRecordSets: a page from (StartRecordName, StartRecordType, StartRecordIdentifier). */
  list(input: ListResourceRecordSetsCommandInput) {
    // "If you specify Type but not Name, Amazon Route 53 returns the InvalidInput error."
    if (input.StartRecordType && !input.StartRecordName)
      throw new InvalidInput({ ...meta, message: 'StartRecordType requires StartRecordName' });
    if (input.StartRecordIdentifier && !input.StartRecordType)
      throw new InvalidInput({ ...meta, message: 'StartRecordIdentifier requires StartRecordType' });
    const max = Math.min(input.MaxItems ?? this.pageSize, this.pageSize);
    const { keys, records: all } = this.sorted(this.zone(input.HostedZoneId!));
    const from = input.StartRecordName
      ? lowerBound(
          keys,
          listKey({
            Name: input.StartRecordName,
            Type: input.StartRecordType ?? '',
            SetIdentifier: input.StartRecordIdentifier ?? '',
          }),
        )
      : 0;
    const page = all.slice(from, from + max);
    const next = all[from + max];
    return {
      ...meta,
      ResourceRecordSets: structuredClone(page),
      IsTruncated: next !== undefined,
      MaxItems: max,
      ...(next
        ? {
            NextRecordName: next.Name,
            NextRecordType: next.Type,
            ...(next.SetIdentifier ? { NextRecordIdentifier: next.SetIdentifier } : {}),
          }
        : {}),
    };
  }

  /** ChangeResourceRecordSets: apply a batch to a copy and commit it only if every rule holds. */
  change(input: ChangeResourceRecordSetsCommandInput, checkExists: (id: string) => boolean) {
    const zone = this.zone(input.HostedZoneId!);
    const changes = input.ChangeBatch?.Changes ?? [];
    if (changes.length === 0)
      throw new InvalidInput({ ...meta, message: 'ChangeBatch.Changes must not be empty' });
    const limits = batchLimitProblems(changes);
    if (limits.length > 0)
      throw new InvalidChangeBatch({ ...meta, message: limits.join('; '), messages: limits });
    const errors: string[] = [];
    const working = new Map(zone.records.map((record) => [keyOf(record), record]));
    for (const change of changes) {
      const record = normalise(change.ResourceRecordSet!);
      const key = keyOf(record);
      const existing = working.get(key);
      const label = describe(record);
      if (!isWithin(record.Name!, zone.name)) errors.push(`${label} is not in zone ${zone.name}`);
      if (change.Action === 'CREATE') {
        if (existing) errors.push(`Tried to create resource record set ${label} but it already exists`);
        else working.set(key, record);
      } else if (change.Action === 'DELETE') {
        if (!existing) errors.push(`Tried to delete resource record set ${label} but it was not found`);
        else if (JSON.stringify(canonical(existing)) !== JSON.stringify(canonical(record))) {
          errors.push(
            `Tried to delete resource record set ${label} but the values provided do not match the current values`,
          );
        } else working.delete(key);
      } else if (change.Action === 'UPSERT') {
        if (existing && existing.Failover !== record.Failover) {
          errors.push(`Tried to UPSERT ${label} changing its failover role; delete and create it instead`);
        } else working.set(key, record);
      }
    }
    const records = [...working.values()];
    // "Records: 10,000 per hosted zone" (DNSLimitations.html#limits-api-entities-records). The
    // API reference names no error of its own for it; InvalidChangeBatch is the error
    // ChangeResourceRecordSets documents for a batch it refuses, so the stand-in answers that.
    // A batch that does not grow the zone is never refused for it.
    if (records.length > zone.records.length && records.length > this.quota()) {
      errors.push(
        `The batch would bring zone ${zone.name} to ${records.length} records, over its limit of ${this.quota()} records`,
      );
    }
    const touched = changes.map((c) => toFqdn(c.ResourceRecordSet!.Name!));
    errors.push(...zoneRuleProblems(zone, records, touched, checkExists));
    if (errors.length > 0)
      throw new InvalidChangeBatch({ ...meta, message: errors.join('; '), messages: errors });
    this.commit(zone, working, records);
    this.batches.push(
      changes.map(({ Action, ResourceRecordSet: r }) => ({
        Action: Action!,
        Name: toFqdn(r!.Name!),
        Type: r!.Type!,
        ...(r!.SetIdentifier ? { SetIdentifier: r!.SetIdentifier } : {}),
      })),
    );
    return {
      ...meta,
      ChangeInfo: { Id: `/change/${randomUUID()}`, Status: 'INSYNC', SubmittedAt: new Date() },
    };
  }

  private commit(zone: Zone, after: Map<string, ResourceRecordSet>, records: ResourceRecordSet[]): void {
    const cached = this.order.get(zone.id);
    if (cached?.source === zone.records) {
      const removed = new Set<ResourceRecordSet>();
      const added: ResourceRecordSet[] = [];
      for (const record of zone.records) if (after.get(keyOf(record)) !== record) removed.add(record);
      const before = new Set(zone.records);
      for (const record of after.values()) if (!before.has(record)) added.push(record);
      this.order.set(zone.id, cached.apply(removed, added, records));
    }
    zone.records = records;
  }
}

function normalise(record: ResourceRecordSet): ResourceRecordSet {
  const copy = structuredClone(record);
  copy.Name = toFqdn(copy.Name!);
  if (copy.AliasTarget) copy.AliasTarget.DNSName = toFqdn(copy.AliasTarget.DNSName!);
  return copy;
}

function canonical(record: ResourceRecordSet): unknown {
  return {
    ...record,
    ResourceRecords: record.ResourceRecords?.map((r) => r.Value).sort(),
    AliasTarget: record.AliasTarget
      ? { ...record.AliasTarget, DNSName: toFqdn(record.AliasTarget.DNSName!) }
      : undefined,
  };
}

function keyOf(record: ResourceRecordSet): string {
  return `${record.Name ?? ''}|${record.Type ?? ''}|${record.SetIdentifier ?? ''}`;
}

function isWithin(name: string, zone: string): boolean {
  return name === zone || name.endsWith(`.${zone}`);
}
