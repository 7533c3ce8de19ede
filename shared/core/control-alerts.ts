import { subject, type Alert } from './alerts.ts';
import type { Chain } from './chain.ts';
import type { ChainStatus } from './chain-status.ts';

/** The operator controls of a chain as applied. */
export type Controls = NonNullable<ChainStatus['controls']>;

/** The controls a chain row asks for. */
export function controlsOf(chain: Chain): Controls {
  return {
    drain: [...chain.drain].sort(),
    ...(chain.pin ? { pin: chain.pin } : {}),
    failback: chain.failback,
  };
}

/** What changed between two sets of controls, in words; empty when nothing did. */
export function describeControlChange(before: Controls | undefined, after: Controls): string[] {
  const previous: Controls = before ?? { drain: [], failback: 'auto' };
  const changes: string[] = [];
  const drained = after.drain.filter((id) => !previous.drain.includes(id));
  const undrained = previous.drain.filter((id) => !after.drain.includes(id));
  if (drained.length > 0) changes.push(`drained ${drained.join(', ')}`);
  if (undrained.length > 0) changes.push(`returned ${undrained.join(', ')} from drain`);
  if (after.pin !== previous.pin)
    changes.push(after.pin ? `pinned to ${after.pin}` : `unpinned ${previous.pin ?? ''}`.trim());
  if (after.failback !== previous.failback) changes.push(`failback set to ${after.failback}`);
  return changes;
}

/** An operator moved traffic on purpose (or changed how it returns): say what changed and what serves now. */
export function controlChangedAlert(
  chain: Chain,
  changes: readonly string[],
  serving: string | undefined,
  by: string | undefined,
  warnings: readonly string[],
  at: string,
): Alert {
  return {
    event: 'CONTROL_CHANGED',
    severity: 'warning',
    chain: chain.name,
    ...(serving ? { tier: serving } : {}),
    subject: subject(chain.name, `${changes.join('; ')}${serving ? `, serving ${serving}` : ''}`),
    text: [
      `Operator control changed on chain ${chain.name}: ${changes.join('; ')}.`,
      `By: ${by ?? 'not recorded (set "changedBy" in the row, as chains drain/pin/failback do)'}`,
      `Now serving: ${serving ?? 'unknown until the health checks report'}`,
      ...warnings.map((warning) => `Warning: ${warning}`),
      `When: ${at}`,
      'The records were rebuilt in one atomic change batch. Status: chains status ' + chain.name,
    ].join('\n'),
    at,
    detail: { changes, by: by ?? null, servingTier: serving ?? null, warnings },
  };
}

/** A held tier is healthy again; traffic stays away from it until an operator fails back. */
export function failbackPendingAlert(
  chain: Chain,
  tiers: readonly string[],
  serving: string,
  at: string,
): Alert {
  return {
    event: 'FAILBACK_PENDING',
    severity: 'info',
    chain: chain.name,
    tier: serving,
    subject: subject(chain.name, `${tiers.join(', ')} healthy again, failback pending`),
    text: [
      `Chain ${chain.name}: ${tiers.join(', ')} passed its health check again, but failback is manual.`,
      `Traffic stays on ${serving} until you run: chains failback ${chain.name}${tiers.length === 1 ? ` --tier ${tiers[0] ?? ''}` : ''}`,
      `When: ${at}`,
    ].join('\n'),
    at,
    detail: { pending: tiers, servingTier: serving },
  };
}
