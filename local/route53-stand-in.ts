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
  ThrottlingException,
  UpdateHealthCheckCommand,
  type ResourceRecordSet,
} from '@aws-sdk/client-route-53';
import type { Zone } from './route53/change-rules.ts';
import {
  HealthCheckStore,
  type HealthCheckOptions,
  type StoredHealthCheck,
} from './route53/health-checks.ts';
import { accountLimit, DEFAULT_QUOTAS, hostedZoneLimit, type Route53Quotas } from './route53/quotas.ts';
import { RateLimiter, type RateLimits } from './route53/rate-limits.ts';
import { RecordStore, type BatchEntry } from './route53/records.ts';
import { HealthCheckTags } from './route53/tags.ts';

export type { RateLimits } from './route53/rate-limits.ts';

// An in-memory Route 53 that enforces the API rules failover chains depends on, as AWS documents
// them, so tests and local mode fail where real Route 53 would and pass where it passes. It
// answers the SDK's own commands through `send`, so the real adapters run against it. Records
// live in route53/records.ts, health checks in route53/health-checks.ts, tags in route53/tags.ts.

/** Options for the stand-in. */
export interface Route53StandInOptions extends HealthCheckOptions {
  /** Records a list page returns at most (Route 53: 300). */
  pageSize?: number;
  /** Simulate Route 53's request limits on a virtual clock (benchmarks). */
  limits?: RateLimits;
  /** Entity quotas to enforce (default: Route 53's, 200 health checks and 10,000 records a zone). */
  quotas?: Partial<Route53Quotas>;
}

type Fault = { command: string; remaining: number; error: () => Error };

const meta = { $metadata: {} };

/** An in-memory Route 53 answering SDK commands with the real API's rules and errors. */
export class Route53StandIn {
  /** Every command received, in order, by its SDK command name. */
  readonly calls: string[] = [];
  /** The quotas enforced; a test raises one as AWS support would. */
  readonly quotas: Route53Quotas;
  private readonly recordStore: RecordStore;
  private readonly checkStore: HealthCheckStore;
  private readonly tags: HealthCheckTags;
  private readonly limiter: RateLimiter | undefined;
  private readonly faults: Fault[] = [];

  constructor(options: Route53StandInOptions = {}) {
    this.quotas = { ...DEFAULT_QUOTAS, ...options.quotas };
    this.recordStore = new RecordStore(options.pageSize ?? 300, () => this.quotas.recordsPerZone);
    this.checkStore = new HealthCheckStore(options, () => this.quotas.healthChecks);
    this.tags = new HealthCheckTags(this.checkStore);
    this.limiter = options.limits ? new RateLimiter(options.limits) : undefined;
  }

  /** Hosted zones by id. */
  get zones(): Map<string, Zone> {
    return this.recordStore.zones;
  }

  /** Health checks by id. */
  get healthChecks(): Map<string, StoredHealthCheck> {
    return this.checkStore.checks;
  }

  /** Health as Route 53's checkers would report it; a check not listed is healthy. */
  get unhealthy(): Set<string> {
    return this.checkStore.unhealthy;
  }

  /** Checks no checker has reported on yet (new ones): GetHealthCheckStatus lists no observation. */
  get unreported(): Set<string> {
    return this.checkStore.unreported;
  }

  /** The checkers have reported on a check: GetHealthCheckStatus lists their observations from now on. */
  report(id: string): void {
    this.checkStore.report(id);
  }

  /** The change list of every accepted ChangeResourceRecordSets call, in order. */
  get batches(): BatchEntry[][] {
    return this.recordStore.batches;
  }

  /** Calls that had to wait for a token (simulated rate limits). */
  get throttled(): number {
    return this.limiter?.throttled ?? 0;
  }

  /** Create a hosted zone (tests and local mode only; the system never creates zones). */
  addZone(id: string, name: string): void {
    this.recordStore.addZone(id, name);
  }

  /** Make the next `times` calls of `command` fail with `error` (failure injection). */
  failNext(command: string, error: () => Error = () => throttled(), times = 1): void {
    this.faults.push({ command, remaining: times, error });
  }

  /** Records of a zone in Route 53's list order. */
  records(zoneId: string): ResourceRecordSet[] {
    return this.recordStore.records(zoneId);
  }

  /** Write commands received so far. */
  writeCalls(): string[] {
    return this.calls.filter((call) => /^(Change|Create|Update|Delete)/.test(call));
  }

  /** Answer one SDK command as Route 53 would. */
  async send(command: object): Promise<unknown> {
    const name = command.constructor.name;
    this.calls.push(name);
    this.limiter?.pace(name, command);
    const fault = this.faults.find((f) => f.command === name && f.remaining > 0);
    if (fault) {
      fault.remaining--;
      throw fault.error();
    }
    await Promise.resolve();
    return this.answer(command, name);
  }

  private answer(command: object, name: string): unknown {
    const checks = this.checkStore;
    if (command instanceof GetHostedZoneCommand) {
      const zone = this.recordStore.zone(command.input.Id!);
      return {
        ...meta,
        HostedZone: { Id: `/hostedzone/${zone.id}`, Name: zone.name, CallerReference: zone.id },
      };
    }
    if (command instanceof ListResourceRecordSetsCommand) return this.recordStore.list(command.input);
    if (command instanceof ChangeResourceRecordSetsCommand)
      return this.recordStore.change(command.input, (id) => checks.checks.has(id));
    if (command instanceof CreateHealthCheckCommand) return checks.create(command.input);
    if (command instanceof GetHealthCheckCommand)
      return { ...meta, HealthCheck: checks.view(checks.get(command.input.HealthCheckId)) };
    if (command instanceof UpdateHealthCheckCommand) return checks.update(command.input);
    if (command instanceof DeleteHealthCheckCommand) return checks.delete(command.input.HealthCheckId);
    if (command instanceof ListHealthChecksCommand) return checks.list(command.input);
    if (command instanceof GetHealthCheckStatusCommand) return checks.status(command.input.HealthCheckId);
    if (command instanceof GetAccountLimitCommand)
      return accountLimit(this.quotas, command.input, {
        healthChecks: checks.checks.size,
        hostedZones: this.recordStore.zones.size,
      });
    if (command instanceof GetHostedZoneLimitCommand)
      return hostedZoneLimit(this.quotas, command.input, this.recordStore.count(command.input.HostedZoneId!));
    if (command instanceof ChangeTagsForResourceCommand) return this.tags.change(command.input);
    if (command instanceof ListTagsForResourceCommand) return this.tags.list(command.input.ResourceId);
    if (command instanceof ListTagsForResourcesCommand) return this.tags.listMany(command.input);
    throw new Error(`Route53StandIn: ${name} is not supported`);
  }
}

/** A throttling error as Route 53 sends it; the SDK's retry strategy backs off on it. */
export function throttled(): Error {
  return new ThrottlingException({ ...meta, message: 'Rate exceeded' });
}
