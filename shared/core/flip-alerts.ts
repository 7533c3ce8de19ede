import { subject, type Alert, type AlertEvent } from './alerts.ts';
import type { Chain, Tier } from './chain.ts';
import { healthMark, type TierHealth } from './tier-health.ts';

/** A change of the serving tier (or of every tier being down), as the alarm handler saw it. */
export interface Flip {
  chain: Chain;
  from: string;
  to: string;
  /** Checked tiers that went down / came back since the last observation. */
  failed: string[];
  recovered: string[];
  health: Record<string, TierHealth>;
  allDown: boolean;
  at: string;
  /**
   * A new chain's first answer: `from` is the tier it would serve with every check healthy, which
   * never served; the chain starts on `to`.
   */
  firstAnswer?: boolean;
}

/** Which flip alert a change calls for, or undefined when it calls for none. */
export function flipEvent(flip: Flip, wasAllDown: boolean): AlertEvent | undefined {
  if (flip.allDown && !wasAllDown) return 'ALL_TIERS_DOWN';
  if (flip.from === flip.to) return undefined;
  return flip.to === flip.chain.tiers[0]?.id ? 'RECOVERED' : 'TIER_CHANGED';
}

/** The alert for a flip: a subject and lines a person reads at 3 a.m., and the JSON for programs. */
export function flipAlert(event: 'TIER_CHANGED' | 'ALL_TIERS_DOWN' | 'RECOVERED', flip: Flip): Alert {
  const { chain, from, to, at } = flip;
  const headline = {
    TIER_CHANGED: `${from} -> ${to}`,
    RECOVERED: `${from} -> ${to} (recovered)`,
    ALL_TIERS_DOWN: `all tiers down, serving ${to} blind`,
  }[event];
  const lead = {
    TIER_CHANGED: flip.firstAnswer
      ? `Chain ${chain.name} was just built and serves tier ${to}, not ${from}: Route 53 already finds ${from} failing.`
      : `Chain ${chain.name} now serves tier ${to} (was ${from}).`,
    RECOVERED: `Chain ${chain.name} is back on its first tier, ${to} (was ${from}).`,
    ALL_TIERS_DOWN: `Chain ${chain.name}: every tier's health check is failing. Route 53 serves the last tier, ${to}, without knowing it works.`,
  }[event];
  const lines = [
    lead,
    `Why: ${why(flip)}`,
    `When: ${at}`,
    `Tiers: ${chain.tiers.map((tier) => `${tier.id} ${marker(flip.health[tier.id])}${tier.id === to ? ' (serving)' : ''}`).join(', ')}`,
  ];
  const check = flip.failed.length > 0 ? flip.failed : event === 'RECOVERED' ? [] : [from];
  if (check.length > 0) {
    lines.push(`What to check: ${check.map((id) => endpoint(chain, id)).join('; ')}`);
  }
  if (flip.health[to] === 'unobserved') {
    lines.push(
      `Not observed: ${to} is an alias whose target's health Route 53 evaluates and this system cannot see; if that target is unhealthy, Route 53 serves a later tier.`,
    );
  }
  lines.push(`Status: chains status ${chain.name}`);
  return {
    event,
    severity: event === 'ALL_TIERS_DOWN' ? 'critical' : event === 'RECOVERED' ? 'info' : 'warning',
    chain: chain.name,
    tier: to,
    subject: subject(chain.name, headline),
    text: lines.join('\n'),
    at,
    detail: {
      from,
      to,
      failed: flip.failed,
      recovered: flip.recovered,
      health: flip.health,
      allDown: flip.allDown,
      ...(flip.firstAnswer ? { firstAnswer: true } : {}),
      ...(flip.health[to] === 'unobserved' ? { servingObserved: false } : {}),
    },
  };
}

/** The one alert that says a chain is flapping; later flips stay quiet until it settles. */
export function flappingAlert(flip: Flip, flips: number, windowSeconds: number): Alert {
  const { chain, at } = flip;
  return {
    event: 'FLAPPING',
    severity: 'warning',
    chain: chain.name,
    tier: flip.to,
    subject: subject(chain.name, `flapping (${flips} flips in ${Math.round(windowSeconds / 60)} min)`),
    text: [
      `Chain ${chain.name} changed its serving tier ${flips} times in ${Math.round(windowSeconds / 60)} minutes; now ${flip.from} -> ${flip.to}.`,
      `Further changes are not alerted one by one; one summary follows once it has been stable for ${Math.round(windowSeconds / 60)} minutes.`,
      `When: ${at}`,
      `What to check: ${
        flip.failed
          .concat(flip.recovered)
          .map((id) => endpoint(chain, id))
          .join('; ') || 'the health checks of every tier'
      }`,
      `History: chains history ${chain.name}`,
    ].join('\n'),
    at,
    detail: { from: flip.from, to: flip.to, flips, windowSeconds, health: flip.health },
  };
}

/** The summary after flapping: where the chain settled. */
export function settledAlert(chain: Chain, tier: string, flips: number, since: string, at: string): Alert {
  return {
    event: 'SETTLED',
    severity: tier === chain.tiers[0]?.id ? 'info' : 'warning',
    chain: chain.name,
    tier,
    subject: subject(chain.name, `settled on ${tier}`),
    text: [
      `Chain ${chain.name} stopped flapping and has served ${tier} steadily since its last change.`,
      `Flapping began ${since}; ${flips} flips were recorded in the last window.`,
      `When: ${at}`,
      `History: chains history ${chain.name}`,
    ].join('\n'),
    at,
    detail: { settledOn: tier, flips, flappingSince: since },
  };
}

function why(flip: Flip): string {
  const parts: string[] = [];
  if (flip.failed.length > 0) parts.push(`health check of ${flip.failed.join(', ')} failed`);
  if (flip.recovered.length > 0) parts.push(`health check of ${flip.recovered.join(', ')} recovered`);
  return parts.length > 0 ? parts.join('; ') : 'Route 53 health changed';
}

function marker(health: TierHealth | undefined): string {
  return healthMark(health ?? 'unchecked');
}

function endpoint(chain: Chain, tierId: string): string {
  const tier: Tier | undefined = chain.tiers.find((t) => t.id === tierId);
  if (!tier) return tierId;
  const check = tier.healthCheck;
  if (check?.kind === 'existing') return `${tierId} (health check ${check.id})`;
  if (check?.kind === 'managed') {
    const c = check.config;
    const host = c.FullyQualifiedDomainName ?? c.IPAddress ?? '?';
    return `${tierId} at ${c.Type} ${host}:${c.Port ?? ''}${c.ResourcePath ?? ''}`;
  }
  return tierId;
}
