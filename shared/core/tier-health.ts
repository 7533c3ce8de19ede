import type { Chain } from './chain.ts';

/**
 * A tier's health as the system last saw it. `unobserved`: a non-last alias tier that lets
 * Route 53 evaluate its target's health and has no check of its own: Route 53 knows whether it
 * is healthy, this system cannot, so it never claims that tier serves for certain.
 */
export type TierHealth = 'healthy' | 'unhealthy' | 'unchecked' | 'unobserved';

/** True for a tier whose health Route 53 judges from an alias target this system cannot see. */
export function isUnobserved(chain: Chain, tier: Chain['tiers'][number]): boolean {
  return (
    !tier.healthCheck &&
    tier !== chain.tiers.at(-1) &&
    tier.target.kind === 'alias' &&
    tier.target.alias.EvaluateTargetHealth
  );
}

/** The marker people read for a tier's health. */
export function healthMark(health: TierHealth): string {
  return { unhealthy: 'DOWN', healthy: 'up', unchecked: 'unchecked', unobserved: 'not observed' }[health];
}

/** CloudWatch alarm states, as the alarm on a tier's health check reports them. */
export type AlarmState = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

/**
 * Health of every tier from its alarm. OK is healthy and ALARM unhealthy. INSUFFICIENT_DATA
 * (a new check, or a metric gap) is no news: the tier keeps the health last seen, and a tier
 * never seen is healthy, as Route 53 treats a new health check. A tier without a check is
 * `unchecked`, which Route 53 counts as healthy.
 */
export function tierHealthFromAlarms(
  chain: Chain,
  alarmStates: ReadonlyMap<string, AlarmState>,
  previous: Readonly<Record<string, TierHealth>> = {},
): Record<string, TierHealth> {
  const health = completeHealth(chain, previous);
  for (const tier of chain.tiers) {
    const state = tier.healthCheck ? alarmStates.get(tier.id) : undefined;
    if (state === 'OK') health[tier.id] = 'healthy';
    else if (state === 'ALARM') health[tier.id] = 'unhealthy';
  }
  return health;
}

/** Health of every tier, filling in what was never observed: checked tiers start healthy, as in Route 53. */
export function completeHealth(
  chain: Chain,
  known: Readonly<Record<string, TierHealth>> = {},
): Record<string, TierHealth> {
  return Object.fromEntries(
    chain.tiers.map((tier) => [
      tier.id,
      isUnobserved(chain, tier)
        ? 'unobserved'
        : !tier.healthCheck
          ? 'unchecked'
          : known[tier.id] === 'unhealthy'
            ? 'unhealthy'
            : 'healthy',
    ]),
  );
}

/** Tier ids Route 53 counts as healthy (unchecked tiers included; unobserved ones assumed so). */
export function healthyTierIds(health: Readonly<Record<string, TierHealth>>): Set<string> {
  return new Set(Object.entries(health).flatMap(([id, value]) => (value === 'unhealthy' ? [] : [id])));
}

/**
 * Every tier is down and checked: the last tier is being served blind. A chain whose last tier
 * has no check is never "all down"; its last tier is the planned last resort.
 */
export function allTiersDown(chain: Chain, health: Readonly<Record<string, TierHealth>>): boolean {
  return chain.tiers.every((tier) => health[tier.id] === 'unhealthy');
}
