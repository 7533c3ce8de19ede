import type { Chain, Tier } from './chain.ts';
import { healthCheckPlaceholder, planChain, tierOfRecord } from './plan-records.ts';
import { answer, type Answer } from './route53-answer.ts';

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
 * records with placeholder health check ids and runs the answer model over them.
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
