import { activeTiers } from '../core/active-tiers.ts';
import type { Alert, AlertEvent } from '../core/alerts.ts';
import type { Chain } from '../core/chain.ts';
import type { ChainStatus, HistoryEntry } from '../core/chain-status.ts';
import { failbackPendingAlert } from '../core/control-alerts.ts';
import { FLAP_DEFAULTS, hasSettled, recordFlip, type FlapSettings } from '../core/flap-guard.ts';
import { flappingAlert, flipAlert, flipEvent, settledAlert, type Flip } from '../core/flip-alerts.ts';
import { servedTier, type BuiltChain } from '../core/serving-tier.ts';
import { servingTierMetric } from '../core/serving-metric.ts';
import {
  allTiersDown,
  checkHealthFromAlarms,
  completeHealth,
  tierHealthOf,
  type AlarmReading,
  type AlarmState,
  type CheckHealth,
  type TierHealth,
} from '../core/tier-health.ts';
import type { ObservedAlarm, ReconcileDeps } from '../ports.ts';
import type { Announced } from './announce-changes.ts';

// The one place that decides which tier Route 53 serves for a chain, and what to tell people
// about it. Whatever may have changed the answer (a build, a chain's own alarm, a shared check's
// alarm, a full run) calls decideServing with the records as built and what the checks' alarms
// say; nothing carries the serving tier forward from the last thing the system did.

/** An alert and/or history entry, in the order they go into the status's outbox. */
export interface OutboxContent {
  alert?: Alert;
  history?: HistoryEntry;
}

/** What may have changed the serving tier, and what the checks' alarms say now. */
export interface ServingInput {
  /** The status before the change: what served, the health seen, the flap guard, the held tiers. */
  stored: ChainStatus;
  /** The status the change leaves, still to get its serving tier (`stored` after an alarm). */
  base: ChainStatus;
  /** The records as built now. */
  built: BuiltChain;
  /** The records as built before the change (the same as `built` after an alarm; none: a new chain). */
  builtBefore: BuiltChain | undefined;
  /** Each tier's alarm, by tier id. */
  readings: ReadonlyMap<string, AlarmReading>;
  /** When the change happened: the alarm's time, or the build's. */
  at: string;
  /**
   * The newest alarm state change the alarm handler read, recorded so that an older observation
   * is dropped (a build records none: it reads the alarms only to know the checks' health).
   */
  observedAt?: string;
  now: string;
  owner: string;
  flap: FlapSettings;
  /**
   * A build's own news (an operator's control, an edit that moved traffic), given the tier and
   * health after it. When there is some, its alert is the one that tells of any move.
   */
  announce?: (serving: string, health: Readonly<Record<string, TierHealth>>) => Announced | undefined;
  /**
   * False: a flapping chain quiet for a whole window is not summed up here (a build leaves the
   * SETTLED summary to the alarm handler and the schedule's check of flapping chains).
   */
  settle?: boolean;
}

/** The status to write, what serves, and what to tell people and record. */
export interface ServingDecision {
  next: ChainStatus;
  to: string;
  /** The flip alert's event (a change of serving tier, or every tier down), when there is one. */
  event: AlertEvent | undefined;
  /** What goes into the outbox with the status, in order. */
  outbox: OutboxContent[];
  alerts: Alert[];
  /** Manual failback now holds a tier the records still include: they must be built again. */
  rebuild: boolean;
}

/**
 * The records as built, from status: the chain applied, the tiers held out, the check of each
 * tier. Undefined for a chain never built. A status written before `built` was kept gives the
 * held tiers and check ids it knows.
 */
export function builtOf(status: ChainStatus): BuiltChain | undefined {
  const chain = status.applied;
  if (!chain) return undefined;
  if (status.built) return { chain, held: status.built.held, checks: status.built.checks };
  const checks: Record<string, string> = {};
  for (const tier of chain.tiers) {
    const check = tier.healthCheck;
    const id = check?.kind === 'existing' ? check.id : check ? status.healthChecks[tier.id]?.id : undefined;
    if (id !== undefined) checks[tier.id] = id;
  }
  return { chain, held: chain.failback === 'manual' ? (status.heldTiers ?? []) : [], checks };
}

/** The check each tier of a chain uses, from the ids its managed checks got (a user's own by id). */
export function checksOf(chain: Chain, managedIds: Readonly<Record<string, string>>): Record<string, string> {
  const checks: Record<string, string> = {};
  for (const tier of chain.tiers) {
    const check = tier.healthCheck;
    const id = check?.kind === 'existing' ? check.id : check ? managedIds[tier.id] : undefined;
    if (id !== undefined) checks[tier.id] = id;
  }
  return checks;
}

/** What each tier's alarm says (`alarmsByTier`: alarm names by tier), from the alarms CloudWatch described. */
export function readingsOf(
  alarmsByTier: Readonly<Record<string, string>>,
  alarms: ReadonlyMap<string, ObservedAlarm>,
): Map<string, AlarmReading> {
  const readings = new Map<string, AlarmReading>();
  for (const [tierId, name] of Object.entries(alarmsByTier)) {
    const alarm = alarms.get(name);
    if (!alarm) continue;
    const checkId = alarm.Dimensions?.[0]?.Value;
    readings.set(tierId, {
      state: (alarm.StateValue ?? 'INSUFFICIENT_DATA') as AlarmState,
      ...(alarm.StateUpdatedTimestamp ? { at: alarm.StateUpdatedTimestamp.toISOString() } : {}),
      ...(checkId === undefined ? {} : { checkId }),
      ...(alarm.AlarmConfigurationUpdatedTimestamp
        ? { configuredAt: alarm.AlarmConfigurationUpdatedTimestamp.toISOString() }
        : {}),
    });
  }
  return readings;
}

/** The flap guard's settings, for a reconcile as for the alarm handler. */
export const flapOf = (deps: Pick<ReconcileDeps, 'flap'>): FlapSettings => deps.flap ?? FLAP_DEFAULTS;

/** The newest state change among the readings (undefined when none says when). */
export function newestReading(readings: ReadonlyMap<string, AlarmReading>): string | undefined {
  let newest: string | undefined;
  for (const { at } of readings.values())
    if (at !== undefined && (newest === undefined || at > newest)) newest = at;
  return newest;
}

/**
 * Decide which tier Route 53 serves, from the records as built and the health of every check they
 * use (their alarms, or the health last seen of each check when an alarm has no news), and what to
 * tell: a change of the serving tier through the flap guard (a held tier's recovery counts as news
 * too), the summary of a flapping chain that settled, a pending failback, or the build's own
 * announcement, which then stands for any move. A new chain's first answer is news only when it is
 * not the tier it serves with every check healthy: then TIER_CHANGED (or ALL_TIERS_DOWN) from that
 * tier. With manual failback, a tier traffic left because its check failed is held. Pure.
 */
export function decideServing(input: ServingInput): ServingDecision {
  const { stored, built, flap } = input;
  const { chain } = built;
  const checkHealth = checkHealthFromAlarms(built.checks, input.readings, seenBefore(stored));
  const health = tierHealthOf(chain, built.checks, checkHealth);
  const to = servedTier(built, health, input.owner);
  const firstAnswer = stored.servingTier === undefined;
  const from = stored.servingTier ?? servedTier(built, completeHealth(chain), input.owner);
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
    at: input.at,
    ...(firstAnswer ? { firstAnswer: true } : {}),
  };
  const next: ChainStatus = {
    ...structuredClone(input.base),
    servingTier: to,
    tierHealth: health,
    allDown: flip.allDown,
  };
  if (Object.keys(checkHealth).length > 0) next.checkHealth = checkHealth;
  else delete next.checkHealth;
  if (input.observedAt !== undefined) next.healthObservedAt = input.observedAt;

  const manual = chain.failback === 'manual';
  const held = manual ? (input.base.heldTiers ?? []) : [];
  let pending: string[] = [];
  if (manual) {
    // Traffic left a tier because its check failed: keep it out of the chain until an operator
    // fails back. Not a tier an operator drained or an edit gave another check, nor a new chain's.
    const left = !firstAnswer && from !== to && health[from] === 'unhealthy' && !held.includes(from);
    const check = input.builtBefore?.checks[from];
    const sameCheck = check !== undefined && check === built.checks[from];
    const wasServing = activeTiers(chain, built.held).some((t) => t.id === from) && chain.pin === undefined;
    if (left && sameCheck && wasServing) next.heldTiers = [...held, from];
    pending = flip.recovered.filter((id) => held.includes(id));
  }
  const rebuild = manual && (next.heldTiers ?? []).some((id) => !built.held.includes(id));

  const announced = input.announce?.(to, health);
  const event = announced ? undefined : flipEvent(flip, stored.allDown ?? false);
  const alerts: Alert[] = [];
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
  } else if (input.settle !== false && hasSettled(flapState, input.now, flap)) {
    alerts.push(settledAlert(chain, to, stored.flips?.length ?? 0, stored.flappingSince!, input.now));
    alerts.push(...waitingFailback(chain, held, health, to, input.now));
    delete next.flappingSince;
    next.flips = [];
  }
  const outbox: OutboxContent[] = [];
  if (event) {
    outbox.push({
      history: {
        chain: chain.name,
        at: flip.at,
        event,
        from,
        to,
        failed: flip.failed,
        recovered: flip.recovered,
        ...(health[to] === 'unobserved' ? { toUnobserved: true } : {}),
      },
    });
  }
  for (const alert of alerts) outbox.push({ alert });
  if (announced) {
    outbox.push(announced);
    alerts.push(announced.alert);
  }
  return { next, to, event, outbox, alerts, rebuild };
}

/**
 * The health last seen of each check. A status written before health was kept per check (it has
 * no `built` either) gives a failing tier's health to the check it uses.
 */
function seenBefore(stored: ChainStatus): Record<string, CheckHealth> {
  if (stored.checkHealth || stored.built) return stored.checkHealth ?? {};
  const seen: Record<string, CheckHealth> = {};
  for (const [tierId, id] of Object.entries(builtOf(stored)?.checks ?? {}))
    if (stored.tierHealth?.[tierId] === 'unhealthy') seen[id] = { health: 'unhealthy' };
  return seen;
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

/**
 * The serving tier as an embedded-format metric (`FailoverChains/ServingTierIndex`, and `Flips`
 * when this write recorded a change), for whatever decided it: an alarm or a build.
 */
export function emitServing(
  deps: Pick<ReconcileDeps, 'emitMetric'>,
  chain: Chain,
  decision: Pick<ServingDecision, 'to' | 'event'>,
  wrote: boolean,
  now: Date,
): void {
  deps.emitMetric?.(
    servingTierMetric(
      chain.name,
      decision.to,
      chain.tiers.findIndex((t) => t.id === decision.to),
      now,
      decision.event !== undefined && wrote,
    ),
  );
}
