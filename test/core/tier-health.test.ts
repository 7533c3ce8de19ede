import { describe, expect, it } from 'vitest';
import { activeTiers } from '../../shared/core/active-tiers.ts';
import { allTiersDown, tierHealthFromAlarms } from '../../shared/core/tier-health.ts';
import { chainOf, seedRow } from '../fixtures/chains.ts';

const chain = chainOf(seedRow());

describe('tier health from alarm states', () => {
  it('reads OK as healthy, ALARM as unhealthy, and an unchecked tier as unchecked', () => {
    const states = new Map([
      ['primary', 'ALARM' as const],
      ['secondary', 'OK' as const],
    ]);
    expect(tierHealthFromAlarms(chain, states)).toEqual({
      primary: 'unhealthy',
      secondary: 'healthy',
      tertiary: 'unchecked',
    });
  });

  it('treats INSUFFICIENT_DATA as no news: the last health seen, or healthy if never seen', () => {
    const states = new Map([
      ['primary', 'INSUFFICIENT_DATA' as const],
      ['secondary', 'INSUFFICIENT_DATA' as const],
    ]);
    expect(tierHealthFromAlarms(chain, states, { primary: 'unhealthy' })).toEqual({
      primary: 'unhealthy',
      secondary: 'healthy',
      tertiary: 'unchecked',
    });
  });

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
