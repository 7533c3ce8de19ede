import type { Alert } from '../core/alerts.ts';
import type { Chain } from '../core/chain.ts';
import type { ChainStatus } from '../core/chain-status.ts';
import { normalizeName } from '../core/dns-name.ts';
import { servingTierMetric } from '../core/serving-metric.ts';
import type { AlarmState } from '../core/tier-health.ts';
import { validateChain } from '../core/validate-chain.ts';
import { StaleStatusError, type ObservedAlarm, type ServingDeps } from '../ports.ts';
import { StatusDraft } from '../reconcile/status-draft.ts';
import { decideServing } from './decide-serving.ts';

/** What one observation found and did. */
export interface ServingObservation {
  name: string;
  outcome: 'unchanged' | 'changed' | 'stale' | 'no-chain';
  servingTier?: string;
  alerts: Alert[];
}

/**
 * What a fan-out over many chains already read for this one: its status, and the alarms named by
 * that status (read with every other chain's, so one DescribeAlarms serves a hundred names).
 */
export interface ReadAhead {
  stored: ChainStatus | undefined;
  alarms: ReadonlyMap<string, ObservedAlarm>;
}

/**
 * Work out which tier Route 53 now serves for a chain, from the current states of its health
 * check alarms and the same answer model Route 53 follows, and record it. The status write is
 * conditional, so of several handlers seeing one change only the one whose write wins alerts;
 * an observation older than the one recorded is dropped. `readAhead` serves the first attempt
 * only: one that lost a race reads the status and the alarms again, as on its own.
 */
export async function observeServing(
  rawName: string,
  deps: ServingDeps,
  readAhead?: ReadAhead,
): Promise<ServingObservation> {
  const name = normalizeName(rawName);
  for (let attempt = 0; ; attempt++) {
    try {
      return await observeOnce(name, deps, attempt === 0 ? readAhead : undefined);
    } catch (error) {
      // Another handler or reconcile wrote first: look again, and it will usually see no change.
      if (!(error instanceof StaleStatusError) || attempt >= 4) throw error;
    }
  }
}

async function validRow(name: string, deps: ServingDeps): Promise<Chain | undefined> {
  const row = await deps.chains.get(name);
  if (row === undefined) return undefined;
  const result = validateChain(row, {
    allowReservedAddresses: deps.settings.allowReservedAddresses ?? false,
  });
  return result.ok ? result.chain : undefined;
}

async function observeOnce(
  name: string,
  deps: ServingDeps,
  readAhead: ReadAhead | undefined,
): Promise<ServingObservation> {
  const stored = readAhead ? readAhead.stored : await deps.status.get(name);
  // Route 53 answers from the records last applied, whatever the row says now (an invalid edit
  // changes nothing live): observe that build. Statuses written before it was kept use the row.
  const chain = stored?.applied ?? (await validRow(name, deps));
  if (!stored || stored.state === 'DELETED' || !chain) return { name, outcome: 'no-chain', alerts: [] };
  const now = deps.clock();

  const alarms = readAhead?.alarms ?? (await deps.alarms.describe(Object.values(stored.alarms)));
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

  const { next, to, event, alerts, history } = decideServing({
    chain,
    stored,
    states,
    observedAt,
    now: now.toISOString(),
    owner: deps.settings.owner,
    flap: deps.flap,
  });
  const status = new StatusDraft(deps.status, stored, name, () => now.toISOString());
  status.become(next);
  if (history) status.enqueue({ history });
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
