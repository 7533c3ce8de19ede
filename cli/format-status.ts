import { activeTiers } from '../shared/core/active-tiers.ts';
import type { Chain, Tier } from '../shared/core/chain.ts';
import type { ChainStatus } from '../shared/core/chain-status.ts';
import { levelName } from '../shared/core/dns-name.ts';
import { healthMark, isUnobserved, type TierHealth } from '../shared/core/tier-health.ts';

/** One line per chain: name, state, serving tier, health of every tier, last error. */
export function formatStatusTable(statuses: readonly ChainStatus[]): string {
  const rows = statuses.map((s) => [
    s.name,
    s.state,
    s.servingTier ? `${s.servingTier}${unobserved(s) ? '?' : ''}` : '-',
    (s.tiers ?? Object.keys(s.tierHealth ?? {}))
      .flatMap((tier) => {
        const health = observedHealth(s)[tier];
        return health ? [`${tier}:${mark(health)}`] : [];
      })
      .join(' ') || '-',
    s.errors[0] ?? '',
  ]);
  const header = ['CHAIN', 'STATE', 'SERVING', 'HEALTH', 'LAST ERROR'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  return [header, ...rows]
    .map((r) =>
      r
        .map((cell, i) => cell.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** A chain drawn as the tree of records Route 53 holds, with health and the serving tier marked. */
export function formatChainTree(chain: Chain | undefined, status: ChainStatus): string {
  const lines = [
    `${status.name}  ${status.state}  serving: ${status.servingTier ?? 'unknown'}${status.allDown ? '  ALL TIERS DOWN' : ''}`,
  ];
  if (unobserved(status)) {
    lines.push(
      `  ? ${status.servingTier ?? ''} is not observed (an alias that lets Route 53 evaluate its target's health, no health check): if that target is unhealthy, Route 53 serves a later tier`,
    );
  }
  for (const error of status.errors) lines.push(`  ! ${error}`);
  for (const warning of status.warnings ?? []) lines.push(`  ! ${warning}`);
  if (status.flappingSince) lines.push(`  ~ flapping since ${status.flappingSince}`);
  if (status.controls?.drain.length) lines.push(`  ~ drained: ${status.controls.drain.join(', ')}`);
  if (status.heldTiers?.length) lines.push(`  ~ held for manual failback: ${status.heldTiers.join(', ')}`);
  if (!chain) return lines.join('\n');
  const health = observedHealth(status);
  // The records as built: a tier just held stays in them until the rebuild that follows.
  const tiers = activeTiers(chain, status.built?.held ?? status.heldTiers);
  const tierLine = (tier: Tier) => {
    const target =
      tier.target.kind === 'hostname'
        ? tier.target.hostname
        : tier.target.kind === 'ips'
          ? tier.target.ips.join(',')
          : `alias ${tier.target.alias.DNSName}`;
    // A checked tier whose health was never observed (a chain not built yet) is unknown, not up.
    const state = health[tier.id] ?? (tier.healthCheck ? undefined : 'unchecked');
    return `${tier.id}  ${target}  [${state ? mark(state) : 'unknown'}]${status.servingTier === tier.id ? '  <- serving' : ''}`;
  };
  lines.push(levelName(chain.name, 0));
  if (tiers.length === 1) {
    lines.push(`└── pinned: ${tierLine(tiers[0]!)}`);
    return lines.join('\n');
  }
  const last = tiers.length - 1;
  for (let level = 0; level < last; level++) {
    const indent = '    '.repeat(level);
    lines.push(`${indent}├── primary: ${tierLine(tiers[level]!)}`);
    if (level === last - 1) lines.push(`${indent}└── secondary: ${tierLine(tiers[last]!)}`);
    else lines.push(`${indent}└── secondary: ${levelName(chain.name, level + 1)}`);
  }
  return lines.join('\n');
}

/**
 * Each tier's health, once any of the chain's checks has been heard from (an alarm with news, or
 * the alarm handler's look); before that a checked tier's health is unknown, not up.
 */
function observedHealth(status: ChainStatus): Readonly<Record<string, TierHealth>> {
  const heard = Object.keys(status.checkHealth ?? {}).length > 0 || status.healthObservedAt !== undefined;
  return heard ? (status.tierHealth ?? {}) : {};
}

function mark(health: TierHealth): string {
  return healthMark(health);
}

/** The recorded serving tier is one whose health this system cannot see. */
function unobserved(status: ChainStatus): boolean {
  const tier = status.applied?.tiers.find((t) => t.id === status.servingTier);
  return tier !== undefined && isUnobserved(status.applied!, tier);
}
