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

/** What one health check's alarm says: its state, since when, and the check its metric watches. */
export interface AlarmReading {
  state: AlarmState;
  /** When the state last changed (StateUpdatedTimestamp). */
  at?: string;
  /** The HealthCheckId dimension of the alarm's metric. */
  checkId?: string;
  /** When the alarm's settings last changed (AlarmConfigurationUpdatedTimestamp). */
  configuredAt?: string;
}

/** The health last seen of one health check, and when its alarm said so. */
export interface CheckHealth {
  health: 'healthy' | 'unhealthy';
  at?: string;
}

/**
 * Health last seen of each check `checks` names (tier id to check id), updated from the checks'
 * alarms (`readings`, by tier). OK is healthy and ALARM unhealthy. INSUFFICIENT_DATA (a new check,
 * or a metric gap) is no news: the check keeps the health last seen for it, and a check never seen
 * has no entry, so it counts as healthy, as Route 53 treats a new health check. A reading is no news
 * either when it is older than what was seen, when the alarm watches another check, or when its
 * state is no newer than its settings (a tier's alarm moved to the tier's new check keeps the old
 * check's state until CloudWatch evaluates it again). Health is kept per check, never per tier: a
 * tier that changes checks does not carry the old check's health to the new one.
 */
export function checkHealthFromAlarms(
  checks: Readonly<Record<string, string>>,
  readings: ReadonlyMap<string, AlarmReading>,
  previous: Readonly<Record<string, CheckHealth>> = {},
): Record<string, CheckHealth> {
  const health: Record<string, CheckHealth> = {};
  for (const id of Object.values(checks)) if (previous[id]) health[id] = { ...previous[id] };
  for (const [tierId, id] of Object.entries(checks)) {
    const reading = readings.get(tierId);
    if (!reading || reading.state === 'INSUFFICIENT_DATA') continue;
    if (reading.checkId !== undefined && reading.checkId !== id) continue;
    if (reading.at !== undefined && reading.configuredAt !== undefined && reading.at <= reading.configuredAt)
      continue;
    const seen = health[id]?.at;
    if (seen !== undefined && reading.at !== undefined && reading.at < seen) continue;
    health[id] = {
      health: reading.state === 'OK' ? 'healthy' : 'unhealthy',
      ...(reading.at === undefined ? {} : { at: reading.at }),
    };
  }
  return health;
}

/**
 * Health of every tier from the health of the check it uses (`checks`, tier id to check id): a
 * checked tier whose check was never seen is healthy, as in Route 53; a tier without a check is
 * `unchecked` (or `unobserved`, see isUnobserved).
 */
export function tierHealthOf(
  chain: Chain,
  checks: Readonly<Record<string, string>>,
  health: Readonly<Record<string, CheckHealth>>,
): Record<string, TierHealth> {
  const known = Object.fromEntries(
    Object.entries(checks).flatMap(([tierId, id]) => (health[id] ? [[tierId, health[id].health]] : [])),
  );
  return completeHealth(chain, known);
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

/**
 * Every tier is down and checked: the last tier is being served blind. A chain whose last tier
 * has no check is never "all down"; its last tier is the planned last resort.
 */
export function allTiersDown(chain: Chain, health: Readonly<Record<string, TierHealth>>): boolean {
  return chain.tiers.every((tier) => health[tier.id] === 'unhealthy');
}
