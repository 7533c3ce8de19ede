import { alertId, type Alert } from '../core/alerts.ts';
import { fingerprint, type ChainStatus, type HistoryEntry, type OutboxEntry } from '../core/chain-status.ts';
import { StaleStatusError, type ReconcileDeps } from '../ports.ts';

/**
 * After this long an entry's writer has surely finished or died (Lambda's longest timeout is
 * 15 minutes), so the schedule's sweep delivers it without racing the writer's own delivery.
 */
export const OUTBOX_SWEEP_AFTER_MS = 15 * 60_000;

type DeliveryDeps = Pick<ReconcileDeps, 'status' | 'alerts' | 'history' | 'historyDays' | 'clock'>;

/** An outbox entry for an alert and/or a history entry: its id is the alert's id, from the content. */
export function outboxEntry(
  content: { alert?: Alert; history?: HistoryEntry },
  recordedAt: string,
): OutboxEntry {
  const id = content.alert ? alertId(content.alert) : fingerprint(content.history ?? null);
  return { id, recordedAt, ...content };
}

/**
 * Deliver the named entries of a chain's outbox: history first (idempotent by id), then the alert,
 * then remove them from the status. A failure leaves them for the sweep; an entry already gone
 * was delivered by someone else. Returns how many were delivered.
 */
export async function deliverOutbox(
  name: string,
  ids: readonly string[],
  deps: DeliveryDeps,
  /** The status as this process just wrote it, when it did: saves a read. */
  written?: ChainStatus,
): Promise<number> {
  if (ids.length === 0) return 0;
  const stored = written ?? (await deps.status.get(name));
  const entries = ids.flatMap((id) => stored?.outbox?.[id] ?? []);
  const delivered: string[] = [];
  // Each on its own: one entry that cannot go out must not hold back the others (their JSON's
  // `at` gives the order). What fails stays in the outbox for the sweep.
  for (const entry of entries) {
    try {
      if (entry.history) {
        const expires = Math.floor(deps.clock().getTime() / 1000) + deps.historyDays * 86_400;
        await deps.history.append(entry.history, entry.id, expires);
      }
      if (entry.alert) await deps.alerts.publish(entry.alert);
      delivered.push(entry.id);
    } catch {
      // Left for the sweep (OUTBOX_SWEEP_AFTER_MS).
    }
  }
  await removeFromOutbox(name, delivered, deps, stored);
  return delivered.length;
}

/** Remove delivered entries; conditional on the revision, so no concurrent write brings them back. */
async function removeFromOutbox(
  name: string,
  ids: readonly string[],
  deps: DeliveryDeps,
  first: ChainStatus | undefined,
): Promise<void> {
  let stored = first;
  for (let attempt = 0; ids.length > 0 && attempt < 10; attempt++) {
    if (!stored?.outbox || !ids.some((id) => stored?.outbox?.[id])) return;
    const outbox = Object.fromEntries(Object.entries(stored.outbox).filter(([id]) => !ids.includes(id)));
    const next: ChainStatus = {
      ...stored,
      revision: stored.revision + 1,
      updatedAt: deps.clock().toISOString(),
    };
    if (Object.keys(outbox).length > 0) next.outbox = outbox;
    else delete next.outbox;
    try {
      await deps.status.save(next, stored.revision);
      return;
    } catch (error) {
      if (!(error instanceof StaleStatusError)) throw error;
      stored = await deps.status.get(name);
    }
  }
}

/**
 * The schedule's sweep: deliver every entry older than OUTBOX_SWEEP_AFTER_MS (its writer failed
 * or crashed after the status write). One chain's failure does not stop the others.
 */
export async function sweepOutbox(
  statuses: readonly ChainStatus[],
  deps: DeliveryDeps,
): Promise<{ delivered: number; failed: number }> {
  const cutoff = deps.clock().getTime() - OUTBOX_SWEEP_AFTER_MS;
  let delivered = 0;
  let failed = 0;
  for (const status of statuses) {
    const due = Object.values(status.outbox ?? {})
      .filter((entry) => Date.parse(entry.recordedAt) <= cutoff)
      .map((entry) => entry.id);
    if (due.length === 0) continue;
    try {
      const sent = await deliverOutbox(status.name, due, deps);
      delivered += sent;
      failed += due.length - sent;
    } catch {
      failed += due.length;
    }
  }
  return { delivered, failed };
}
