import type { Chain, Tier } from './chain.ts';

/**
 * The tiers the built chain serves, in order. A pinned chain serves its pinned tier alone;
 * otherwise drained tiers and tiers held out for manual failback are left out. Held tiers are
 * kept if leaving them out would leave nothing to serve (validation ensures drain never does).
 */
export function activeTiers(chain: Chain, held: readonly string[] = []): Tier[] {
  if (chain.pin !== undefined) return chain.tiers.filter((tier) => tier.id === chain.pin);
  const undrained = chain.tiers.filter((tier) => !chain.drain.includes(tier.id));
  const unheld = undrained.filter((tier) => !held.includes(tier.id));
  return unheld.length > 0 ? unheld : undrained;
}
