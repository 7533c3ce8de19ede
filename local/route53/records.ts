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
import { batchLimitProblems, describe, zoneRuleProblems, type Zone } from './change-rules.ts';
import { zoneIdOf } from './zone-id.ts';
import { keyOf, overlay, ZoneIndex } from './zone-index.ts';

const meta = { $metadata: {} };

// GetHostedZone, ListResourceRecordSets and ChangeResourceRecordSets take a hosted zone Id of
// "Length Constraints: Maximum length of 32."
// https://docs.aws.amazon.com/Route53/latest/APIReference/API_GetHostedZone.html
const MAX_ZONE_ID = 32;

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
  /** Each zone's index, kept up to date by batches (rebuilt if a test swaps the zone's array). */
  private readonly indexes = new Map<string, ZoneIndex>();

  constructor(
    private readonly pageSize: number,
    private readonly quota: () => number = () => Infinity,
  ) {}

  /** Create a hosted zone. */
  addZone(id: string, name: string): void {
    this.zones.set(id, { id, name: toFqdn(name), records: [] });
  }

  /**
   * A zone by id (with or without `/hostedzone/`), or Route 53's NoSuchHostedZone; an id longer
   * than the API takes is refused before any lookup, as Route 53 does (InvalidInput).
   */
  zone(id: string): Zone {
    if (zoneIdOf(id).length > MAX_ZONE_ID) {
      throw new InvalidInput({
        ...meta,
        message: `1 validation error detected: Value '${id}' at 'id' failed to satisfy constraint: Member must have length less than or equal to ${MAX_ZONE_ID}`,
      });
    }
    const zone = this.zones.get(zoneIdOf(id));
    if (!zone) throw new NoSuchHostedZone({ ...meta, message: `No hosted zone found with ID: ${id}` });
    return zone;
  }

  /** Records of a zone in Route 53's list order (a copy: later batches do not change it). */
  records(zoneId: string): ResourceRecordSet[] {
    return this.indexOf(this.zone(zoneId)).records.slice();
  }

  /** How many record sets a zone holds. */
  count(zoneId: string): number {
    return this.indexOf(this.zone(zoneId)).size;
  }

  private indexOf(zone: Zone): ZoneIndex {
    const cached = this.indexes.get(zone.id);
    if (cached?.records === zone.records) return cached;
    const fresh = ZoneIndex.of(zone.id, zone.records);
    zone.records = fresh.records;
    this.indexes.set(zone.id, fresh);
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
    const index = this.indexOf(this.zone(input.HostedZoneId!));
    const all = index.records;
    const from = input.StartRecordName
      ? index.positionOf({
          Name: input.StartRecordName,
          Type: input.StartRecordType ?? '',
          SetIdentifier: input.StartRecordIdentifier ?? '',
        })
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

  /**
   * ChangeResourceRecordSets: lay the batch over the zone and commit it only if every rule holds
   * at the names it touches (and for the aliases into them).
   */
  change(input: ChangeResourceRecordSetsCommandInput, checkExists: (id: string) => boolean) {
    const zone = this.zone(input.HostedZoneId!);
    const changes = input.ChangeBatch?.Changes ?? [];
    if (changes.length === 0)
      throw new InvalidInput({ ...meta, message: 'ChangeBatch.Changes must not be empty' });
    const limits = batchLimitProblems(changes);
    if (limits.length > 0)
      throw new InvalidChangeBatch({ ...meta, message: limits.join('; '), messages: limits });
    const errors: string[] = [];
    const index = this.indexOf(zone);
    // What the batch stores under each key it touches (undefined: deleted).
    const working = new Map<string, ResourceRecordSet | undefined>();
    for (const change of changes) {
      const record = normalise(change.ResourceRecordSet!);
      const key = keyOf(record);
      const existing = working.has(key) ? working.get(key) : index.get(key);
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
        } else working.set(key, undefined);
      } else if (change.Action === 'UPSERT') {
        if (existing && existing.Failover !== record.Failover) {
          errors.push(`Tried to UPSERT ${label} changing its failover role; delete and create it instead`);
        } else working.set(key, record);
      }
    }
    let size = index.size;
    for (const [key, after] of working)
      size += Number(after !== undefined) - Number(index.get(key) !== undefined);
    // "Records: 10,000 per hosted zone" (DNSLimitations.html#limits-api-entities-records). The
    // API reference names no error of its own for it; InvalidChangeBatch is the error
    // ChangeResourceRecordSets documents for a batch it refuses, so the stand-in answers that.
    // A batch that does not grow the zone is never refused for it.
    if (size > index.size && size > this.quota()) {
      errors.push(
        `The batch would bring zone ${zone.name} to ${size} records, over its limit of ${this.quota()} records`,
      );
    }
    const touched = changes.map((c) => toFqdn(c.ResourceRecordSet!.Name!));
    errors.push(...zoneRuleProblems(zone, overlay(index, working), touched, checkExists));
    if (errors.length > 0)
      throw new InvalidChangeBatch({ ...meta, message: errors.join('; '), messages: errors });
    index.apply(working);
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

function isWithin(name: string, zone: string): boolean {
  return name === zone || name.endsWith(`.${zone}`);
}
