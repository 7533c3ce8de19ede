import { activeTiers } from './active-tiers.ts';
import type { Chain } from './chain.ts';
import type { TierHealth } from './tier-health.ts';
import type { ValidationError } from './validation-error.ts';

/**
 * A drain that would leave only failing tiers serving is refused unless the row says
 * `"force": true`. A pin names its tier explicitly, so it is allowed and warned about instead.
 */
export function unsafeDrain(
  chain: Chain,
  held: readonly string[],
  health: Readonly<Record<string, TierHealth>>,
): ValidationError | undefined {
  if (chain.force || chain.pin !== undefined || chain.drain.length === 0) return undefined;
  const serving = activeTiers(chain, held);
  if (serving.some((tier) => health[tier.id] !== 'unhealthy')) return undefined;
  const down = serving.map((tier) => tier.id).join(', ');
  return {
    path: 'drain',
    message: `leaves no healthy tier serving (${down} ${serving.length === 1 ? 'is' : 'are'} down); add "force": true to the row to drain anyway`,
  };
}

/** Warnings for status and alerts: a pin ignores health checks, and may be serving a failing tier. */
export function controlWarnings(chain: Chain, health: Readonly<Record<string, TierHealth>>): string[] {
  if (chain.pin === undefined) return [];
  const warnings = [`pinned to ${chain.pin}: health checks are ignored until "pin" is removed from the row`];
  if (health[chain.pin] === 'unhealthy')
    warnings.push(`${chain.pin} is failing its health check and is served anyway`);
  return warnings;
}
