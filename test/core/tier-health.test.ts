import { describe, expect, it } from 'vitest';
import { activeTiers } from '../../shared/core/active-tiers.ts';
import {
  allTiersDown,
  checkHealthFromAlarms,
  tierHealthOf,
  type AlarmReading,
  type AlarmState,
} from '../../shared/core/tier-health.ts';
import { chainOf, seedRow } from '../fixtures/chains.ts';

const chain = chainOf(seedRow());

describe('health of checks from their alarms, and of tiers from their checks', () => {
  const checks = { primary: 'hc-1', secondary: 'hc-2' };
  const reading = (state: AlarmState, extra: Partial<AlarmReading> = {}): AlarmReading => ({
    state,
    ...extra,
  });

  it('reads OK as healthy, ALARM as unhealthy, and an unchecked tier as unchecked', () => {
    const readings = new Map([
      ['primary', reading('ALARM')],
      ['secondary', reading('OK')],
    ]);
    const health = checkHealthFromAlarms(checks, readings);
    expect(health).toEqual({ 'hc-1': { health: 'unhealthy' }, 'hc-2': { health: 'healthy' } });
    expect(tierHealthOf(chain, checks, health)).toEqual({
      primary: 'unhealthy',
      secondary: 'healthy',
      tertiary: 'unchecked',
    });
  });

  it('treats INSUFFICIENT_DATA as no news: the health last seen for that check, or healthy if never seen', () => {
    const readings = new Map([
      ['primary', reading('INSUFFICIENT_DATA')],
      ['secondary', reading('INSUFFICIENT_DATA')],
    ]);
    const health = checkHealthFromAlarms(checks, readings, { 'hc-1': { health: 'unhealthy' } });
    expect(tierHealthOf(chain, checks, health)).toEqual({
      primary: 'unhealthy',
      secondary: 'healthy',
      tertiary: 'unchecked',
    });
  });

  it('keeps health per check: a tier that changes checks does not carry the old check to the new one', () => {
    const seen = { 'hc-old': { health: 'unhealthy' as const, at: '2026-11-25T00:00:00.000Z' } };
    const moved = { ...checks, primary: 'hc-new' };
    const health = checkHealthFromAlarms(moved, new Map([['primary', reading('INSUFFICIENT_DATA')]]), seen);
    expect(health).toEqual({});
    expect(tierHealthOf(chain, moved, health).primary).toBe('healthy');
  });

  it('takes no news from an alarm that watches another check, that is older than what was seen, or whose state predates its settings', () => {
    const seen = { 'hc-1': { health: 'healthy' as const, at: '2026-11-25T00:05:00.000Z' } };
    const cases: AlarmReading[] = [
      reading('ALARM', { checkId: 'hc-other' }),
      reading('ALARM', { at: '2026-11-25T00:04:00.000Z' }),
      reading('ALARM', { at: '2026-11-25T00:06:00.000Z', configuredAt: '2026-11-25T00:07:00.000Z' }),
    ];
    for (const r of cases) {
      expect(
        checkHealthFromAlarms(checks, new Map([['primary', r]]), seen)['hc-1'],
        JSON.stringify(r),
      ).toEqual(seen['hc-1']);
    }
    const news = reading('ALARM', { at: '2026-11-25T00:06:00.000Z', checkId: 'hc-1' });
    expect(checkHealthFromAlarms(checks, new Map([['primary', news]]), seen)['hc-1']).toEqual({
      health: 'unhealthy',
      at: '2026-11-25T00:06:00.000Z',
    });
  });
});

describe('all tiers down', () => {
  it('calls a chain all down only when every tier is checked and failing', () => {
    expect(allTiersDown(chain, { primary: 'unhealthy', secondary: 'unhealthy', tertiary: 'unchecked' })).toBe(
      false,
    );
    const checked = seedRow();
    checked.tiers[2]!.healthCheck = { type: 'TCP', ip: '8.8.8.8', port: 53 };
    expect(
      allTiersDown(chainOf(checked), { primary: 'unhealthy', secondary: 'unhealthy', tertiary: 'unhealthy' }),
    ).toBe(true);
  });
});

describe('active tiers', () => {
  it('leaves out drained and held tiers, but keeps held ones when nothing else would remain', () => {
    const drained = chainOf({ ...seedRow(), drain: ['secondary'] });
    expect(activeTiers(drained, ['primary']).map((t) => t.id)).toEqual(['tertiary']);
    const onlyHeldLeft = chainOf({ ...seedRow(), drain: ['primary', 'secondary'] });
    expect(activeTiers(onlyHeldLeft, ['tertiary']).map((t) => t.id)).toEqual(['tertiary']);
    expect(activeTiers(chainOf({ ...seedRow(), pin: 'secondary' }), ['secondary']).map((t) => t.id)).toEqual([
      'secondary',
    ]);
  });
});
