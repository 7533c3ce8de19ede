import type { Alert } from '../core/alerts.ts';
import type { Chain } from '../core/chain.ts';
import type { ChainStatus } from '../core/chain-status.ts';
import { normalizeName } from '../core/dns-name.ts';
import { validateChain } from '../core/validate-chain.ts';
import { StaleStatusError, type ObservedAlarm, type ServingDeps } from '../ports.ts';
import { StatusDraft } from '../reconcile/status-draft.ts';
import {
  builtOf,
  decideServing,
  newestReading,
  emitServing,
  readingsOf,
} from '../reconcile/decide-serving.ts';

/** What one observation found and did. */
export interface ServingObservation {
  name: string;
  outcome: 'unchanged' | 'changed' | 'stale' | 'no-chain';
  servingTier?: string;
  alerts: Alert[];
  /** Manual failback holds a tier its records still include: reconcile the chain to take it out. */
  rebuild?: boolean;
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
 * Work out which tier Route 53 now serves for a chain, from the records as built (kept in status)
 * and the current states of the alarms on the checks they use (decide-serving.ts), and record it.
 * The status write is conditional, so of several handlers seeing one change only the one whose
 * write wins alerts; an observation older than the one recorded is dropped. `readAhead` serves the
 * first attempt only: one that lost a race reads the status and the alarms again, as on its own.
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
  // Route 53 answers from the records last built, whatever the row says now (an invalid edit
  // changes nothing live): observe that build. Statuses written before it was kept use the row.
  const applied = stored && !stored.applied ? await validRow(name, deps) : stored?.applied;
  const built = stored && applied && stored.state !== 'DELETED' ? builtOf({ ...stored, applied }) : undefined;
  if (!stored || !built) return { name, outcome: 'no-chain', alerts: [] };
  const now = deps.clock();

  const alarms = readAhead?.alarms ?? (await deps.alarms.describe(Object.values(stored.alarms)));
  const readings = readingsOf(stored.alarms, alarms);
  const observedAt = newestReading(readings);
  if (stored.healthObservedAt !== undefined && (observedAt ?? '') < stored.healthObservedAt) {
    return { name, outcome: 'stale', alerts: [] };
  }

  const decision = decideServing({
    stored,
    base: stored,
    built,
    builtBefore: built,
    readings,
    at: observedAt ?? now.toISOString(),
    ...(observedAt === undefined ? {} : { observedAt }),
    now: now.toISOString(),
    owner: deps.settings.owner,
    flap: deps.flap,
  });
  const status = new StatusDraft(deps.status, stored, name, () => now.toISOString());
  status.become(decision.next);
  for (const content of decision.outbox) status.enqueue(content);
  const wrote = await status.saveAndDeliver(deps);
  emitServing(deps, built.chain, decision, wrote, now);
  const rebuild = decision.rebuild ? { rebuild: true } : {};
  if (!wrote) return { name, outcome: 'unchanged', servingTier: decision.to, alerts: [], ...rebuild };
  return {
    name,
    outcome: decision.event ? 'changed' : 'unchanged',
    servingTier: decision.to,
    alerts: decision.alerts,
    ...rebuild,
  };
}
