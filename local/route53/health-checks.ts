import {
  HealthCheckAlreadyExists,
  HealthCheckVersionMismatch,
  InvalidInput,
  NoSuchHealthCheck,
  TooManyHealthChecks,
  type CreateHealthCheckCommandInput,
  type HealthCheck,
  type HealthCheckConfig,
  type ListHealthChecksCommandInput,
  type UpdateHealthCheckCommandInput,
} from '@aws-sdk/client-route-53';
import { randomUUID } from 'node:crypto';
import { reservedRange } from '../../shared/core/ip-address.ts';

const meta = { $metadata: {} };
const DAY_MS = 24 * 60 * 60 * 1000;

/** A health check as the stand-in keeps it. */
export interface StoredHealthCheck {
  Id: string;
  CallerReference: string;
  HealthCheckConfig: HealthCheckConfig;
  HealthCheckVersion: number;
  tags: Map<string, string>;
}

/** How the health check store behaves. */
export interface HealthCheckOptions {
  /** Local mode lets health checks target loopback servers. */
  allowReservedAddresses?: boolean;
  /**
   * How long the CallerReference of a deleted check stays taken. Route 53 "does not store the
   * CallerReference for a deleted health check indefinitely [...] after a number of days";
   * default 3 days.
   */
  callerReferenceRetentionMs?: number;
  /** The clock that ages deleted CallerReferences (tests move it). */
  now?: () => number;
}

/**
 * Health checks: CreateHealthCheck idempotent by CallerReference, UpdateHealthCheck with
 * HealthCheckVersion, DeleteHealthCheck even while records use the check (as Route 53 allows),
 * ListHealthChecks by marker, and the checkers' verdict for GetHealthCheckStatus.
 */
export class HealthCheckStore {
  readonly checks = new Map<string, StoredHealthCheck>();
  /**
   * Checks no checker has reported on yet: GetHealthCheckStatus lists no observation for them
   * (and Route 53 counts them healthy). A new check is here until its checkers report: a test
   * or the local checker says so with `report`, or by marking it unhealthy.
   */
  readonly unreported = new Set<string>();
  /** Health as Route 53's checkers would report it; a check not listed is healthy. A check added here has reported. */
  readonly unhealthy: Set<string> = new ReportedSet(this.unreported);
  private readonly references = new Map<string, { id: string; deletedAt?: number }>();
  private readonly retention: number;
  private readonly now: () => number;

  constructor(
    private readonly options: HealthCheckOptions = {},
    private readonly quota: () => number = () => Infinity,
  ) {
    this.retention = options.callerReferenceRetentionMs ?? 3 * DAY_MS;
    this.now = options.now ?? (() => Date.now());
  }

  /** A check by id, or Route 53's NoSuchHealthCheck. */
  get(id: string | undefined): StoredHealthCheck {
    const check = id === undefined ? undefined : this.checks.get(id);
    if (!check)
      throw new NoSuchHealthCheck({ ...meta, message: `A health check with id ${id ?? ''} does not exist.` });
    return check;
  }

  /** The check as the API returns it. */
  view(check: StoredHealthCheck): HealthCheck {
    return {
      Id: check.Id,
      CallerReference: check.CallerReference,
      HealthCheckConfig: structuredClone(check.HealthCheckConfig),
      HealthCheckVersion: check.HealthCheckVersion,
    };
  }

  // https://docs.aws.amazon.com/Route53/latest/APIReference/API_CreateHealthCheck.html#Route53-CreateHealthCheck-request-CallerReference
  /** CreateHealthCheck, idempotent on CallerReference and settings. */
  create(input: CreateHealthCheckCommandInput) {
    const reference = input.CallerReference!;
    const config = withDefaults(input.HealthCheckConfig!);
    this.validate(config);
    const used = this.references.get(reference);
    if (used?.deletedAt !== undefined && this.now() - used.deletedAt >= this.retention)
      this.references.delete(reference);
    const previous = this.references.get(reference);
    if (previous) {
      const live = this.checks.get(previous.id);
      if (live && JSON.stringify(live.HealthCheckConfig) === JSON.stringify(config))
        return { ...meta, HealthCheck: this.view(live), Location: live.Id };
      throw new HealthCheckAlreadyExists({
        ...meta,
        message: live
          ? `A health check with CallerReference ${reference} already exists with other settings`
          : `CallerReference ${reference} belonged to a deleted health check and cannot be reused yet`,
      });
    }
    // "TooManyHealthChecks: This health check can't be created because the current account has
    // reached the limit on the number of active health checks."
    // https://docs.aws.amazon.com/Route53/latest/APIReference/API_CreateHealthCheck.html#API_CreateHealthCheck_Errors
    if (this.checks.size >= this.quota()) {
      throw new TooManyHealthChecks({
        ...meta,
        message: `You have reached the maximum number of active health checks for an AWS account (${this.quota()}). To request a higher limit, create a case with the AWS Support Center.`,
      });
    }
    const id = randomUUID();
    this.references.set(reference, { id });
    this.unreported.add(id);
    this.checks.set(id, {
      Id: id,
      CallerReference: reference,
      HealthCheckConfig: config,
      HealthCheckVersion: 1,
      tags: new Map(),
    });
    return { ...meta, HealthCheck: this.view(this.checks.get(id)!), Location: id };
  }

  /** UpdateHealthCheck: the fields Route 53 lets change, refused on a stale HealthCheckVersion. */
  update(input: UpdateHealthCheckCommandInput) {
    const check = this.get(input.HealthCheckId);
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
    const resettable = new Set(['FullyQualifiedDomainName', 'Regions', 'ResourcePath']);
    for (const element of input.ResetElements ?? []) {
      if (resettable.has(element)) Reflect.deleteProperty(next, element);
    }
    this.validate(next);
    check.HealthCheckConfig = withDefaults(next);
    check.HealthCheckVersion++;
    return { ...meta, HealthCheck: this.view(check) };
  }

  // "Amazon Route 53 does not prevent you from deleting a health check even if the health check
  // is associated with one or more resource record sets."
  // https://docs.aws.amazon.com/Route53/latest/APIReference/API_DeleteHealthCheck.html
  /** DeleteHealthCheck: succeeds whoever uses the check; its CallerReference stays taken for a while. */
  delete(id: string | undefined) {
    const check = this.get(id);
    this.checks.delete(check.Id);
    this.unhealthy.delete(check.Id);
    this.unreported.delete(check.Id);
    this.references.set(check.CallerReference, { id: check.Id, deletedAt: this.now() });
    return meta;
  }

  /** ListHealthChecks, ordered by id, paged by Marker. */
  list(input: ListHealthChecksCommandInput) {
    const max = Math.min(input.MaxItems ?? 100, 1000);
    const all = [...this.checks.values()].sort((a, b) => a.Id.localeCompare(b.Id));
    const from = Math.max(input.Marker ? all.findIndex((check) => check.Id === input.Marker) : 0, 0);
    const next = all[from + max];
    return {
      ...meta,
      HealthChecks: all.slice(from, from + max).map((check) => this.view(check)),
      IsTruncated: next !== undefined,
      MaxItems: max,
      Marker: input.Marker ?? '',
      ...(next ? { NextMarker: next.Id } : {}),
    };
  }

  /** The checkers have reported on this check: GetHealthCheckStatus lists their observations. */
  report(id: string): void {
    this.unreported.delete(id);
  }

  // "HealthCheckObservations: A list that contains one HealthCheckObservation element for each
  // Amazon Route 53 health checker that is reporting a status about the health check endpoint."
  // https://docs.aws.amazon.com/Route53/latest/APIReference/API_GetHealthCheckStatus.html
  // "New health checks must propagate to Route 53 health checkers before the health check status
  // and last failure reason appear" https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/health-checks-view-status.html
  /** GetHealthCheckStatus: what three checker regions report; nothing while no checker has reported. */
  status(id: string | undefined) {
    const check = this.get(id);
    if (this.unreported.has(check.Id)) return { ...meta, HealthCheckObservations: [] };
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

  private validate(config: HealthCheckConfig): void {
    const problems: string[] = [];
    if (config.RequestInterval !== undefined && ![10, 30].includes(config.RequestInterval))
      problems.push('RequestInterval must be 10 or 30');
    if (
      config.FailureThreshold !== undefined &&
      (config.FailureThreshold < 1 || config.FailureThreshold > 10)
    )
      problems.push('FailureThreshold must be from 1 to 10');
    if (config.Port !== undefined && (config.Port < 1 || config.Port > 65535))
      problems.push('Port must be from 1 to 65535');
    if (config.IPAddress && !this.options.allowReservedAddresses && reservedRange(config.IPAddress))
      problems.push(`IPAddress ${config.IPAddress} is not a public address`);
    if (!config.IPAddress && !config.FullyQualifiedDomainName)
      problems.push('IPAddress or FullyQualifiedDomainName is required');
    if (problems.length > 0) throw new InvalidInput({ ...meta, message: problems.join('; ') });
  }
}

/** The unhealthy set: a check its checkers report down has reported, so it leaves `unreported`. */
class ReportedSet extends Set<string> {
  constructor(private readonly unreported: Set<string>) {
    super();
  }

  override add(id: string): this {
    this.unreported.delete(id);
    return super.add(id);
  }
}

function withDefaults(config: HealthCheckConfig): HealthCheckConfig {
  return { RequestInterval: 30, FailureThreshold: 3, ...structuredClone(config) };
}
