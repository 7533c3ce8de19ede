import { describe, expect, it } from 'vitest';
import { alertId, type Alert } from '../../shared/core/alerts.ts';
import type { HistoryEntry, OutboxEntry } from '../../shared/core/chain-status.ts';
import {
  boundOutbox,
  entryDueAt,
  OUTBOX_MAX_BYTES,
  OUTBOX_SWEEP_AFTER_MS,
  outboxBytes,
  outboxDue,
  retryDelayMs,
  sweepable,
} from '../../shared/core/outbox-rules.ts';
import { alertExamples } from '../fixtures/alert-examples.ts';

const CHAIN = 'resilient-site.example.com';
const examples = alertExamples();

/** An outbox entry for `alert` recorded `minute` minutes after 03:00, with a history entry if asked. */
function entry(alert: Alert, minute: number, history?: HistoryEntry): OutboxEntry {
  const at = new Date(Date.parse('2026-11-24T03:00:00.000Z') + minute * 60_000).toISOString();
  const a = { ...alert, at };
  return { id: alertId(a), recordedAt: at, alert: a, ...(history ? { history } : {}) };
}

const outboxOf = (entries: OutboxEntry[]) => Object.fromEntries(entries.map((e) => [e.id, e]));
const events = (outbox: Record<string, OutboxEntry>) =>
  Object.values(outbox)
    .flatMap((e) => e.alert?.event ?? [])
    .sort();
const NOW = '2026-11-25T03:00:00.000Z';

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

describe('the bound on the outbox', () => {
  it('leaves an outbox within the bound as it is', () => {
    const outbox = outboxOf([entry(examples.TIER_CHANGED, 0), entry(examples.RECOVERED, 1)]);
    expect(boundOutbox(outbox, CHAIN, NOW)).toEqual({ outbox, added: [] });
  });

  it('drops the oldest warnings first, keeps critical alerts and history, and sums up in one alert', () => {
    const history: HistoryEntry = {
      chain: CHAIN,
      at: '2026-11-24T03:00:00.000Z',
      event: 'CONTROL_CHANGED',
      from: 'primary',
      to: 'secondary',
      failed: [],
      recovered: [],
    };
    const entries = [
      entry(examples.CONTROL_CHANGED, 0, history),
      entry(examples.ALL_TIERS_DOWN, 1),
      ...Array.from({ length: 200 }, (_, i) => entry(examples.TIER_CHANGED, 2 + i)),
    ];
    const { outbox, added } = boundOutbox(outboxOf(entries), CHAIN, NOW);

    expect(outboxBytes(outbox)).toBeLessThanOrEqual(OUTBOX_MAX_BYTES);
    const summary = outbox[added[0]!]!.alert!;
    expect(summary).toMatchObject({ event: 'ALERTS_DROPPED', severity: 'warning' });
    const kept = Object.values(outbox).filter((e) => e.alert?.event === 'TIER_CHANGED');
    expect(summary.detail).toEqual({
      dropped: 201 - kept.length,
      events: { CONTROL_CHANGED: 1, TIER_CHANGED: 200 - kept.length },
      firstDroppedAt: NOW,
    });
    // The newest warnings stay; the critical alert stays; the control change keeps its history.
    expect(kept.map((e) => e.id)).toEqual(entries.slice(-kept.length).map((e) => e.id));
    expect(events(outbox)).toContain('ALL_TIERS_DOWN');
    expect(outbox[entries[0]!.id]).toEqual({
      id: entries[0]!.id,
      recordedAt: entries[0]!.recordedAt,
      history,
    });
  });

  it('drops history entries only once no alert is left, and says how many', () => {
    const histories = Array.from({ length: 400 }, (_, i): OutboxEntry => {
      const history: HistoryEntry = {
        chain: CHAIN,
        at: new Date(Date.parse('2026-11-24T03:00:00.000Z') + i * 60_000).toISOString(),
        event: 'TIER_CHANGED',
        from: 'primary',
        to: 'secondary',
        failed: ['primary'],
        recovered: [],
      };
      return { id: `h${String(i).padStart(3, '0')}`, recordedAt: history.at, history };
    });
    const alert = entry(examples.RECOVERED, 500);
    const { outbox, added } = boundOutbox(outboxOf([...histories, alert]), CHAIN, NOW);

    expect(outboxBytes(outbox)).toBeLessThanOrEqual(OUTBOX_MAX_BYTES);
    const kept = Object.keys(outbox).filter((id) => id.startsWith('h'));
    expect(outbox[added[0]!]!.alert!.detail).toEqual({
      dropped: 1,
      events: { RECOVERED: 1 },
      firstDroppedAt: NOW,
      historyDropped: 400 - kept.length,
    });
    expect(kept).toEqual(histories.slice(-kept.length).map((h) => h.id));
  });

  it('adds later drops to a summary still waiting, critical once a critical alert was dropped', () => {
    const first = boundOutbox(
      outboxOf(Array.from({ length: 120 }, (_, i) => entry(examples.TIER_CHANGED, i))),
      CHAIN,
      NOW,
    );
    const firstCount = (first.outbox[first.added[0]!]!.alert!.detail as { dropped: number }).dropped;
    const later = '2026-11-25T04:00:00.000Z';
    const criticals = Array.from({ length: 120 }, (_, i) => entry(examples.ALL_TIERS_DOWN, 200 + i));
    const second = boundOutbox({ ...first.outbox, ...outboxOf(criticals) }, CHAIN, later);

    const summaries = Object.values(second.outbox).filter((e) => e.alert?.event === 'ALERTS_DROPPED');
    expect(summaries.map((e) => e.id)).toEqual(second.added);
    const { detail, severity } = summaries[0]!.alert!;
    expect(severity).toBe('critical');
    expect(detail).toMatchObject({ firstDroppedAt: NOW });
    const criticalKept = events(second.outbox).filter((e) => e === 'ALL_TIERS_DOWN').length;
    // Every warning goes before any critical alert.
    expect(events(second.outbox)).not.toContain('TIER_CHANGED');
    expect(detail).toMatchObject({
      dropped: firstCount + (120 - firstCount) + (120 - criticalKept),
      events: { TIER_CHANGED: 120, ALL_TIERS_DOWN: 120 - criticalKept },
    });
    expect(outboxBytes(second.outbox)).toBeLessThanOrEqual(OUTBOX_MAX_BYTES);
  });
});
