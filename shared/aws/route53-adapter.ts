import {
  ChangeResourceRecordSetsCommand,
  ChangeTagsForResourceCommand,
  CreateHealthCheckCommand,
  DeleteHealthCheckCommand,
  GetAccountLimitCommand,
  GetHealthCheckCommand,
  GetHealthCheckStatusCommand,
  GetHostedZoneCommand,
  GetHostedZoneLimitCommand,
  ListHealthChecksCommand,
  ListResourceRecordSetsCommand,
  ListTagsForResourceCommand,
  ListTagsForResourcesCommand,
  UpdateHealthCheckCommand,
  type HealthCheck,
  type HealthCheckConfig as SdkHealthCheckConfig,
  type ListResourceRecordSetsCommandOutput,
  type ResourceRecordSet as SdkRecord,
  type Route53Client,
} from '@aws-sdk/client-route-53';
import { isWithinZone } from '../core/dns-name.ts';
import type { HealthCheckConfig, RecordChange, ResourceRecordSet } from '../core/route53-types.ts';
import {
  CallerReferenceTaken,
  HealthCheckQuotaReached,
  type ObservedHealthCheck,
  type QuotaUse,
  type Route53Port,
} from '../ports.ts';
import { hasName } from './aws-error.ts';

/** Adapter options. */
export interface Route53AdapterOptions {
  /** Minimum gap between CreateHealthCheck calls (Route 53 allows about one every 2 s). */
  createHealthCheckIntervalMs?: number;
  /** The clock and wait the pacing uses (a model in virtual time passes its own). */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Route53Port on the AWS SDK; takes any client with `send`, so tests can hand in a stand-in.
 * Retries are the client's own (retry-strategy.ts), never a second layer here.
 */
export class Route53Adapter implements Route53Port {
  private nextCreateAt = 0;
  private readonly createInterval: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  constructor(
    private readonly client: Pick<Route53Client, 'send'>,
    options: Route53AdapterOptions = {},
  ) {
    this.createInterval = options.createHealthCheckIntervalMs ?? 2000;
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  async getZone(zoneId: string) {
    try {
      const { HostedZone } = await this.client.send(new GetHostedZoneCommand({ Id: zoneId }));
      return { id: zoneId, name: HostedZone!.Name! };
    } catch (error) {
      if (hasName(error, 'NoSuchHostedZone')) return undefined;
      throw error;
    }
  }

  async listRecordsUnder(zoneId: string, name: string): Promise<ResourceRecordSet[]> {
    const records: ResourceRecordSet[] = [];
    for await (const record of this.recordsFrom(zoneId, name)) {
      // Names below `name` list right after it (labels reversed); the first other name ends the range.
      if (!isWithinZone(record.Name, name)) break;
      records.push(record);
    }
    return records;
  }

  async listZone(zoneId: string): Promise<ResourceRecordSet[]> {
    const records: ResourceRecordSet[] = [];
    for await (const record of this.recordsFrom(zoneId)) records.push(record);
    return records;
  }

  /** Records in list order from `name` (or the start of the zone), page by page as they are needed. */
  private async *recordsFrom(zoneId: string, name?: string): AsyncGenerator<ResourceRecordSet> {
    let start: { name: string; type?: string; identifier?: string } | undefined = name ? { name } : undefined;
    do {
      const page: ListResourceRecordSetsCommandOutput = await this.client.send(
        new ListResourceRecordSetsCommand({
          HostedZoneId: zoneId,
          ...(start ? { StartRecordName: start.name } : {}),
          ...(start?.type ? { StartRecordType: start.type as SdkRecord['Type'] } : {}),
          ...(start?.identifier ? { StartRecordIdentifier: start.identifier } : {}),
        }),
      );
      yield* (page.ResourceRecordSets ?? []).map(fromSdk);
      start = page.IsTruncated
        ? {
            name: page.NextRecordName!,
            ...(page.NextRecordType ? { type: page.NextRecordType } : {}),
            ...(page.NextRecordIdentifier ? { identifier: page.NextRecordIdentifier } : {}),
          }
        : undefined;
    } while (start);
  }

  async changeRecords(zoneId: string, changes: RecordChange[], comment: string): Promise<void> {
    await this.client.send(
      new ChangeResourceRecordSetsCommand({
        HostedZoneId: zoneId,
        ChangeBatch: {
          Comment: comment.slice(0, 256),
          Changes: changes.map((change) => ({
            Action: change.Action,
            ResourceRecordSet: toSdk(change.ResourceRecordSet),
          })),
        },
      }),
    );
  }

  async getHealthCheck(id: string): Promise<ObservedHealthCheck | undefined> {
    try {
      const { HealthCheck } = await this.client.send(new GetHealthCheckCommand({ HealthCheckId: id }));
      return observed(HealthCheck!);
    } catch (error) {
      if (hasName(error, 'NoSuchHealthCheck')) return undefined;
      throw error;
    }
  }

  // "If more than 18% of health checkers report that an endpoint is healthy, Route 53 considers it
  // healthy": https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-determining-health-of-endpoints.html
  async healthCheckHealthy(id: string): Promise<boolean | undefined> {
    try {
      const { HealthCheckObservations: seen = [] } = await this.client.send(
        new GetHealthCheckStatusCommand({ HealthCheckId: id }),
      );
      if (seen.length === 0) return undefined;
      const healthy = seen.filter((o) => o.StatusReport?.Status?.startsWith('Success') === true).length;
      return healthy / seen.length > 0.18;
    } catch (error) {
      if (hasName(error, 'NoSuchHealthCheck')) return undefined;
      throw error;
    }
  }

  async createHealthCheck(callerReference: string, config: HealthCheckConfig): Promise<string> {
    const wait = this.nextCreateAt - this.now();
    if (wait > 0) await this.sleep(wait);
    this.nextCreateAt = this.now() + this.createInterval;
    try {
      const { HealthCheck } = await this.client.send(
        new CreateHealthCheckCommand({
          CallerReference: callerReference,
          HealthCheckConfig: config as SdkHealthCheckConfig,
        }),
      );
      return HealthCheck!.Id!;
    } catch (error) {
      if (hasName(error, 'HealthCheckAlreadyExists'))
        throw new CallerReferenceTaken((error as Error).message);
      if (hasName(error, 'TooManyHealthChecks')) throw new HealthCheckQuotaReached((error as Error).message);
      throw error;
    } finally {
      // Counted from the reply: a call the SDK retried took its token late, and the next one
      // must leave the bucket the same time to refill.
      this.nextCreateAt = this.now() + this.createInterval;
    }
  }

  async findHealthCheckByReference(callerReference: string): Promise<ObservedHealthCheck | undefined> {
    for await (const check of this.allHealthChecks()) {
      if (check.CallerReference === callerReference) return observed(check);
    }
    return undefined;
  }

  async tagHealthCheck(id: string, tags: Record<string, string>): Promise<void> {
    await this.client.send(
      new ChangeTagsForResourceCommand({
        ResourceType: 'healthcheck',
        ResourceId: id,
        AddTags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
      }),
    );
  }

  async getHealthCheckTags(id: string): Promise<Record<string, string> | undefined> {
    try {
      const { ResourceTagSet } = await this.client.send(
        new ListTagsForResourceCommand({ ResourceType: 'healthcheck', ResourceId: id }),
      );
      return Object.fromEntries((ResourceTagSet?.Tags ?? []).map((tag) => [tag.Key!, tag.Value ?? '']));
    } catch (error) {
      if (hasName(error, 'NoSuchHealthCheck')) return undefined;
      throw error;
    }
  }

  async updateHealthCheck(
    id: string,
    version: number,
    config: HealthCheckConfig,
    resetElements: readonly string[],
  ): Promise<void> {
    const { Type: _type, RequestInterval: _interval, MeasureLatency: _latency, ...mutable } = config;
    await this.client.send(
      new UpdateHealthCheckCommand({
        HealthCheckId: id,
        HealthCheckVersion: version,
        ...(mutable as Omit<SdkHealthCheckConfig, 'Type'>),
        ...(resetElements.length > 0
          ? { ResetElements: resetElements as ('FullyQualifiedDomainName' | 'Regions' | 'ResourcePath')[] }
          : {}),
      }),
    );
  }

  async deleteHealthCheck(id: string): Promise<void> {
    try {
      await this.client.send(new DeleteHealthCheckCommand({ HealthCheckId: id }));
    } catch (error) {
      if (!hasName(error, 'NoSuchHealthCheck')) throw error;
    }
  }

  async listHealthChecks(): Promise<ObservedHealthCheck[]> {
    const checks: ObservedHealthCheck[] = [];
    for await (const check of this.allHealthChecks()) checks.push(observed(check));
    return checks;
  }

  async tagsOf(ids: readonly string[]): Promise<Map<string, Record<string, string>>> {
    const tags = new Map<string, Record<string, string>>();
    for (let i = 0; i < ids.length; i += 10) {
      const { ResourceTagSets } = await this.client.send(
        new ListTagsForResourcesCommand({ ResourceType: 'healthcheck', ResourceIds: ids.slice(i, i + 10) }),
      );
      for (const set of ResourceTagSets ?? []) {
        tags.set(
          set.ResourceId!,
          Object.fromEntries((set.Tags ?? []).map((tag) => [tag.Key!, tag.Value ?? ''])),
        );
      }
    }
    return tags;
  }

  async healthCheckQuota(): Promise<QuotaUse> {
    const { Limit, Count } = await this.client.send(
      new GetAccountLimitCommand({ Type: 'MAX_HEALTH_CHECKS_BY_OWNER' }),
    );
    return { limit: Limit!.Value!, used: Count! };
  }

  async recordQuota(zoneId: string): Promise<QuotaUse> {
    const { Limit, Count } = await this.client.send(
      new GetHostedZoneLimitCommand({ HostedZoneId: zoneId, Type: 'MAX_RRSETS_BY_ZONE' }),
    );
    return { limit: Limit!.Value!, used: Count! };
  }

  private async *allHealthChecks(): AsyncGenerator<HealthCheck> {
    let marker: string | undefined;
    do {
      const page = await this.client.send(
        new ListHealthChecksCommand({ MaxItems: 1000, ...(marker ? { Marker: marker } : {}) }),
      );
      yield* page.HealthChecks ?? [];
      marker = page.IsTruncated ? page.NextMarker : undefined;
    } while (marker);
  }
}

function observed(check: HealthCheck): ObservedHealthCheck {
  return {
    id: check.Id!,
    callerReference: check.CallerReference!,
    version: check.HealthCheckVersion ?? 1,
    config: check.HealthCheckConfig as HealthCheckConfig,
  };
}

function fromSdk(record: SdkRecord): ResourceRecordSet {
  return record as ResourceRecordSet;
}

function toSdk(record: ResourceRecordSet): SdkRecord {
  return record as SdkRecord;
}
