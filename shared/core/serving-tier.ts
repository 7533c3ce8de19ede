import type { Chain, Tier } from './chain.ts';
import { healthCheckPlaceholder, planChain, tierOfRecord } from './plan-records.ts';
import { answer, type Answer } from './route53-answer.ts';
import type { TierHealth } from './tier-health.ts';

/** The tier Route 53's answer ends on: the last record on its path that belongs to a tier. */
export function servingTier(chain: Chain, result: Answer, held: readonly string[] = []): Tier | undefined {
  for (let i = result.path.length - 1; i >= 0; i--) {
    const tier = tierOfRecord(chain, result.path[i]!, held);
    if (tier) return tier;
  }
  return undefined;
}

/** The record type a client asks for: CNAME chains are resolved for A, as browsers do. */
function queryTypeOf(chain: Chain): string {
  return chain.recordType === 'CNAME' ? 'A' : chain.recordType;
}

/**
 * What Route 53 would serve for a chain when exactly the named tiers are healthy: plans the
 * records with placeholder health check ids and runs the answer model over them. A what-if (the
 * `chains answer` command); what a built chain serves now is servedTier's.
 */
export function answerWithHealthyTiers(
  chain: Chain,
  healthyTierIds: ReadonlySet<string>,
  owner: string,
  held: readonly string[] = [],
): { answer: Answer; tier: Tier | undefined } {
  const plan = planChain(chain, { owner, held });
  const healthy = new Set<string>();
  for (const tier of chain.tiers) {
    if (!healthyTierIds.has(tier.id) || !tier.healthCheck) continue;
    healthy.add(tier.healthCheck.kind === 'existing' ? tier.healthCheck.id : healthCheckPlaceholder(tier.id));
  }
  const aliasTiers = new Map(
    chain.tiers.flatMap((tier) =>
      tier.target.kind === 'alias' ? [[tier.target.alias.DNSName, tier.id] as const] : [],
    ),
  );
  const result = answer(plan.records, healthy, chain.name, queryTypeOf(chain), {
    aliasTargetHealthy: (target) => {
      const tierId = aliasTiers.get(target.DNSName.replace(/\.$/, ''));
      return tierId === undefined || healthyTierIds.has(tierId);
    },
  });
  return { answer: result, tier: servingTier(chain, result, held) };
}

/**
 * The records as built, as status keeps them: the chain as applied, the tiers held out of its
 * records, and the health check each tier's records and alarm use (tier id to check id; the last
 * tier's check too, watched but never attached).
 */
export interface BuiltChain {
  chain: Chain;
  held: readonly string[];
  checks: Readonly<Record<string, string>>;
}

/**
 * The tier Route 53 serves from the records as built, when each tier's check is as healthy as
 * `health` says: the records are planned again from what was built (the same records, with the
 * same check ids) and Route 53's answer model runs over them. Every tier's health comes from its
 * check; an alias tier Route 53 judges from its target is taken as healthy (see TierHealth).
 */
export function servedTier(
  built: BuiltChain,
  health: Readonly<Record<string, TierHealth>>,
  owner: string,
): string {
  const { chain, held } = built;
  const plan = planChain(chain, { owner, healthCheckIds: built.checks, held });
  const healthy = new Set(
    Object.entries(built.checks).flatMap(([tierId, id]) => (health[tierId] === 'unhealthy' ? [] : [id])),
  );
  const aliasTiers = new Map(
    chain.tiers.flatMap((tier) =>
      tier.target.kind === 'alias' ? [[tier.target.alias.DNSName, tier.id] as const] : [],
    ),
  );
  const result = answer(plan.records, healthy, chain.name, queryTypeOf(chain), {
    aliasTargetHealthy: (target) => {
      const tierId = aliasTiers.get(target.DNSName.replace(/\.$/, ''));
      return tierId === undefined || health[tierId] !== 'unhealthy';
    },
  });
  return servingTier(chain, result, held)?.id ?? chain.tiers.at(-1)!.id;
}
