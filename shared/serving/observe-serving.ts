import type { Alert } from '../core/alerts.ts';
import type { Chain } from '../core/chain.ts';
import { normalizeName } from '../core/dns-name.ts';
import { hasSettled, recordFlip } from '../core/flap-guard.ts';
import { failbackPendingAlert } from '../core/control-alerts.ts';
import { flappingAlert, flipAlert, flipEvent, settledAlert, type Flip } from '../core/flip-alerts.ts';
import { servingTierMetric } from '../core/serving-metric.ts';
import { answerWithHealthyTiers } from '../core/serving-tier.ts';
import { allTiersDown, healthyTierIds, tierHealthFromAlarms, type AlarmState } from '../core/tier-health.ts';
import { validateChain } from '../core/validate-chain.ts';
import { StaleStatusError, type ServingDeps } from '../ports.ts';
import { StatusDraft } from '../reconcile/status-draft.ts';

/** What one observation found and did. */
export interface ServingObservation {
  name: string;
  outcome: 'unchanged' | 'changed' | 'stale' | 'no-chain';
  servingTier?: string;
  alerts: Alert[];
}

/**
 * Work out which tier Route 53 now serves for a chain, from the current states of its health
 * check alarms and the same answer model Route 53 follows, and record it. The status write is
 * conditional, so of several handlers seeing one change only the one whose write wins alerts;
 * an observation older than the one recorded is dropped.
 */
export async function observeServing(rawName: string, deps: ServingDeps): Promise<ServingObservation> {
  const name = normalizeName(rawName);
  for (let attempt = 0; ; attempt++) {
    try {
      return await observeOnce(name, deps);
    } catch (error) {
      // Another handler or reconcile wrote first: look again, and it will usually see no change.
      if (!(error instanceof StaleStatusError) || attempt >= 4) throw error;
    }
  }
}

/**
 * Held tiers that are healthy, announced when a flapping chain settles: their recoveries were
 * held back by the flap guard, and traffic waits for `chains failback`.
 */
function waitingFailback(
  chain: Chain,
  held: readonly string[],
  health: Readonly<Record<string, string>>,
  serving: string,
  at: string,
): Alert[] {
  const ready = held.filter((id) => health[id] === 'healthy');
  return chain.failback === 'manual' && ready.length > 0
    ? [failbackPendingAlert(chain, ready, serving, at)]
    : [];
}

async function validRow(name: string, deps: ServingDeps): Promise<Chain | undefined> {
  const row = await deps.chains.get(name);
  if (row === undefined) return undefined;
  const result = validateChain(row, {
    allowReservedAddresses: deps.settings.allowReservedAddresses ?? false,
  });
  return result.ok ? result.chain : undefined;
}

async function observeOnce(name: string, deps: ServingDeps): Promise<ServingObservation> {
  const stored = await deps.status.get(name);
  // Route 53 answers from the records last applied, whatever the row says now (an invalid edit
  // changes nothing live): observe that build. Statuses written before it was kept use the row.
  const chain = stored?.applied ?? (await validRow(name, deps));
  if (!stored || stored.state === 'DELETED' || !chain) return { name, outcome: 'no-chain', alerts: [] };
  const now = deps.clock();

  const alarms = await deps.alarms.describe(Object.values(stored.alarms));
  const states = new Map<string, AlarmState>();
  let observedAt = new Date(0).toISOString();
  for (const [tierId, alarmName] of Object.entries(stored.alarms)) {
    const alarm = alarms.get(alarmName);
    if (!alarm) continue;
    states.set(tierId, (alarm.StateValue ?? 'INSUFFICIENT_DATA') as AlarmState);
    const at = alarm.StateUpdatedTimestamp?.toISOString();
    if (at !== undefined && at > observedAt) observedAt = at;
  }
  if (stored.healthObservedAt !== undefined && observedAt < stored.healthObservedAt) {
    return { name, outcome: 'stale', alerts: [] };
  }

  const health = tierHealthFromAlarms(chain, states, stored.tierHealth);
  const held = chain.failback === 'manual' ? (stored.heldTiers ?? []) : [];
  const to =
    answerWithHealthyTiers(chain, healthyTierIds(health), deps.settings.owner, held).tier?.id ??
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
    at: observedAt > new Date(0).toISOString() ? observedAt : now.toISOString(),
  };

  const status = new StatusDraft(deps.status, stored, name, () => now.toISOString());
  const draft = status.draft;
  Object.assign(draft, {
    servingTier: to,
    tierHealth: health,
    allDown: flip.allDown,
    healthObservedAt: observedAt,
  });
  const event = flipEvent(flip, stored.allDown ?? false);
  const alerts: Alert[] = [];
  let pending: string[] = [];
  if (chain.failback === 'manual') {
    // Traffic left a failing tier: keep it out of the chain until an operator fails back.
    if (from !== to && health[from] === 'unhealthy' && !held.includes(from))
      draft.heldTiers = [...held, from];
    pending = flip.recovered.filter((id) => held.includes(id));
  }
  const flapState = { flips: stored.flips ?? [], flappingSince: stored.flappingSince };
  // A held tier's recovery is news like a flip, and goes through the same flap guard.
  if (event || pending.length > 0) {
    const flap = recordFlip(flapState, flip.at, deps.flap);
    draft.flips = flap.state.flips;
    if (flap.state.flappingSince) draft.flappingSince = flap.state.flappingSince;
    else delete draft.flappingSince;
    if (flap.settled) {
      alerts.push(settledAlert(chain, from, flapState.flips.length, stored.flappingSince!, flip.at));
      alerts.push(...waitingFailback(chain, held, before, from, flip.at));
    }
    if (flap.decision.alert === 'flip') {
      if (event) alerts.push(flipAlert(event as Parameters<typeof flipAlert>[0], flip));
      if (pending.length > 0) alerts.push(failbackPendingAlert(chain, pending, to, flip.at));
    }
    if (flap.decision.alert === 'flapping')
      alerts.push(flappingAlert(flip, flap.state.flips.length, deps.flap.windowSeconds));
  } else if (hasSettled(flapState, now.toISOString(), deps.flap)) {
    alerts.push(settledAlert(chain, to, stored.flips?.length ?? 0, stored.flappingSince!, now.toISOString()));
    alerts.push(...waitingFailback(chain, held, health, to, now.toISOString()));
    delete draft.flappingSince;
    draft.flips = [];
  }

  if (event) {
    status.enqueue({
      history: {
        chain: name,
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
  for (const alert of alerts) status.enqueue({ alert });
  const wrote = await status.saveAndDeliver(deps);
  deps.emitMetric(
    servingTierMetric(
      name,
      to,
      chain.tiers.findIndex((t) => t.id === to),
      now,
      event !== undefined && wrote,
    ),
  );
  if (!wrote) return { name, outcome: 'unchanged', servingTier: to, alerts: [] };
  return { name, outcome: event ? 'changed' : 'unchanged', servingTier: to, alerts };
}
