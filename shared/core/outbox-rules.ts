import type { OutboxEntry } from './chain-status.ts';

// When an outbox entry is due for the sweep and how it backs off (see shared/reconcile/outbox.ts
// for who delivers what). Pure: times are passed in.

/**
 * An entry its writer never released (the writer crashed or timed out while delivering it) is
 * due this long after it was recorded: Lambda's longest timeout, so that writer has surely gone.
 */
export const OUTBOX_SWEEP_AFTER_MS = 15 * 60_000;

/** Longest wait between two attempts at an entry SNS keeps refusing. */
export const OUTBOX_MAX_RETRY_MS = 15 * 60_000;

/** Epoch ms from which a sweep must deliver `entry`: when a claim lapses, a retry is due, or a writer has surely gone. */
export function entryDueAt(entry: OutboxEntry): number {
  const at = entry.claimedUntil ?? entry.dueAt;
  return at === undefined ? Date.parse(entry.recordedAt) + OUTBOX_SWEEP_AFTER_MS : Date.parse(at);
}

/**
 * True when a sweep at `now` may take `entry`: it is due, or its writer released it and no sweep
 * holds it (a sweep that visits a chain tries all it may, so one chain's entries keep one
 * schedule instead of each calling for a visit of its own).
 */
export function sweepable(entry: OutboxEntry, now: number): boolean {
  if (entryDueAt(entry) <= now) return true;
  return entry.dueAt !== undefined && entry.claimedUntil === undefined;
}

/**
 * When the outbox's first entry is due (ISO), undefined when it is empty: written with every
 * status (attribute `outboxDue`), it is the key of the sparse index the minute sweep reads.
 */
export function outboxDue(outbox: Readonly<Record<string, OutboxEntry>> | undefined): string | undefined {
  const times = Object.values(outbox ?? {}).map(entryDueAt);
  return times.length === 0 ? undefined : new Date(Math.min(...times)).toISOString();
}

/**
 * How long to wait after the `attempts`-th failed delivery: none after the writer's own (the
 * next minute's sweep takes it), then 1, 2, 4 and 8 minutes, then every 15 minutes.
 */
export function retryDelayMs(attempts: number): number {
  if (attempts <= 1) return 0;
  return Math.min(60_000 * 2 ** (attempts - 2), OUTBOX_MAX_RETRY_MS);
}
