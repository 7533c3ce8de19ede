import { fitWithHash, TAG_LIMITS } from './aws-limits.ts';
import { CHAIN_DEFAULTS, type Chain, type Tier } from './chain.ts';
import { fingerprint } from './chain-status.ts';
import { alarmNamePrefix, alarmOnCheck, type AlarmSpec } from './plan-alarms.ts';
import { HEALTH_CHECK_TAGS } from './plan-health-checks.ts';
import { HEALTH_CHECK_REGIONS, type HealthCheckConfig } from './route53-types.ts';

// Chains of one deployment whose tiers probe the same endpoint with the same settings share one
// Route 53 health check and one alarm, keyed by a fingerprint of the settings. Two configs that
// compareHealthCheck calls the same must have the same fingerprint, so defaults are filled in
// the same way: every region when none are named (sorted), interval, threshold, path, SNI.

/** The tag that marks a check (and its alarm) as shared, holding its fingerprint. */
export const SHARED_TAG = 'failover-chains:shared';

/** A health check config with every default Route 53 would apply filled in, in one canonical form. */
export function normaliseHealthCheckConfig(config: HealthCheckConfig): HealthCheckConfig {
  const https = config.Type.startsWith('HTTPS');
  const tcp = config.Type === 'TCP';
  const normal: HealthCheckConfig = {
    Type: config.Type,
    ...(config.IPAddress === undefined ? {} : { IPAddress: config.IPAddress }),
    Port: config.Port ?? (https ? CHAIN_DEFAULTS.httpsPort : CHAIN_DEFAULTS.httpPort),
    ...(tcp ? {} : { ResourcePath: config.ResourcePath ?? CHAIN_DEFAULTS.path }),
    ...(config.FullyQualifiedDomainName === undefined
      ? {}
      : { FullyQualifiedDomainName: config.FullyQualifiedDomainName.toLowerCase().replace(/\.$/, '') }),
    ...(config.SearchString === undefined ? {} : { SearchString: config.SearchString }),
    RequestInterval: config.RequestInterval ?? CHAIN_DEFAULTS.requestInterval,
    FailureThreshold: config.FailureThreshold ?? CHAIN_DEFAULTS.failureThreshold,
    Regions: [...(config.Regions?.length ? config.Regions : HEALTH_CHECK_REGIONS)].sort(),
    ...(https ? { EnableSNI: config.EnableSNI ?? true } : {}),
    MeasureLatency: config.MeasureLatency ?? false,
  };
  return normal;
}

/** The short hash that names a shared check: equal settings, equal fingerprint. */
export function sharedFingerprint(config: HealthCheckConfig): string {
  return fingerprint(normaliseHealthCheckConfig(config));
}

/** What a shared check probes, for people: `HTTP 1.1.1.1:80/health`. */
export function endpointLabel(config: HealthCheckConfig): string {
  const host = config.FullyQualifiedDomainName ?? config.IPAddress ?? '?';
  const where = config.IPAddress && config.FullyQualifiedDomainName ? `${host}@${config.IPAddress}` : host;
  return `${config.Type} ${where}:${String(config.Port ?? '')}${config.ResourcePath ?? ''}`;
}

/**
 * A shared check's tags: the owner and the fingerprint prove it is this deployment's shared
 * check (it names no chain or tier: it serves many), and Name says what it probes.
 */
export function sharedCheckTags(
  owner: string,
  fp: string,
  config: HealthCheckConfig,
): Record<string, string> {
  return {
    Name: fitWithHash(`shared ${endpointLabel(config)}`, TAG_LIMITS.value, '+'),
    [HEALTH_CHECK_TAGS.owner]: owner,
    [SHARED_TAG]: fp,
  };
}

/** The fingerprint of a check these tags prove is this owner's shared check; else undefined. */
export function sharedTagFingerprint(
  owner: string,
  tags: Record<string, string> | undefined,
): string | undefined {
  if (!tags || tags[HEALTH_CHECK_TAGS.owner] !== owner) return undefined;
  if (tags[HEALTH_CHECK_TAGS.chain] !== undefined || tags[HEALTH_CHECK_TAGS.tier] !== undefined)
    return undefined;
  return tags[SHARED_TAG];
}

/** True when this tier's managed check is shared: sharing is available and the row did not opt out. */
export function sharesCheck(chain: Chain, tier: Tier, available: boolean): boolean {
  return available && chain.shared !== false && tier.healthCheck?.kind === 'managed';
}

/** One user of a shared check: a chain's tier, `<chain>/<tier>` (a tier id has no `/`). */
export function sharedUser(chain: string, tier: string): string {
  return `${chain}/${tier}`;
}

/** The chain and tier of a shared check's user. */
export function parseSharedUser(user: string): { chain: string; tier: string } {
  const slash = user.lastIndexOf('/');
  return { chain: user.slice(0, slash), tier: user.slice(slash + 1) };
}

/**
 * `failover-chains/<owner>/shared:<fingerprint>`: under the deployment's prefix, so the
 * EventBridge rule routes it, and with no `/` after it, so it never reads as a chain's alarm.
 */
export function sharedAlarmName(owner: string, fp: string, healthCheckId: string): string {
  return `${alarmNamePrefix(owner)}shared:${fp}/${healthCheckId}`;
}

/**
 * The fingerprint and check a shared alarm's name holds; undefined for any other name. The check
 * id makes each generation of a shared check (one deleted and made again) an alarm of its own,
 * so a slow deletion of the old one never deletes the new one's.
 */
export function parseSharedAlarm(owner: string, name: string): { fp: string; id: string } | undefined {
  const prefix = `${alarmNamePrefix(owner)}shared:`;
  if (!name.startsWith(prefix)) return undefined;
  const match = /^([0-9a-f]{16})\/([^/]+)$/.exec(name.slice(prefix.length));
  return match ? { fp: match[1]!, id: match[2]! } : undefined;
}

/** The fingerprint named by a shared alarm's name; undefined for any other name. */
export function parseSharedAlarmName(owner: string, name: string): string | undefined {
  return parseSharedAlarm(owner, name)?.fp;
}

/** The alarm on a shared check: the same as a chain's (see planAlarm), naming the endpoint instead of a chain. */
export function planSharedAlarm(
  owner: string,
  fp: string,
  healthCheckId: string,
  config: HealthCheckConfig,
): AlarmSpec {
  return alarmOnCheck(
    sharedAlarmName(owner, fp, healthCheckId),
    `failover-chains: health of ${endpointLabel(config)}, shared by every chain that probes it (shared=${fp})`.slice(
      0,
      1024,
    ),
    healthCheckId,
  );
}
