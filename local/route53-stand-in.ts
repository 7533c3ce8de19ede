import {
  ChangeResourceRecordSetsCommand,
  ChangeTagsForResourceCommand,
  CreateHealthCheckCommand,
  DeleteHealthCheckCommand,
  GetHealthCheckCommand,
  GetHealthCheckStatusCommand,
  GetHostedZoneCommand,
  HealthCheckAlreadyExists,
  HealthCheckInUse,
  HealthCheckVersionMismatch,
  InvalidChangeBatch,
  InvalidInput,
  ListHealthChecksCommand,
  ListResourceRecordSetsCommand,
  ListTagsForResourceCommand,
  ListTagsForResourcesCommand,
  NoSuchHealthCheck,
  NoSuchHostedZone,
  ThrottlingException,
  UpdateHealthCheckCommand,
  type HealthCheck,
  type HealthCheckConfig,
  type ResourceRecordSet,
  type Tag,
} from '@aws-sdk/client-route-53';
import { randomUUID } from 'node:crypto';
import { toFqdn } from '../shared/core/dns-name.ts';
import { reservedRange } from '../shared/core/ip-address.ts';

// An in-memory Route 53 that enforces the API rules failover chains depends on, so tests and
// local mode fail where real Route 53 would: batches are all or nothing, CREATE of an
// existing set and DELETE of a missing or different one are refused, failover groups must
// be well formed, a non-alias PRIMARY needs a health check, alias targets must exist, health
// checks in use cannot be deleted and CallerReferences are idempotent and never reusable.
// It answers the SDK's own commands through `send`, so the real adapters run against it.

/** Options for the stand-in. */
export interface Route53StandInOptions {
  /** Records a list page returns at most (Route 53: 300). */
  pageSize?: number;
  /** Local mode lets health checks target loopback servers. */
  allowReservedAddresses?: boolean;
  /** Simulate Route 53's request limits on a virtual clock (benchmarks). */
  limits?: RateLimits;
}

/**
 * Route 53's API limits, simulated: `buckets` is the per-action token buckets of 2026 (burst
 * 50, 10 a second; CreateHealthCheck 0.5 a second; GetHealthCheckStatus 1 a second, burst 4;
 * record changes from an account bucket of 1,500 refilled at 100 a second, UPSERT costing 2);
 * `flat` the older 5 requests a second for everything. A call that finds its bucket empty
 * waits on the virtual clock, as a client pacing itself perfectly would: the clock then reads
 * the least time the run could take.
 */
export interface RateLimits {
  mode: 'buckets' | 'flat';
  clock: { now: number };
  /** Round trip added to the clock for every call (default 50 ms). */
  latencyMs?: number;
}

interface StoredHealthCheck {
  Id: string;
  CallerReference: string;
  HealthCheckConfig: HealthCheckConfig;
  HealthCheckVersion: number;
  tags: Map<string, string>;
}

interface Zone {
  id: string;
  name: string;
  records: ResourceRecordSet[];
}

type Fault = { command: string; remaining: number; error: () => Error };

const meta = { $metadata: {} };

/** An in-memory Route 53 answering SDK commands with the real API's rules and errors. */
export class Route53StandIn {
  readonly zones = new Map<string, Zone>();
  readonly healthChecks = new Map<string, StoredHealthCheck>();
  /** Health as Route 53's checkers would report it; a check not listed is healthy. */
  readonly unhealthy = new Set<string>();
  /** The change list of every accepted ChangeResourceRecordSets call, in order. */
  readonly batches: { Action: string; Name: string; Type: string; SetIdentifier?: string }[][] = [];
  /** Every command received, in order, by its SDK command name. */
  readonly calls: string[] = [];
  private readonly usedReferences = new Map<string, string>();
  /** Route 53's list order per zone, kept up to date by batches (rebuilt if a test swaps the array). */
  private readonly sortedRecords = new Map<string, SortedRecords>();
  private readonly faults: Fault[] = [];
  private readonly pageSize: number;

  constructor(private readonly options: Route53StandInOptions = {}) {
    this.pageSize = options.pageSize ?? 300;
  }

  /** Create a hosted zone (tests and local mode only; the system never creates zones). */
  addZone(id: string, name: string): void {
    this.zones.set(id, { id, name: toFqdn(name), records: [] });
  }

  /** Make the next `times` calls of `command` fail with `error` (failure injection). */
  failNext(command: string, error: () => Error = () => throttled(), times = 1): void {
    this.faults.push({ command, remaining: times, error });
  }

  /** Records of a zone in Route 53's list order. */
  records(zoneId: string): ResourceRecordSet[] {
    return this.sorted(this.zone(zoneId)).records;
  }

  private sorted(zone: Zone): SortedRecords {
    const cached = this.sortedRecords.get(zone.id);
    if (cached?.source === zone.records) return cached;
    const entries = zone.records
      .map((record) => [listKey(record), record] as const)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const fresh = {
      source: zone.records,
      keys: entries.map(([key]) => key),
      records: entries.map(([, record]) => record),
    };
    this.sortedRecords.set(zone.id, fresh);
    return fresh;
  }

  /** Write commands received so far. */
  writeCalls(): string[] {
    return this.calls.filter((call) => /^(Change|Create|Update|Delete)/.test(call));
  }

  /** Calls that had to wait for a token (simulated throttling). */
  throttled = 0;
  private readonly buckets = new Map<string, { tokens: number; updated: number }>();

  private take(key: string, capacity: number, perSecond: number, cost: number): void {
    const clock = this.options.limits!.clock;
    const bucket = this.buckets.get(key) ?? { tokens: capacity, updated: clock.now };
    bucket.tokens = Math.min(capacity, bucket.tokens + ((clock.now - bucket.updated) / 1000) * perSecond);
    bucket.updated = clock.now;
    if (bucket.tokens < cost) {
      clock.now += ((cost - bucket.tokens) / perSecond) * 1000;
      bucket.tokens = cost;
      bucket.updated = clock.now;
      this.throttled++;
    }
    bucket.tokens -= cost;
    this.buckets.set(key, bucket);
  }

  private pace(name: string, command: object): void {
    const limits = this.options.limits;
    if (!limits) return;
    limits.clock.now += limits.latencyMs ?? 50;
    if (limits.mode === 'flat') {
      this.take('account', 5, 5, 1);
      return;
    }
    if (name === 'CreateHealthCheckCommand') this.take(name, 1, 0.5, 1);
    else if (name === 'GetHealthCheckStatusCommand') this.take(name, 4, 1, 1);
    else this.take(name, 50, 10, 1);
    if (command instanceof ChangeResourceRecordSetsCommand) {
      const cost = (command.input.ChangeBatch?.Changes ?? []).reduce(
        (sum, c) => sum + (c.Action === 'UPSERT' ? 2 : 1),
        0,
      );
      this.take('record-changes', 1500, 100, cost);
    }
  }

  async send(command: object): Promise<unknown> {
    const name = command.constructor.name;
    this.calls.push(name);
    this.pace(name, command);
    const fault = this.faults.find((f) => f.command === name && f.remaining > 0);
    if (fault) {
      fault.remaining--;
      throw fault.error();
    }
    await Promise.resolve();
    if (command instanceof GetHostedZoneCommand) {
      const zone = this.zone(command.input.Id!);
      return {
        ...meta,
        HostedZone: { Id: `/hostedzone/${zone.id}`, Name: zone.name, CallerReference: zone.id },
      };
    }
    if (command instanceof ListResourceRecordSetsCommand) return this.listRecords(command);
    if (command instanceof ChangeResourceRecordSetsCommand) return this.changeRecords(command);
    if (command instanceof CreateHealthCheckCommand) return this.createHealthCheck(command);
    if (command instanceof GetHealthCheckCommand)
      return { ...meta, HealthCheck: this.view(this.check(command.input.HealthCheckId)) };
    if (command instanceof UpdateHealthCheckCommand) return this.updateHealthCheck(command);
    if (command instanceof DeleteHealthCheckCommand) return this.deleteHealthCheck(command);
    if (command instanceof ListHealthChecksCommand) return this.listHealthChecks(command);
    if (command instanceof ChangeTagsForResourceCommand) {
      const check = this.check(command.input.ResourceId);
      for (const tag of command.input.AddTags ?? []) check.tags.set(tag.Key!, tag.Value ?? '');
      for (const key of command.input.RemoveTagKeys ?? []) check.tags.delete(key);
      return meta;
    }
    if (command instanceof ListTagsForResourceCommand) {
      return { ...meta, ResourceTagSet: this.tagSet(command.input.ResourceId!) };
    }
    if (command instanceof ListTagsForResourcesCommand) {
      const ids = command.input.ResourceIds ?? [];
      if (ids.length > 10)
        throw new InvalidInput({ ...meta, message: 'ResourceIds: at most 10 ids per call' });
      return { ...meta, ResourceTagSets: ids.map((id) => this.tagSet(id)) };
    }
    if (command instanceof GetHealthCheckStatusCommand) {
      const check = this.check(command.input.HealthCheckId);
      const ok = !this.unhealthy.has(check.Id);
      return {
        ...meta,
        HealthCheckObservations: ['us-east-1', 'eu-west-1', 'ap-southeast-1'].map((Region) => ({
          Region,
          IPAddress: '15.177.0.1',
          StatusReport: {
            Status: ok ? 'Success: HTTP Status Code 200, OK' : 'Failure: Connection timed out.',
          },
        })),
      };
    }
    throw new Error(`Route53StandIn: ${name} is not supported`);
  }

  private zone(id: string): Zone {
    const zone = this.zones.get(id.replace(/^\/hostedzone\//, ''));
    if (!zone) throw new NoSuchHostedZone({ ...meta, message: `No hosted zone found with ID: ${id}` });
    return zone;
  }

  private check(id: string | undefined): StoredHealthCheck {
    const check = id === undefined ? undefined : this.healthChecks.get(id);
    if (!check)
      throw new NoSuchHealthCheck({ ...meta, message: `A health check with id ${id ?? ''} does not exist.` });
    return check;
  }

  private view(check: StoredHealthCheck): HealthCheck {
    return {
      Id: check.Id,
      CallerReference: check.CallerReference,
      HealthCheckConfig: structuredClone(check.HealthCheckConfig),
      HealthCheckVersion: check.HealthCheckVersion,
    };
  }

  private tagSet(id: string) {
    const check = this.check(id);
    const Tags: Tag[] = [...check.tags].map(([Key, Value]) => ({ Key, Value }));
    return { ResourceType: 'healthcheck' as const, ResourceId: id, Tags };
  }

  private listRecords(command: ListResourceRecordSetsCommand) {
    const input = command.input;
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
      MaxItems: String(max),
      ...(next
        ? {
            NextRecordName: next.Name,
            NextRecordType: next.Type,
            ...(next.SetIdentifier ? { NextRecordIdentifier: next.SetIdentifier } : {}),
          }
        : {}),
    };
  }

  private changeRecords(command: ChangeResourceRecordSetsCommand) {
    const zone = this.zone(command.input.HostedZoneId!);
    const changes = command.input.ChangeBatch?.Changes ?? [];
    if (changes.length === 0)
      throw new InvalidInput({ ...meta, message: 'ChangeBatch.Changes must not be empty' });
    const errors: string[] = [];
    // Applied in order to a copy; committed only if the whole batch is valid.
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
    const before = new Map(zone.records.map((record) => [keyOf(record), record]));
    errors.push(
      ...this.checkZoneRules(
        zone,
        records,
        changes.map((c) => toFqdn(c.ResourceRecordSet!.Name!)),
      ),
    );
    if (errors.length > 0) {
      throw new InvalidChangeBatch({ ...meta, message: errors.join('; '), messages: errors });
    }
    this.keepSorted(zone, before, working, records);
    zone.records = records;
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

  /** Update the list order with a batch's removals and insertions instead of sorting the zone again. */
  private keepSorted(
    zone: Zone,
    before: Map<string, ResourceRecordSet>,
    after: Map<string, ResourceRecordSet>,
    records: ResourceRecordSet[],
  ): void {
    const cached = this.sortedRecords.get(zone.id);
    if (cached?.source !== zone.records) return;
    const removed = new Set<ResourceRecordSet>();
    const added: ResourceRecordSet[] = [];
    for (const [key, record] of before) if (after.get(key) !== record) removed.add(record);
    for (const [key, record] of after) if (before.get(key) !== record) added.push(record);
    const keys: string[] = [];
    const sorted: ResourceRecordSet[] = [];
    cached.records.forEach((record, i) => {
      if (removed.has(record)) return;
      keys.push(cached.keys[i]!);
      sorted.push(record);
    });
    for (const record of added) {
      const key = listKey(record);
      const at = lowerBound(keys, key);
      keys.splice(at, 0, key);
      sorted.splice(at, 0, record);
    }
    this.sortedRecords.set(zone.id, { source: records, keys, records: sorted });
  }

  private checkZoneRules(zone: Zone, records: ResourceRecordSet[], touched: string[]): string[] {
    const errors: string[] = [];
    const byName = new Map<string, ResourceRecordSet[]>();
    for (const record of records) byName.set(record.Name!, [...(byName.get(record.Name!) ?? []), record]);
    const exists = (name: string, type: string | undefined) =>
      (byName.get(name) ?? []).some((r) => r.Type === type);
    for (const name of new Set(touched)) {
      const atName = byName.get(name) ?? [];
      if (atName.some((r) => r.Type === 'CNAME')) {
        if (name === zone.name)
          errors.push(`RRSet of type CNAME with DNS name ${name} is not permitted at the zone apex`);
        if (atName.some((r) => r.Type !== 'CNAME')) {
          errors.push(
            `RRSet of type CNAME with DNS name ${name} is not permitted as it conflicts with other records with the same DNS name in zone ${zone.name}`,
          );
        }
      }
      for (const type of new Set(atName.map((r) => r.Type))) {
        const group = atName.filter((r) => r.Type === type);
        const failover = group.filter((r) => r.Failover);
        if (failover.length > 0 && failover.length !== group.length) {
          errors.push(
            `RRSet with DNS name ${name}, type ${type} cannot mix failover and non-failover records`,
          );
        }
        if (group.filter((r) => !r.SetIdentifier).length > 1) errors.push(`Duplicate RRSet ${name} ${type}`);
        for (const role of ['PRIMARY', 'SECONDARY']) {
          if (group.filter((r) => r.Failover === role).length > 1) {
            errors.push(`RRSet with DNS name ${name}, type ${type} cannot have two ${role} failover records`);
          }
        }
      }
      for (const record of atName) {
        const label = describe(record);
        if (record.Failover === 'PRIMARY' && !record.AliasTarget && !record.HealthCheckId) {
          errors.push(`A non-alias primary ResourceRecordSet must have an associated health check: ${label}`);
        }
        if (record.HealthCheckId && !this.healthChecks.has(record.HealthCheckId)) {
          errors.push(`${label} refers to health check ${record.HealthCheckId}, which does not exist`);
        }
        const alias = record.AliasTarget;
        if (alias && alias.HostedZoneId?.replace(/^\/hostedzone\//, '') === zone.id) {
          const target = toFqdn(alias.DNSName!);
          if (!exists(target, record.Type)) {
            errors.push(
              `Tried to create an alias that targets ${target}, type ${record.Type} in zone ${zone.id}, but the alias target name does not lie within the target zone`,
            );
          }
        }
        if (!record.AliasTarget && (record.ResourceRecords ?? []).length === 0)
          errors.push(`${label} has no values`);
      }
    }
    // An alias elsewhere in the zone may point at a record this batch deleted.
    const touchedNames = new Set(touched);
    for (const record of records) {
      const alias = record.AliasTarget;
      if (!alias || alias.HostedZoneId?.replace(/^\/hostedzone\//, '') !== zone.id) continue;
      const target = toFqdn(alias.DNSName!);
      if (touchedNames.has(target) && !exists(target, record.Type)) {
        errors.push(`${describe(record)} would alias ${target}, which this batch removes`);
      }
    }
    return [...new Set(errors)];
  }

  private createHealthCheck(command: CreateHealthCheckCommand) {
    const reference = command.input.CallerReference!;
    const config = command.input.HealthCheckConfig!;
    this.validateConfig(config);
    const previous = this.usedReferences.get(reference);
    if (previous !== undefined) {
      const live = this.healthChecks.get(previous);
      if (live && JSON.stringify(live.HealthCheckConfig) === JSON.stringify(withDefaults(config))) {
        return { ...meta, HealthCheck: this.view(live), Location: live.Id };
      }
      throw new HealthCheckAlreadyExists({
        ...meta,
        message: live
          ? `A health check with CallerReference ${reference} already exists with other settings`
          : `CallerReference ${reference} belonged to a deleted health check and cannot be reused yet`,
      });
    }
    const id = randomUUID();
    this.usedReferences.set(reference, id);
    this.healthChecks.set(id, {
      Id: id,
      CallerReference: reference,
      HealthCheckConfig: withDefaults(config),
      HealthCheckVersion: 1,
      tags: new Map(),
    });
    return { ...meta, HealthCheck: this.view(this.healthChecks.get(id)!), Location: id };
  }

  private updateHealthCheck(command: UpdateHealthCheckCommand) {
    const input = command.input;
    const check = this.check(input.HealthCheckId);
    if (input.HealthCheckVersion !== undefined && input.HealthCheckVersion !== check.HealthCheckVersion) {
      throw new HealthCheckVersionMismatch({
        ...meta,
        message: 'The health check was changed since you read it',
      });
    }
    const next: HealthCheckConfig = { ...check.HealthCheckConfig };
    const fields = [
      'IPAddress',
      'Port',
      'ResourcePath',
      'FullyQualifiedDomainName',
      'SearchString',
      'FailureThreshold',
      'Inverted',
      'Disabled',
      'EnableSNI',
      'Regions',
    ] as const;
    for (const field of fields) {
      if (input[field] !== undefined) Object.assign(next, { [field]: input[field] });
    }
    const resets: Record<string, keyof HealthCheckConfig> = {
      FullyQualifiedDomainName: 'FullyQualifiedDomainName',
      Regions: 'Regions',
      ResourcePath: 'ResourcePath',
    };
    for (const element of input.ResetElements ?? []) {
      const key = resets[element];
      if (key) Reflect.deleteProperty(next, key);
    }
    this.validateConfig(next);
    check.HealthCheckConfig = withDefaults(next);
    check.HealthCheckVersion++;
    return { ...meta, HealthCheck: this.view(check) };
  }

  private deleteHealthCheck(command: DeleteHealthCheckCommand) {
    const check = this.check(command.input.HealthCheckId);
    for (const zone of this.zones.values()) {
      const user = zone.records.find((record) => record.HealthCheckId === check.Id);
      if (user) {
        // Deprecated in the SDK because Route 53 no longer refuses this everywhere; the check's
        // status then becomes unpredictable, so the stand-in keeps refusing it to catch the bug.
        // eslint-disable-next-line @typescript-eslint/no-deprecated
        throw new HealthCheckInUse({
          ...meta,
          message: `Health check ${check.Id} is still referenced from ${describe(user)}`,
        });
      }
    }
    this.healthChecks.delete(check.Id);
    this.unhealthy.delete(check.Id);
    return meta;
  }

  private listHealthChecks(command: ListHealthChecksCommand) {
    const max = Math.min(command.input.MaxItems ?? 100, 1000);
    const all = [...this.healthChecks.values()].sort((a, b) => a.Id.localeCompare(b.Id));
    const from = command.input.Marker ? all.findIndex((check) => check.Id === command.input.Marker) : 0;
    const page = all.slice(Math.max(from, 0), Math.max(from, 0) + max);
    const next = all[Math.max(from, 0) + max];
    return {
      ...meta,
      HealthChecks: page.map((check) => this.view(check)),
      IsTruncated: next !== undefined,
      MaxItems: String(max),
      Marker: command.input.Marker ?? '',
      ...(next ? { NextMarker: next.Id } : {}),
    };
  }

  private validateConfig(config: HealthCheckConfig): void {
    const problems: string[] = [];
    if (config.RequestInterval !== undefined && ![10, 30].includes(config.RequestInterval))
      problems.push('RequestInterval must be 10 or 30');
    if (
      config.FailureThreshold !== undefined &&
      (config.FailureThreshold < 1 || config.FailureThreshold > 10)
    ) {
      problems.push('FailureThreshold must be from 1 to 10');
    }
    if (config.Port !== undefined && (config.Port < 1 || config.Port > 65535))
      problems.push('Port must be from 1 to 65535');
    if (config.IPAddress && !this.options.allowReservedAddresses && reservedRange(config.IPAddress)) {
      problems.push(`IPAddress ${config.IPAddress} is not a public address`);
    }
    if (!config.IPAddress && !config.FullyQualifiedDomainName)
      problems.push('IPAddress or FullyQualifiedDomainName is required');
    if (problems.length > 0) throw new InvalidInput({ ...meta, message: problems.join('; ') });
  }
}

/** A throttling error as Route 53 sends it; the SDK's retry strategy backs off on it. */
export function throttled(): Error {
  return new ThrottlingException({ ...meta, message: 'Rate exceeded' });
}

function withDefaults(config: HealthCheckConfig): HealthCheckConfig {
  return { RequestInterval: 30, FailureThreshold: 3, ...structuredClone(config) };
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

function describe(record: ResourceRecordSet): string {
  const id = record.SetIdentifier ? `, set-identifier='${record.SetIdentifier}'` : '';
  return `[name='${record.Name ?? ''}', type='${record.Type ?? ''}'${id}]`;
}

function isWithin(name: string, zone: string): boolean {
  return name === zone || name.endsWith(`.${zone}`);
}

type RecordKey = { Name?: string | undefined; Type?: string | undefined; SetIdentifier?: string | undefined };

/** A zone's records in list order, with their sort keys. */
interface SortedRecords {
  source: ResourceRecordSet[];
  keys: string[];
  records: ResourceRecordSet[];
}

/**
 * A string that sorts as Route 53 lists records: by name with labels reversed (a name before the
 * names below it), then type, then set identifier.
 */
function listKey(record: RecordKey): string {
  const labels = toFqdn(record.Name!).slice(0, -1).split('.').reverse().join('\u0001');
  return `${labels}\u0000${record.Type ?? ''}\u0000${record.SetIdentifier ?? ''}`;
}

/** First index whose key is not below `key`. */
function lowerBound(keys: readonly string[], key: string): number {
  let low = 0;
  let high = keys.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (keys[middle]! < key) low = middle + 1;
    else high = middle;
  }
  return low;
}
