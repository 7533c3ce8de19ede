import { fitWithHash, TAG_LIMITS } from './aws-limits.ts';
import type { HealthCheckConfig } from './route53-types.ts';
import { HEALTH_CHECK_REGIONS } from './route53-types.ts';

/** What it takes to turn an existing health check into the desired one. */
export type HealthCheckChange =
  | { kind: 'same' }
  | {
      kind: 'update';
      config: HealthCheckConfig;
      resetElements: ('FullyQualifiedDomainName' | 'Regions' | 'ResourcePath')[];
    }
  | { kind: 'replace'; reason: string };

// UpdateHealthCheck can change these; Type, RequestInterval and MeasureLatency are fixed at creation.
const IMMUTABLE = ['Type', 'RequestInterval', 'MeasureLatency'] as const;
const RESETTABLE = ['FullyQualifiedDomainName', 'Regions', 'ResourcePath'] as const;
const COMPARED = [
  'IPAddress',
  'Port',
  'ResourcePath',
  'FullyQualifiedDomainName',
  'SearchString',
  'FailureThreshold',
  'Regions',
  'EnableSNI',
] as const;

/**
 * Compare a desired check with Route 53's: the same, updatable in place (UpdateHealthCheck with
 * HealthCheckVersion), or needing a new check made before the old one is dropped.
 */
export function compareHealthCheck(
  desired: HealthCheckConfig,
  observed: HealthCheckConfig,
): HealthCheckChange {
  for (const field of IMMUTABLE) {
    const want = field === 'MeasureLatency' ? (desired[field] ?? false) : desired[field];
    const have = field === 'MeasureLatency' ? (observed[field] ?? false) : observed[field];
    if (want !== have) return { kind: 'replace', reason: `${field} cannot change in place` };
  }
  if (desired.IPAddress === undefined && observed.IPAddress !== undefined) {
    return { kind: 'replace', reason: 'IPAddress cannot be removed in place' };
  }
  if (desired.SearchString === undefined && observed.SearchString !== undefined) {
    return { kind: 'replace', reason: 'SearchString cannot be removed in place' };
  }
  const resetElements: (typeof RESETTABLE)[number][] = [];
  let differs = false;
  for (const field of COMPARED) {
    const want = normalise(field, desired[field]);
    const have = normalise(field, observed[field]);
    if (want === have) continue;
    if (desired[field] === undefined) {
      if (field === 'EnableSNI') continue;
      if ((RESETTABLE as readonly string[]).includes(field))
        resetElements.push(field as (typeof RESETTABLE)[number]);
    }
    differs = true;
  }
  // A check switched off or inverted by hand would silently stop failing over: switch it back.
  if (observed.Inverted === true || observed.Disabled === true) differs = true;
  if (!differs) return { kind: 'same' };
  return { kind: 'update', config: { ...desired, Inverted: false, Disabled: false }, resetElements };
}

function normalise(field: string, value: unknown): string {
  if (field === 'Regions') {
    const regions =
      Array.isArray(value) && value.length > 0
        ? [...(value as string[])].sort()
        : [...HEALTH_CHECK_REGIONS].sort();
    return JSON.stringify(regions);
  }
  return JSON.stringify(value ?? null);
}

/** Tag keys that prove, from Route 53 alone, which deployment, chain and tier a check serves. */
export const HEALTH_CHECK_TAGS = {
  owner: 'failover-chains:owner',
  chain: 'failover-chains:chain',
  tier: 'failover-chains:tier',
} as const;

/**
 * The tags a managed health check (and its alarm) carries, including a readable Name for the
 * console: `<chain> <tier>`, the chain name shortened with a hash when the whole would pass
 * the 256 characters a tag value may hold. The chain tag holds the whole name (at most 253).
 */
export function healthCheckTags(owner: string, chainName: string, tierId: string): Record<string, string> {
  return {
    Name: `${fitWithHash(chainName, TAG_LIMITS.value - tierId.length - 1, '+')} ${tierId}`,
    [HEALTH_CHECK_TAGS.owner]: owner,
    [HEALTH_CHECK_TAGS.chain]: chainName,
    [HEALTH_CHECK_TAGS.tier]: tierId,
  };
}
