import type { Alert, AlertEvent } from '../core/alerts.ts';
import type { Chain } from '../core/chain.ts';
import type { ChainStatus, HistoryEntry } from '../core/chain-status.ts';
import { failbackPendingAlert } from '../core/control-alerts.ts';
import { hasSettled, recordFlip, type FlapSettings } from '../core/flap-guard.ts';
import { flappingAlert, flipAlert, flipEvent, settledAlert, type Flip } from '../core/flip-alerts.ts';
import { answerWithHealthyTiers } from '../core/serving-tier.ts';
import {
  allTiersDown,
  healthyTierIds,
  tierHealthFromAlarms,
  type AlarmState,
  type TierHealth,
} from '../core/tier-health.ts';

/** What the alarm handler read: the chain as applied, its status and its alarms' states. */
export interface ServingInput {
  chain: Chain;
  stored: ChainStatus;
  states: ReadonlyMap<string, AlarmState>;
  /** Newest alarm state change among the chain's alarms (epoch 0 when none). */
  observedAt: string;
  now: string;
  owner: string;
  flap: FlapSettings;
}

/** The status to write, what serves, and what to tell people and record. */
export interface ServingDecision {
  next: ChainStatus;
  to: string;
  event: AlertEvent | undefined;
  alerts: Alert[];
  history: HistoryEntry | undefined;
}

/**
 * Decide, from alarm states alone, which tier Route 53 serves, the status that records it, and
 * the alerts: flips through the flap guard (a held tier's recovery counts as news too), the
 * summary of a flapping chain that settled, and a pending failback. Pure.
 */
export function decideServing(input: ServingInput): ServingDecision {
  const { chain, stored, flap } = input;
  const health = tierHealthFromAlarms(chain, input.states, stored.tierHealth);
  const held = chain.failback === 'manual' ? (stored.heldTiers ?? []) : [];
  const to =
    answerWithHealthyTiers(chain, healthyTierIds(health), input.owner, held).tier?.id ??
    chain.tiers.at(-1)!.id;
  const from = stored.servingTier ?? chain.tiers[0]!.id;
  const before = stored.tierHealth ?? {};
  const flip: Flip = {
    chain,
    from,
    to,
    failed: chain.tiers
      .filter((t) => health[t.id] === 'unhealthy' && before[t.id] !== 'unhealthy')
      .map((t) => t.id),
    recovered: chain.tiers
      .filter((t) => health[t.id] === 'healthy' && before[t.id] === 'unhealthy')
      .map((t) => t.id),
    health,
    allDown: allTiersDown(chain, health),
    at: input.observedAt > new Date(0).toISOString() ? input.observedAt : input.now,
  };
  const next: ChainStatus = {
    ...structuredClone(stored),
    servingTier: to,
    tierHealth: health,
    allDown: flip.allDown,
    healthObservedAt: input.observedAt,
  };
  const event = flipEvent(flip, stored.allDown ?? false);
  const alerts: Alert[] = [];
  let pending: string[] = [];
  if (chain.failback === 'manual') {
    // Traffic left a failing tier: keep it out of the chain until an operator fails back.
    if (from !== to && health[from] === 'unhealthy' && !held.includes(from)) next.heldTiers = [...held, from];
    pending = flip.recovered.filter((id) => held.includes(id));
  }
  const flapState = { flips: stored.flips ?? [], flappingSince: stored.flappingSince };
  if (event || pending.length > 0) {
    const guard = recordFlip(flapState, flip.at, flap);
    next.flips = guard.state.flips;
    if (guard.state.flappingSince) next.flappingSince = guard.state.flappingSince;
    else delete next.flappingSince;
    if (guard.settled) {
      alerts.push(settledAlert(chain, from, flapState.flips.length, stored.flappingSince!, flip.at));
      alerts.push(...waitingFailback(chain, held, before, from, flip.at));
    }
    if (guard.decision.alert === 'flip') {
      if (event) alerts.push(flipAlert(event as Parameters<typeof flipAlert>[0], flip));
      if (pending.length > 0) alerts.push(failbackPendingAlert(chain, pending, to, flip.at));
    }
    if (guard.decision.alert === 'flapping')
      alerts.push(flappingAlert(flip, guard.state.flips.length, flap.windowSeconds));
  } else if (hasSettled(flapState, input.now, flap)) {
    alerts.push(settledAlert(chain, to, stored.flips?.length ?? 0, stored.flappingSince!, input.now));
    alerts.push(...waitingFailback(chain, held, health, to, input.now));
    delete next.flappingSince;
    next.flips = [];
  }
  const history: HistoryEntry | undefined = event && {
    chain: chain.name,
    at: flip.at,
    event,
    from,
    to,
    failed: flip.failed,
    recovered: flip.recovered,
    ...(health[to] === 'unobserved' ? { toUnobserved: true } : {}),
  };
  return { next, to, event, alerts, history };
}

/**
 * Held tiers that are healthy, announced when a flapping chain settles: their recoveries were
 * held back by the flap guard, and traffic waits for `chains failback`.
 */
function waitingFailback(
  chain: Chain,
  held: readonly string[],
  health: Readonly<Record<string, TierHealth>>,
  serving: string,
  at: string,
): Alert[] {
  const ready = held.filter((id) => health[id] === 'healthy');
  return chain.failback === 'manual' && ready.length > 0
    ? [failbackPendingAlert(chain, ready, serving, at)]
    : [];
}
