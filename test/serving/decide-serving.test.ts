import { describe, expect, it } from 'vitest';
import { newStatus, type ChainStatus } from '../../shared/core/chain-status.ts';
import type { AlarmState } from '../../shared/core/tier-health.ts';
import { decideServing, type ServingInput } from '../../shared/serving/decide-serving.ts';
import { chainOf, seedRow } from '../fixtures/chains.ts';

// The alarm handler's decision, alone: alarm states in, status, alerts and history out.

const chain = chainOf(seedRow());
const built: ChainStatus = {
  ...newStatus(chain.name, '2026-11-25T00:00:00.000Z'),
  revision: 3,
  state: 'IN_SYNC',
};

function decide(
  states: Record<string, AlarmState>,
  stored: ChainStatus = built,
  at = '2026-11-25T00:01:00.000Z',
) {
  const input: ServingInput = {
    chain,
    stored,
    states: new Map(Object.entries(states)),
    observedAt: at,
    now: at,
    owner: 'default',
    flap: { maxFlips: 2, windowSeconds: 600 },
  };
  return decideServing(input);
}

describe('deciding what serves from alarm states', () => {
  it('a failing primary: secondary serves, one TIER_CHANGED and its history entry', () => {
    const decision = decide({ primary: 'ALARM', secondary: 'OK' });
    expect(decision.to).toBe('secondary');
    expect(decision.event).toBe('TIER_CHANGED');
    expect(decision.alerts.map((a) => a.subject)).toEqual([
      'resilient-site.example.com: primary -> secondary',
    ]);
    expect(decision.history).toMatchObject({ event: 'TIER_CHANGED', from: 'primary', to: 'secondary' });
    expect(decision.next).toMatchObject({ servingTier: 'secondary', flips: ['2026-11-25T00:01:00.000Z'] });
    expect(built).not.toHaveProperty('servingTier');
  });

  it('no news: nothing to tell and nothing recorded in history', () => {
    const decision = decide({ primary: 'OK', secondary: 'OK' });
    expect([decision.to, decision.event, decision.alerts, decision.history]).toEqual([
      'primary',
      undefined,
      [],
      undefined,
    ]);
  });

  it('a flip while flapping is recorded but not alerted', () => {
    const flapping: ChainStatus = {
      ...built,
      servingTier: 'secondary',
      tierHealth: { primary: 'unhealthy', secondary: 'healthy', tertiary: 'unchecked' },
      flips: ['2026-11-25T00:00:20.000Z', '2026-11-25T00:00:40.000Z', '2026-11-25T00:00:50.000Z'],
      flappingSince: '2026-11-25T00:00:50.000Z',
    };
    const decision = decide({ primary: 'OK', secondary: 'OK' }, flapping);
    expect(decision.event).toBe('RECOVERED');
    expect(decision.alerts).toEqual([]);
    expect(decision.history).toMatchObject({ event: 'RECOVERED' });
    expect(decision.next.flips).toHaveLength(4);
  });
});
