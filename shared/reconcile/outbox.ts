import { alertId, type Alert } from '../core/alerts.ts';
import { fingerprint, type ChainStatus, type HistoryEntry, type OutboxEntry } from '../core/chain-status.ts';
import { entryDueAt, OUTBOX_SWEEP_AFTER_MS, retryDelayMs, sweepable } from '../core/outbox-rules.ts';
import { StaleStatusError, type ReconcileDeps } from '../ports.ts';

// Who delivers an outbox entry, and when. Its writer, right after the status write that recorded
// it; what the writer could not deliver it releases to the sweep (due at once, then backing off),
// and what a crashed writer never released falls due OUTBOX_SWEEP_AFTER_MS after it was recorded.
// The outbox sweep (functions/outbox-sweep.ts, every minute) finds chains with due entries in the
// sparse index on `outboxDue`; the schedule's full run sweeps the statuses it reads anyway. A
// sweep claims what it delivers, so two sweeps never send one entry at once.

export { OUTBOX_SWEEP_AFTER_MS };

/**
 * How long a sweep holds the entries it is delivering: longer than the outbox sweep's timeout,
 * so a live sweep keeps them; a sweep that died lets them fall due again.
 */
export const OUTBOX_CLAIM_MS = 3 * 60_000;

/** What delivering an outbox takes: the Status table (status and history) and the alerts topic. */
export type OutboxDeps = Pick<ReconcileDeps, 'status' | 'alerts' | 'history' | 'historyDays' | 'clock'>;

/** Chains a sweep delivers at once: each is a few calls, so a backlog of thousands drains in minutes. */
const SWEEP_CONCURRENCY = 10;

/** What became of one entry: delivered, or not (its history may have been written already). */
type Outcome = 'delivered' | 'history-written' | 'failed' | 'not-tried';

/** What one sweep did. */
export interface SweepSummary {
  delivered: number;
  failed: number;
  /** The first failure, as the service said it (`Name: message`). */
  error?: string;
}

const described = (error: unknown) =>
  error instanceof Error ? `${error.name}: ${error.message}` : String(error);

/** An outbox entry for an alert and/or a history entry: its id is the alert's id, from the content. */
export function outboxEntry(
  content: { alert?: Alert; history?: HistoryEntry },
  recordedAt: string,
): OutboxEntry {
  const id = content.alert ? alertId(content.alert) : fingerprint(content.history ?? null);
  return { id, recordedAt, ...content };
}

/**
 * The writer's delivery of the named entries of a chain's outbox: history first (idempotent by
 * id), then the alert, then remove them from the status; what failed is released to the sweep,
 * which takes it within a minute. An entry already gone was delivered by someone else. Returns
 * how many were delivered.
 */
export async function deliverOutbox(
  name: string,
  ids: readonly string[],
  deps: OutboxDeps,
  /** The status as this process just wrote it, when it did: saves a read. */
  written?: ChainStatus,
): Promise<number> {
  if (ids.length === 0) return 0;
  const stored = written ?? (await deps.status.get(name));
  const entries = ids.flatMap((id) => stored?.outbox?.[id] ?? []);
  // Each on its own: one entry that cannot go out must not hold back the others.
  const outcomes = await deliverEntries(entries, deps, false);
  await settle(name, outcomes, deps, stored, (entry, now) => {
    const attempts = (entry.attempts ?? 0) + 1;
    return { attempts, dueAt: new Date(now.getTime() + retryDelayMs(attempts)).toISOString() };
  });
  return delivered(outcomes);
}

/**
 * Deliver entries in order. `stopAtFailure`: the first failure ends it (SNS is refusing or
 * throttling; trying the rest would only take longer), the rest not tried.
 */
async function deliverEntries(
  entries: readonly OutboxEntry[],
  deps: OutboxDeps,
  stopAtFailure: boolean,
  onError: (error: unknown) => void = () => undefined,
): Promise<Map<string, Outcome>> {
  const outcomes = new Map<string, Outcome>();
  let failed = false;
  for (const entry of entries) {
    if (stopAtFailure && failed) {
      outcomes.set(entry.id, 'not-tried');
      continue;
    }
    let historyWritten = false;
    try {
      if (entry.history) {
        const expires = Math.floor(deps.clock().getTime() / 1000) + deps.historyDays * 86_400;
        await deps.history.append(entry.history, entry.id, expires);
        historyWritten = true;
      }
      if (entry.alert) await deps.alerts.publish(entry.alert);
      outcomes.set(entry.id, 'delivered');
    } catch (error) {
      onError(error);
      failed = true;
      outcomes.set(entry.id, historyWritten ? 'history-written' : 'failed');
    }
  }
  return outcomes;
}

const delivered = (outcomes: ReadonlyMap<string, Outcome>) =>
  [...outcomes.values()].filter((o) => o === 'delivered').length;

/** When an entry that did not go out is tried next, and its count of failed tries. */
type Retry = (entry: OutboxEntry, now: Date) => Pick<OutboxEntry, 'attempts' | 'dueAt'>;

/**
 * Record what became of the entries, conditional on the revision so no concurrent write brings a
 * delivered one back: delivered ones go; one that did not go out is retried as `retry` says,
 * without its history entry if that was written, and no longer claimed.
 */
async function settle(
  name: string,
  outcomes: ReadonlyMap<string, Outcome>,
  deps: OutboxDeps,
  first: ChainStatus | undefined,
  retry: Retry,
): Promise<void> {
  let stored = first;
  for (let attempt = 0; outcomes.size > 0 && attempt < 10; attempt++) {
    if (!stored?.outbox || ![...outcomes.keys()].some((id) => stored?.outbox?.[id])) return;
    const now = deps.clock();
    const outbox: Record<string, OutboxEntry> = {};
    for (const [id, entry] of Object.entries(stored.outbox)) {
      const outcome = outcomes.get(id);
      if (outcome === 'delivered') continue;
      if (outcome === undefined) {
        outbox[id] = entry;
        continue;
      }
      const { history: _written, claimedUntil: _claim, ...rest } = entry;
      outbox[id] = {
        ...rest,
        ...(outcome === 'history-written' || !entry.history ? {} : { history: entry.history }),
        ...retry(entry, now),
      };
    }
    try {
      await deps.status.save(withOutbox(stored, outbox, now), stored.revision);
      return;
    } catch (error) {
      if (!(error instanceof StaleStatusError)) throw error;
      stored = await deps.status.get(name);
    }
  }
}

function withOutbox(stored: ChainStatus, outbox: Record<string, OutboxEntry>, now: Date): ChainStatus {
  const next: ChainStatus = { ...stored, revision: stored.revision + 1, updatedAt: now.toISOString() };
  if (Object.keys(outbox).length > 0) next.outbox = outbox;
  else delete next.outbox;
  return next;
}

/**
 * Deliver what a sweep may take of one chain's outbox (see sweepable): claim it first (a
 * conditional write), so another sweep that read the same status leaves it alone; deliver the
 * least tried first, stopping at the first failure; then settle. What did not go out is tried
 * again together, after retryDelayMs of the most tried: one schedule per chain.
 */
export async function sweepChain(name: string, deps: OutboxDeps): Promise<SweepSummary> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const stored = await deps.status.get(name);
    const now = deps.clock();
    const taken = Object.values(stored?.outbox ?? {})
      .filter((e) => sweepable(e, now.getTime()))
      .sort(
        (a, b) =>
          (a.attempts ?? 0) - (b.attempts ?? 0) ||
          a.recordedAt.localeCompare(b.recordedAt) ||
          (a.alert?.at ?? '').localeCompare(b.alert?.at ?? ''),
      );
    if (!stored || taken.length === 0) return { delivered: 0, failed: 0 };
    const claimedUntil = new Date(now.getTime() + OUTBOX_CLAIM_MS).toISOString();
    const outbox = { ...stored.outbox };
    for (const entry of taken) outbox[entry.id] = { ...entry, claimedUntil };
    const claimed = withOutbox(stored, outbox, now);
    try {
      await deps.status.save(claimed, stored.revision);
    } catch (error) {
      if (!(error instanceof StaleStatusError)) throw error;
      continue;
    }
    let error: string | undefined;
    const outcomes = await deliverEntries(
      taken.map((e) => outbox[e.id]!),
      deps,
      true,
      (e) => (error ??= described(e)),
    );
    const most = Math.max(...taken.map((e) => e.attempts ?? 0)) + 1;
    await settle(name, outcomes, deps, claimed, (entry, at) => ({
      attempts: (entry.attempts ?? 0) + (outcomes.get(entry.id) === 'not-tried' ? 0 : 1),
      dueAt: new Date(at.getTime() + retryDelayMs(most)).toISOString(),
    }));
    const sent = delivered(outcomes);
    return { delivered: sent, failed: taken.length - sent, ...(error ? { error } : {}) };
  }
  return { delivered: 0, failed: 0 };
}

/**
 * The schedule's sweep, over the statuses its full run reads anyway: every chain with an entry
 * due. One chain's failure does not stop the others.
 */
export async function sweepOutbox(statuses: readonly ChainStatus[], deps: OutboxDeps): Promise<SweepSummary> {
  const now = deps.clock().getTime();
  const names = statuses
    .filter((s) => Object.values(s.outbox ?? {}).some((e) => entryDueAt(e) <= now))
    .map((s) => s.name);
  return sweepChains(names, deps);
}

/**
 * The minute's sweep: the chains the sparse index lists with an entry due, ten at a time, until
 * `deadline` (epoch ms), when it starts no more (the next minute's sweep goes on).
 */
export async function sweepDueOutboxes(deps: OutboxDeps, deadline?: number): Promise<SweepSummary> {
  const names = await deps.status.outboxesDue(deps.clock().toISOString());
  return sweepChains(names, deps, deadline);
}

async function sweepChains(
  names: readonly string[],
  deps: OutboxDeps,
  deadline?: number,
): Promise<SweepSummary> {
  const summary: SweepSummary = { delivered: 0, failed: 0 };
  const queue = [...names];
  const worker = async () => {
    for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
      if (deadline !== undefined && deps.clock().getTime() >= deadline) return;
      try {
        const swept = await sweepChain(name, deps);
        summary.delivered += swept.delivered;
        summary.failed += swept.failed;
        summary.error ??= swept.error;
      } catch (error) {
        summary.failed += 1;
        summary.error ??= described(error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(SWEEP_CONCURRENCY, queue.length) }, worker));
  return summary;
}
