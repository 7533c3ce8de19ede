import { describe, expect, it } from 'vitest';
import { alertId, type Alert } from '../../shared/core/alerts.ts';
import type { OutboxEntry } from '../../shared/core/chain-status.ts';
import {
  entryDueAt,
  OUTBOX_SWEEP_AFTER_MS,
  outboxDue,
  retryDelayMs,
  sweepable,
} from '../../shared/core/outbox-rules.ts';
import { alertExamples } from '../fixtures/alert-examples.ts';

const examples = alertExamples();

/** An outbox entry for `alert` recorded `minute` minutes after 03:00. */
function entry(alert: Alert, minute: number): OutboxEntry {
  const at = new Date(Date.parse('2026-11-24T03:00:00.000Z') + minute * 60_000).toISOString();
  const a = { ...alert, at };
  return { id: alertId(a), recordedAt: at, alert: a };
}

const outboxOf = (entries: OutboxEntry[]) => Object.fromEntries(entries.map((e) => [e.id, e]));

describe('when an outbox entry is due', () => {
  it('leaves an unreleased entry to its writer for 15 minutes, and a claimed one to its sweep', () => {
    const e = entry(examples.TIER_CHANGED, 0);
    const recorded = Date.parse(e.recordedAt);
    expect(entryDueAt(e)).toBe(recorded + OUTBOX_SWEEP_AFTER_MS);
    expect(sweepable(e, recorded + OUTBOX_SWEEP_AFTER_MS - 1)).toBe(false);
    const released = { ...e, attempts: 3, dueAt: new Date(recorded + 600_000).toISOString() };
    // Released: a visiting sweep takes it early, so a chain's entries keep one schedule.
    expect(sweepable(released, recorded + 60_000)).toBe(true);
    const claimed = { ...released, claimedUntil: new Date(recorded + 180_000).toISOString() };
    expect(sweepable(claimed, recorded + 179_999)).toBe(false);
    expect(sweepable(claimed, recorded + 180_000)).toBe(true);
    expect(outboxDue(outboxOf([e, claimed]))).toBe(claimed.claimedUntil);
    expect(outboxDue(undefined)).toBeUndefined();
  });

  it('retries at once after the writer, then after 1, 2, 4, 8 and every 15 minutes', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 50].map((n) => retryDelayMs(n) / 60_000)).toEqual([
      0, 1, 2, 4, 8, 15, 15, 15,
    ]);
  });
});
