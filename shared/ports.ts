import type { Alert } from './core/alerts.ts';
import type { ChainStatus, HistoryEntry } from './core/chain-status.ts';
import type { AlarmSpec } from './core/plan-alarms.ts';
import type { HealthCheckConfig, RecordChange, ResourceRecordSet } from './core/route53-types.ts';

// The narrow interfaces reconcile needs. shared/aws implements them on the AWS SDK; tests and
// local mode run the same adapters against stand-ins and DynamoDB Local.

/** A Route 53 health check as reconcile sees it. */
export interface ObservedHealthCheck {
  id: string;
  callerReference: string;
  version: number;
  config: HealthCheckConfig;
}

/** Route 53: zones, records and health checks. */
export interface Route53Port {
  getZone(zoneId: string): Promise<{ id: string; name: string } | undefined>;
  /** Every record at `name` and below it, read from the one list range that holds them. */
  listRecordsUnder(zoneId: string, name: string): Promise<ResourceRecordSet[]>;
  /** One atomic ChangeResourceRecordSets call. */
  changeRecords(zoneId: string, changes: RecordChange[], comment: string): Promise<void>;
  getHealthCheck(id: string): Promise<ObservedHealthCheck | undefined>;
  /** Route 53's own verdict on a check (GetHealthCheckStatus); undefined when it has none or no such check. */
  healthCheckHealthy(id: string): Promise<boolean | undefined>;
  /** CreateHealthCheck; throws CallerReferenceTaken when Route 53 refuses the reference. */
  createHealthCheck(callerReference: string, config: HealthCheckConfig): Promise<string>;
  findHealthCheckByReference(callerReference: string): Promise<ObservedHealthCheck | undefined>;
  tagHealthCheck(id: string, tags: Record<string, string>): Promise<void>;
  /** Tags of a check; undefined when the check does not exist. */
  getHealthCheckTags(id: string): Promise<Record<string, string> | undefined>;
  updateHealthCheck(
    id: string,
    version: number,
    config: HealthCheckConfig,
    resetElements: readonly string[],
  ): Promise<void>;
  /** Delete a check; a check that is already gone counts as deleted. */
  deleteHealthCheck(id: string): Promise<void>;
  /** Every record of a zone, read page by page (one full run lists each zone once). */
  listZone(zoneId: string): Promise<ResourceRecordSet[]>;
  /** Every health check in the account, read page by page. */
  listHealthChecks(): Promise<ObservedHealthCheck[]>;
  /** Tags of several checks (ListTagsForResources takes ten a call). */
  tagsOf(ids: readonly string[]): Promise<Map<string, Record<string, string>>>;
  /** GetAccountLimit MAX_HEALTH_CHECKS_BY_OWNER: the account's health check quota and use. */
  healthCheckQuota(): Promise<QuotaUse>;
  /** GetHostedZoneLimit MAX_RRSETS_BY_ZONE: a zone's record quota and use. */
  recordQuota(zoneId: string): Promise<QuotaUse>;
}

/** A quota and how much of it is used, as Route 53's Get*Limit calls report them. */
export interface QuotaUse {
  limit: number;
  used: number;
}

/** CreateHealthCheck refused: the account holds as many health checks as its quota allows. */
export class HealthCheckQuotaReached extends Error {
  override name = 'HealthCheckQuotaReached';
}

/** Admits a chain's creations against the quotas, read once per run (see quota-gate.ts). */
export interface QuotaGatePort {
  /**
   * Undefined when the creations fit (and are then counted as used); else why they do not.
   * `sharedChecks`: fingerprints of shared checks to create, each counted once however many ask.
   */
  admit(needs: {
    healthChecks: number;
    sharedChecks?: readonly string[];
    records: number;
    zoneId: string;
  }): Promise<string | undefined>;
  /** Route 53 refused a CreateHealthCheck for the quota: admit no more checks this run. */
  healthChecksFull?(): void;
}

/** Route 53 refused a CallerReference: used by a check with other settings, or deleted lately. */
export class CallerReferenceTaken extends Error {
  override name = 'CallerReferenceTaken';
}

/** An alarm as CloudWatch reports it. */
export interface ObservedAlarm extends Partial<AlarmSpec> {
  AlarmName: string;
  StateValue?: string;
  StateUpdatedTimestamp?: Date;
  /** When the alarm's settings last changed: a state older than this was about other settings. */
  AlarmConfigurationUpdatedTimestamp?: Date;
}

/** CloudWatch alarms on health checks. */
export interface AlarmPort {
  describe(names: readonly string[]): Promise<Map<string, ObservedAlarm>>;
  listByPrefix(prefix: string): Promise<ObservedAlarm[]>;
  put(spec: AlarmSpec, tags: Record<string, string>): Promise<void>;
  delete(names: readonly string[]): Promise<void>;
}

/** The user's Chains table: read by the system, written only by the CLI on the user's behalf. */
export interface ChainStore {
  get(name: string): Promise<unknown>;
  /** Every row by name, in one paginated Scan. */
  scan(): Promise<Map<string, unknown>>;
}

/** Another reconcile wrote the status since it was read; retry from the top. */
export class StaleStatusError extends Error {
  override name = 'StaleStatusError';
}

/** Another reconcile holds the chain (see ChainLease) until `until`; retry after it. */
export class ChainBusyError extends Error {
  override name = 'ChainBusyError';
  constructor(readonly until: string) {
    super(`another reconcile holds this chain until ${until}`);
  }
}

/** Error names AWS uses for throttling (Route 53, CloudWatch, DynamoDB, SNS), and the SDK's timeout. */
const THROTTLED = new Set([
  'Throttling',
  'ThrottlingException',
  'Throttled',
  'PriorRequestNotComplete',
  'TimeoutError',
]);

/** A call AWS slowed down, still refused after the SDK's own retries: worth trying again later. */
export function isThrottled(error: unknown): boolean {
  return error instanceof Error && THROTTLED.has(error.name);
}

/** Losing a race is not a failure: retry quietly, never alert. */
export function isLostRace(error: unknown): boolean {
  return error instanceof StaleStatusError || error instanceof ChainBusyError;
}

/** The system's Status table. */
export interface StatusStore {
  get(name: string): Promise<ChainStatus | undefined>;
  /** Write if the stored revision is still `expectedRevision` (0: no item yet); else StaleStatusError. */
  save(status: ChainStatus, expectedRevision: number): Promise<void>;
  list(): Promise<ChainStatus[]>;
  /**
   * Names of the chains whose outbox has an entry due by `at` (ISO), from the sparse index on
   * `outboxDue`: eventually consistent, so read each status again before acting on it.
   */
  outboxesDue(at: string): Promise<string[]>;
}

/** The alerts topic. */
export interface AlertPort {
  publish(alert: Alert): Promise<void>;
}

/** Deployment settings reconcile obeys. */
export interface ReconcileSettings {
  owner: string;
  allowedHostedZoneIds: readonly string[];
  allowedNameSuffixes: readonly string[];
  /** Local mode only. */
  allowReservedAddresses?: boolean;
}

/** Everything reconcile needs; built once per Lambda container, CLI run or test. */
export interface ReconcileDeps {
  route53: Route53Port;
  alarms: AlarmPort;
  chains: ChainStore;
  status: StatusStore;
  alerts: AlertPort;
  settings: ReconcileSettings;
  clock: () => Date;
  /** A fresh, never-reused CallerReference. */
  newReference: () => string;
  /** How a reconcile that lost a race waits before reading again (tests pass a fake). */
  sleep?: (ms: number) => Promise<void>;
  /** Where serving-tier changes and operator actions are recorded, kept `historyDays`. */
  history: HistoryStore;
  historyDays: number;
  /** Quota reads shared by the chains of one full run; a lone reconcile makes its own. */
  quotaGate?: QuotaGatePort;
  /** Where shared health checks are registered; without it every chain makes its own checks. */
  sharedChecks?: SharedCheckRegistry;
  /** The flap guard's settings (FLAP_DEFAULTS without them). */
  flap?: { maxFlips: number; windowSeconds: number };
  /** Write one embedded-metric-format line (stdout in Lambda); without it no metric is written. */
  emitMetric?: (line: string) => void;
}

/** One entry of a chain's history. */
export type FlipRecord = HistoryEntry;

/** Flip history, kept in the Status table and expired by TTL. */
export interface HistoryStore {
  /** Write one entry; writing the same `id` again replaces it (delivery may repeat). */
  append(record: FlipRecord, id: string, expiresAtEpochSeconds: number): Promise<void>;
  /** Newest first. */
  list(chain: string, limit?: number): Promise<FlipRecord[]>;
}

/** What the alarm handler needs beyond reconcile. */
export interface ServingDeps extends ReconcileDeps {
  flap: { maxFlips: number; windowSeconds: number };
  /** Write one embedded-metric-format line (stdout in Lambda). */
  emitMetric: (line: string) => void;
}

/** One shared health check as the registry holds it (see shared/reconcile/shared-checks.ts). */
export interface SharedCheckItem {
  fingerprint: string;
  /** Saved before CreateHealthCheck is called, as a chain saves its own. */
  callerReference: string;
  config: HealthCheckConfig;
  /** Set once the check exists and is tagged. */
  id?: string;
  /** How many chain tiers use it (each joined before its records reference it). */
  userCount: number;
  /** The last user is deleting it: nobody may join this generation any more. */
  deleting?: boolean;
}

/** A shared check with its users, `<chain>/<tier>` each, as a full run lists them. */
export interface SharedCheckListing extends SharedCheckItem {
  users: string[];
}

/** The shared checks' registry: an item per check and per user, changed only by conditional writes. */
export interface SharedCheckRegistry {
  get(fingerprint: string): Promise<SharedCheckItem | undefined>;
  /** True when `user` (`<chain>/<tier>`) is one of the check's users. */
  isUser(fingerprint: string, user: string): Promise<boolean>;
  /** Every user of the check. */
  users(fingerprint: string): Promise<string[]>;
  /** The checks (fingerprints) each tier of `chain` uses, by tier: a whole-registry read, for a chain whose status was lost. */
  usesOf(chain: string): Promise<Map<string, string[]>>;
  /** Write-ahead: a new item with `user` its first user; false when an item already exists. */
  reserve(
    item: Pick<SharedCheckItem, 'fingerprint' | 'callerReference' | 'config'>,
    user: string,
  ): Promise<boolean>;
  /** Add `user` to this generation (`callerReference`); true when it is one of its users now, false when it is gone, replaced or being deleted. */
  join(fingerprint: string, callerReference: string, user: string): Promise<boolean>;
  /** This generation's check is gone from Route 53: start a new one (`newReference`, no id), keeping its users. */
  renew(fingerprint: string, callerReference: string, newReference: string): Promise<boolean>;
  /** Record the check's id once it is tagged. */
  setId(fingerprint: string, callerReference: string, id: string): Promise<void>;
  /** Remove `user`; nothing happens when it is not there. */
  leave(fingerprint: string, user: string): Promise<void>;
  /** Close this generation to joins if it has no user; false when someone uses it (or it is gone). */
  markDeleting(fingerprint: string, callerReference: string): Promise<boolean>;
  /** Drop this generation's item once its check and alarm are gone. */
  remove(fingerprint: string, callerReference: string): Promise<void>;
  /** Every check with its users (one paginated Query). */
  list(): Promise<SharedCheckListing[]>;
}
