import { activeTiers } from './active-tiers.ts';
import type { Chain, Tier } from './chain.ts';
import { levelName, normalizeName, toFqdn } from './dns-name.ts';
import type { HealthCheckConfig, ResourceRecordSet } from './route53-types.ts';
import { parseSetIdentifier, setIdentifierFor } from './set-identifier.ts';

/** Deployment settings the planner needs. */
export interface PlanOptions {
  owner: string;
  /** Real ids of the managed health checks by tier id; missing ones become `tier:<id>` placeholders. */
  healthCheckIds?: Readonly<Record<string, string>>;
  /** Tiers held out of the chain until an operator fails back (manual failback; kept in status). */
  held?: readonly string[];
}

/** A health check the chain wants: managed from a config, or the user's own, by id. */
export type PlannedHealthCheck = {
  tierId: string;
  /** False for the last tier: watched for alerts, never attached, so the chain always answers. */
  attached: boolean;
} & ({ kind: 'managed'; config: HealthCheckConfig } | { kind: 'existing'; id: string });

/** The desired state of one chain in Route 53. */
export interface ChainPlan {
  healthChecks: PlannedHealthCheck[];
  records: ResourceRecordSet[];
}

/** Placeholder HealthCheckId for a managed check that does not exist yet. */
export function healthCheckPlaceholder(tierId: string): string {
  return `tier:${tierId}`;
}

/**
 * Plan the nested failover pairs of a chain. Level k (name, backup.name, backup2.name, ...)
 * is a PRIMARY to tier k with its health check, and a SECONDARY to the next level, or to the
 * last tier at the last level. CNAME chains nest with CNAMEs; A/AAAA chains with alias
 * records (EvaluateTargetHealth) to the next level in the same zone.
 */
export function planChain(chain: Chain, options: PlanOptions): ChainPlan {
  const tiers = activeTiers(chain, options.held);
  const lastIndex = tiers.length - 1;
  if (chain.pin === undefined && lastIndex === 0) {
    // Every other tier is drained or held: the one left is served as a pinned chain would be.
    return planChain({ ...chain, pin: tiers[0]!.id }, options);
  }
  // Every tier keeps its health check, drained, held or pinned, so its health stays known.
  const healthChecks: PlannedHealthCheck[] = [];
  for (const tier of chain.tiers) {
    if (!tier.healthCheck) continue;
    const position = tiers.indexOf(tier);
    const attached = chain.pin === undefined && position >= 0 && position < lastIndex;
    healthChecks.push(
      tier.healthCheck.kind === 'managed'
        ? { tierId: tier.id, attached, kind: 'managed', config: tier.healthCheck.config }
        : { tierId: tier.id, attached, kind: 'existing', id: tier.healthCheck.id },
    );
  }

  if (chain.pin !== undefined) {
    // A plain answer that still carries our set identifier: a lone weighted record is served
    // whatever any health check says, and ownership stays provable from Route 53.
    const value = tierValue(chain, tiers[0]!);
    const record: ResourceRecordSet = {
      Name: toFqdn(chain.name),
      Type: chain.recordType,
      SetIdentifier: setIdentifierFor({ owner: options.owner, level: 0, role: 'PINNED' }),
      Weight: 1,
      ...(value.AliasTarget ? { AliasTarget: { ...value.AliasTarget, EvaluateTargetHealth: false } } : value),
    };
    return { healthChecks, records: [record] };
  }

  const records: ResourceRecordSet[] = [];
  for (let level = 0; level < lastIndex; level++) {
    const name = toFqdn(levelName(chain.name, level));
    const primaryTier = tiers[level]!;
    const healthCheckId = healthCheckIdOf(primaryTier, options);
    records.push({
      Name: name,
      Type: chain.recordType,
      SetIdentifier: setIdentifierFor({ owner: options.owner, level, role: 'PRIMARY' }),
      Failover: 'PRIMARY',
      ...tierValue(chain, primaryTier),
      ...(healthCheckId === undefined ? {} : { HealthCheckId: healthCheckId }),
    });
    records.push({
      Name: name,
      Type: chain.recordType,
      SetIdentifier: setIdentifierFor({ owner: options.owner, level, role: 'SECONDARY' }),
      Failover: 'SECONDARY',
      ...(level === lastIndex - 1 ? lastTierValue(chain, tiers[lastIndex]!) : nextLevel(chain, level + 1)),
    });
  }
  return { healthChecks, records };
}

/** Which tier a record of this chain sends traffic to, or undefined for a nesting record. */
export function tierOfRecord(
  chain: Chain,
  record: ResourceRecordSet,
  held: readonly string[] = [],
): Tier | undefined {
  const parts = parseSetIdentifier(record.SetIdentifier);
  if (!parts || normalizeName(record.Name) !== levelName(chain.name, parts.level)) return undefined;
  const tiers = activeTiers(chain, held);
  if (parts.role === 'PINNED') return tiers.length === 1 ? tiers[0] : undefined;
  if (parts.role === 'PRIMARY') return tiers[parts.level];
  return parts.level === tiers.length - 2 ? tiers.at(-1) : undefined;
}

function healthCheckIdOf(tier: Tier, options: PlanOptions): string | undefined {
  if (!tier.healthCheck) return undefined;
  if (tier.healthCheck.kind === 'existing') return tier.healthCheck.id;
  return options.healthCheckIds?.[tier.id] ?? healthCheckPlaceholder(tier.id);
}

function tierValue(
  chain: Chain,
  tier: Tier,
): Pick<ResourceRecordSet, 'TTL' | 'ResourceRecords' | 'AliasTarget'> {
  switch (tier.target.kind) {
    case 'hostname':
      return { TTL: chain.ttl, ResourceRecords: [{ Value: toFqdn(tier.target.hostname) }] };
    case 'ips':
      return { TTL: chain.ttl, ResourceRecords: tier.target.ips.map((ip) => ({ Value: ip })) };
    case 'alias':
      return { AliasTarget: { ...tier.target.alias, DNSName: toFqdn(tier.target.alias.DNSName) } };
  }
}

/**
 * The last tier is served blind when every other tier is down, so its record carries neither a
 * health check nor target-health evaluation: with either, Route 53 could find the whole chain
 * unhealthy and answer with the first tier again.
 */
function lastTierValue(
  chain: Chain,
  tier: Tier,
): Pick<ResourceRecordSet, 'TTL' | 'ResourceRecords' | 'AliasTarget'> {
  const value = tierValue(chain, tier);
  return value.AliasTarget ? { AliasTarget: { ...value.AliasTarget, EvaluateTargetHealth: false } } : value;
}

function nextLevel(
  chain: Chain,
  level: number,
): Pick<ResourceRecordSet, 'TTL' | 'ResourceRecords' | 'AliasTarget'> {
  const target = toFqdn(levelName(chain.name, level));
  if (chain.recordType === 'CNAME') return { TTL: chain.ttl, ResourceRecords: [{ Value: target }] };
  return { AliasTarget: { HostedZoneId: chain.hostedZoneId, DNSName: target, EvaluateTargetHealth: true } };
}
