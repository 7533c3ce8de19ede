import { alertId, subject, type Alert, type AlertEvent } from './alerts.ts';
import type { OutboxEntry } from './chain-status.ts';

// When an outbox entry is due for the sweep, how it backs off, and how big the outbox may grow
// (see shared/reconcile/outbox.ts for who delivers what). Pure: times are passed in.

/**
 * An entry its writer never released (the writer crashed or timed out while delivering it) is
 * due this long after it was recorded: Lambda's longest timeout, so that writer has surely gone.
 */
export const OUTBOX_SWEEP_AFTER_MS = 15 * 60_000;

/** Longest wait between two attempts at an entry SNS keeps refusing. */
export const OUTBOX_MAX_RETRY_MS = 15 * 60_000;

/**
 * The outbox's share of the status item, in bytes of its JSON: DynamoDB refuses items over
 * 400 KB (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html),
 * and the rest of the status (errors, the chain as applied) needs room too. About 80 typical
 * alerts; every status write costs a write unit per KB, so the cap also bounds what an outage costs.
 */
export const OUTBOX_MAX_BYTES = 64 * 1024;

/** The one event the bound sends: alerts dropped to keep the status writable. */
export const ALERTS_DROPPED = 'ALERTS_DROPPED' satisfies AlertEvent;

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

const bytes = (value: unknown) => new TextEncoder().encode(JSON.stringify(value)).length;

/** Size of an outbox as the cap counts it: the bytes of its JSON. */
export function outboxBytes(outbox: Readonly<Record<string, OutboxEntry>> | undefined): number {
  return outbox ? bytes(outbox) : 0;
}

/** What the summary of dropped alerts says (its alert's detail). */
export interface DroppedAlerts {
  /** How many alerts were dropped since the first drop this summary covers. */
  dropped: number;
  /** How many of each event. */
  events: Partial<Record<AlertEvent, number>>;
  firstDroppedAt: string;
  /** History entries dropped too (only when dropping every alert was not enough). */
  historyDropped?: number;
}

/**
 * The outbox within OUTBOX_MAX_BYTES. Over it, alerts are dropped oldest first, every warning and
 * info before any critical one (an entry that also carries a history entry keeps it), and one
 * `ALERTS_DROPPED` summary counts them, critical if a critical alert was among them; a summary
 * still waiting is replaced by one that adds them up. History entries go only if dropping every
 * alert was not enough. `added`: the id of the summary written, to deliver with the write.
 */
export function boundOutbox(
  outbox: Readonly<Record<string, OutboxEntry>>,
  chain: string,
  at: string,
): { outbox: Record<string, OutboxEntry>; added: string[] } {
  if (outboxBytes(outbox) <= OUTBOX_MAX_BYTES) return { outbox: { ...outbox }, added: [] };
  const entries = Object.values(outbox);
  const previous = entries.find((e) => e.alert?.event === ALERTS_DROPPED);
  const before = previous?.alert?.detail as DroppedAlerts | undefined;
  const detail: DroppedAlerts = {
    dropped: before?.dropped ?? 0,
    events: { ...before?.events },
    firstDroppedAt: before?.firstDroppedAt ?? at,
    ...(before?.historyDropped ? { historyDropped: before.historyDropped } : {}),
  };
  let critical = previous?.alert?.severity === 'critical';
  const kept = new Map(entries.filter((e) => e !== previous).map((e) => [e.id, e]));
  // The bytes of `{"id":entry,...}`, counted entry by entry so each drop costs no full re-count.
  const sizeOf = (e: OutboxEntry) => bytes(e.id) + 1 + bytes(e) + 1;
  let size = 1 + [...kept.values()].reduce((sum, e) => sum + sizeOf(e), 0);
  const summary = () => summaryEntry(chain, detail, critical, at);
  const rank = (e: OutboxEntry) => (e.alert ? (e.alert.severity === 'critical' ? 1 : 0) : 2);
  const byDropOrder = (a: OutboxEntry, b: OutboxEntry) =>
    rank(a) - rank(b) || a.recordedAt.localeCompare(b.recordedAt) || a.id.localeCompare(b.id);
  const queue = [...kept.values()].sort(byDropOrder);
  while (size + sizeOf(summary()) > OUTBOX_MAX_BYTES && queue.length > 0) {
    const entry = queue.shift()!;
    size -= sizeOf(entry);
    kept.delete(entry.id);
    if (!entry.alert) {
      detail.historyDropped = (detail.historyDropped ?? 0) + 1;
      continue;
    }
    detail.dropped += 1;
    detail.events[entry.alert.event] = (detail.events[entry.alert.event] ?? 0) + 1;
    critical ||= entry.alert.severity === 'critical';
    if (entry.history) {
      const { alert: _dropped, ...historyOnly } = entry;
      kept.set(entry.id, historyOnly);
      size += sizeOf(historyOnly);
      queue.push(historyOnly);
      queue.sort(byDropOrder);
    }
  }
  const last = summary();
  return { outbox: Object.fromEntries([...kept, [last.id, last]]), added: [last.id] };
}

function summaryEntry(chain: string, detail: DroppedAlerts, critical: boolean, at: string): OutboxEntry {
  const alert = alertsDroppedAlert(chain, detail, critical, at);
  return { id: alertId(alert), recordedAt: at, alert };
}

/** The summary of alerts dropped to keep a chain's status writable while they could not be delivered. */
export function alertsDroppedAlert(
  chain: string,
  dropped: DroppedAlerts,
  critical: boolean,
  at: string,
): Alert {
  const events = Object.entries(dropped.events)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([event, count]) => `${String(count)} ${event}`);
  return {
    event: ALERTS_DROPPED,
    severity: critical ? 'critical' : 'warning',
    chain,
    subject: subject(chain, `${String(dropped.dropped)} undelivered alerts dropped`),
    text: [
      `Chain ${chain}: ${String(dropped.dropped)} alerts could not be delivered for so long that they were dropped, oldest first, to keep its status writable.`,
      `Dropped: ${events.join(', ')}.`,
      ...(dropped.historyDropped
        ? [`${String(dropped.historyDropped)} history entries could not be written either and were dropped.`]
        : []),
      'The newest alerts were kept and are delivered with this one; every change of serving tier is in the history.',
      '',
      `Dropped from ${dropped.firstDroppedAt} to ${at}`,
      "What to check: why SNS refused the alerts (the topic, its KMS key, the Lambdas' permissions; the outbox sweep's log says what SNS answered).",
      `Status: chains status ${chain}`,
      `History: chains history ${chain}`,
    ].join('\n'),
    at,
    detail: {
      dropped: dropped.dropped,
      events: dropped.events,
      firstDroppedAt: dropped.firstDroppedAt,
      ...(dropped.historyDropped ? { historyDropped: dropped.historyDropped } : {}),
    },
  };
}
