import { subject, type Alert } from './alerts.ts';
import type { Chain, Tier } from './chain.ts';
import { fingerprint } from './chain-status.ts';

/** What an edit of a chain's tiers changed, in words; empty when the tiers are the same. */
export function describeTierEdit(before: Chain, after: Chain): string[] {
  const ids = (chain: Chain) => chain.tiers.map((tier) => tier.id);
  const changes: string[] = [];
  const removed = ids(before).filter((id) => !ids(after).includes(id));
  const added = ids(after).filter((id) => !ids(before).includes(id));
  if (removed.length > 0) changes.push(`removed tier ${removed.join(', ')}`);
  if (added.length > 0) changes.push(`added tier ${added.join(', ')}`);
  const kept = (chain: Chain) =>
    ids(chain).filter((id) => ids(before).includes(id) && ids(after).includes(id));
  if (kept(before).join() !== kept(after).join())
    changes.push(`reordered tiers ${ids(before).join(', ')} -> ${ids(after).join(', ')}`);
  for (const tier of after.tiers) {
    const old = before.tiers.find((t) => t.id === tier.id);
    if (old && fingerprint(old.target) !== fingerprint(tier.target))
      changes.push(`${tier.id} now points at ${targetText(tier)} (was ${targetText(old)})`);
  }
  return changes;
}

/** True when an edit changes where Route 53 sends traffic: another tier serves, or the same tier elsewhere. */
export function editMovesTraffic(
  before: Chain,
  servedBefore: string | undefined,
  after: Chain,
  servedAfter: string | undefined,
): boolean {
  if (servedBefore !== servedAfter) return true;
  const target = (chain: Chain) => chain.tiers.find((tier) => tier.id === servedAfter)?.target;
  return fingerprint(target(before) ?? null) !== fingerprint(target(after) ?? null);
}

/** An edit of the row moved traffic: what changed, who changed it, and what serves now. */
export function editMovedTrafficAlert(
  chain: Chain,
  changes: readonly string[],
  from: string | undefined,
  serving: string | undefined,
  at: string,
): Alert {
  const by = chain.changedBy;
  return {
    event: 'EDIT_MOVED_TRAFFIC',
    severity: 'warning',
    chain: chain.name,
    ...(serving ? { tier: serving } : {}),
    subject: subject(chain.name, `edit moved traffic${serving ? ` to ${serving}` : ''}`),
    text: [
      `Chain ${chain.name}: an edit of its row changed where Route 53 sends traffic.`,
      ...changes.map((change) => `- ${change}`),
      `By: ${by ?? 'not recorded (set "changedBy" in the row)'}`,
      `Now serving: ${serving ?? 'unknown until the health checks report'} (was ${from ?? 'unknown'})`,
      `When: ${at}`,
      `History: chains history ${chain.name}`,
    ].join('\n'),
    at,
    detail: { changes, by: by ?? null, from: from ?? null, servingTier: serving ?? null },
  };
}

function targetText(tier: Tier): string {
  const target = tier.target;
  if (target.kind === 'hostname') return target.hostname;
  if (target.kind === 'ips') return target.ips.join(', ');
  return `alias ${target.alias.DNSName}`;
}
