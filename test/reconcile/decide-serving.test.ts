import { describe, expect, it } from 'vitest';
import { newStatus, type ChainStatus } from '../../shared/core/chain-status.ts';
import type { BuiltChain } from '../../shared/core/serving-tier.ts';
import type { AlarmState } from '../../shared/core/tier-health.ts';
import { decideServing, type ServingInput } from '../../shared/reconcile/decide-serving.ts';
import { chainOf, seedRow } from '../fixtures/chains.ts';

// The one decision of what serves: the records as built and their checks' alarms in; status,
// alerts and history out.

const chain = chainOf(seedRow());
const manual = chainOf({ ...seedRow(), failback: 'manual' });
const CHECKS = { primary: 'hc-1', secondary: 'hc-2' };
const built: ChainStatus = {
  ...newStatus(chain.name, '2026-11-25T00:00:00.000Z'),
  revision: 3,
  state: 'IN_SYNC',
  applied: chain,
  built: { held: [], checks: CHECKS },
  servingTier: 'primary',
  tierHealth: { primary: 'healthy', secondary: 'healthy', tertiary: 'unchecked' },
};

function decide(
  states: Record<string, AlarmState>,
  stored: ChainStatus = built,
  extra: Partial<ServingInput> = {},
  at = '2026-11-25T00:01:00.000Z',
) {
  const records: BuiltChain = {
    chain: stored.applied!,
    held: stored.built!.held,
    checks: stored.built!.checks,
  };
  return decideServing({
    stored,
    base: stored,
    built: records,
    builtBefore: records,
    readings: new Map(Object.entries(states).map(([tier, state]) => [tier, { state, at }])),
    at,
    now: at,
    owner: 'default',
    flap: { maxFlips: 2, windowSeconds: 600 },
    ...extra,
  });
}

const history = (decision: ReturnType<typeof decide>) => decision.outbox.flatMap((c) => c.history ?? []);

describe('deciding what serves from the records as built and their checks', () => {
  it('a failing primary: secondary serves, one TIER_CHANGED and its history entry', () => {
    const decision = decide({ primary: 'ALARM', secondary: 'OK' });
    expect(decision.to).toBe('secondary');
    expect(decision.event).toBe('TIER_CHANGED');
    expect(decision.alerts.map((a) => a.subject)).toEqual([
      'resilient-site.example.com: primary -> secondary',
    ]);
    expect(history(decision)).toMatchObject([{ event: 'TIER_CHANGED', from: 'primary', to: 'secondary' }]);
    expect(decision.next).toMatchObject({
      servingTier: 'secondary',
      flips: ['2026-11-25T00:01:00.000Z'],
      checkHealth: { 'hc-1': { health: 'unhealthy' }, 'hc-2': { health: 'healthy' } },
    });
    expect(built.servingTier).toBe('primary');
  });

  it('no news: nothing to tell and nothing recorded in history', () => {
    const decision = decide({ primary: 'OK', secondary: 'OK' });
    expect([decision.to, decision.event, decision.alerts, decision.outbox]).toEqual([
      'primary',
      undefined,
      [],
      [],
    ]);
  });

  it('a flip while flapping is recorded but not alerted', () => {
    const flapping: ChainStatus = {
      ...built,
      servingTier: 'secondary',
      tierHealth: { primary: 'unhealthy', secondary: 'healthy', tertiary: 'unchecked' },
      checkHealth: { 'hc-1': { health: 'unhealthy' } },
      flips: ['2026-11-25T00:00:20.000Z', '2026-11-25T00:00:40.000Z', '2026-11-25T00:00:50.000Z'],
      flappingSince: '2026-11-25T00:00:50.000Z',
    };
    const decision = decide({ primary: 'OK', secondary: 'OK' }, flapping);
    expect(decision.event).toBe('RECOVERED');
    expect(decision.alerts).toEqual([]);
    expect(history(decision)).toMatchObject([{ event: 'RECOVERED' }]);
    expect(decision.next.flips).toHaveLength(4);
  });

  it("a new chain's first answer: quiet on its first tier, TIER_CHANGED from it when that tier fails", () => {
    const fresh: ChainStatus = { ...built, servingTier: undefined, tierHealth: undefined };
    delete fresh.servingTier;
    expect(decide({ primary: 'OK' }, fresh).alerts).toEqual([]);
    const failing = decide({ primary: 'ALARM' }, fresh);
    expect(failing.to).toBe('secondary');
    expect(failing.alerts).toMatchObject([
      {
        event: 'TIER_CHANGED',
        subject: 'resilient-site.example.com: primary -> secondary',
        detail: { from: 'primary', to: 'secondary', firstAnswer: true },
      },
    ]);
    expect(failing.alerts[0]!.text).toContain('was just built and serves tier secondary, not primary');
    expect(failing.next.heldTiers).toBeUndefined();
  });

  it('manual failback holds the tier traffic left, and asks for the records to be built without it', () => {
    const stored: ChainStatus = { ...built, applied: manual };
    const decision = decide({ primary: 'ALARM' }, stored);
    expect(decision.next.heldTiers).toEqual(['primary']);
    expect(decision.rebuild).toBe(true);

    const rebuilt: ChainStatus = { ...decision.next, built: { held: ['primary'], checks: CHECKS } };
    const recovered = decide({ primary: 'OK' }, rebuilt, {}, '2026-11-25T00:02:00.000Z');
    expect([recovered.to, recovered.rebuild]).toEqual(['secondary', false]);
    expect(recovered.alerts.map((a) => a.event)).toEqual(['FAILBACK_PENDING']);
  });

  it('until the records leave the held tier out, Route 53 serves it again when it recovers, and status says so', () => {
    const stored: ChainStatus = { ...built, applied: manual };
    const held = decide({ primary: 'ALARM' }, stored).next;
    const recovered = decide({ primary: 'OK' }, held, {}, '2026-11-25T00:02:00.000Z');
    expect(recovered.to).toBe('primary');
    expect(recovered.rebuild).toBe(true);
  });

  it("a build's own announcement stands for the move: no second alert", () => {
    const announced = {
      alert: { ...decide({ primary: 'ALARM' }).alerts[0]!, event: 'CONTROL_CHANGED' as const },
      history: history(decide({ primary: 'ALARM' }))[0]!,
    };
    const decision = decide({ primary: 'ALARM' }, built, { announce: () => announced });
    expect(decision.event).toBeUndefined();
    expect(decision.alerts.map((a) => a.event)).toEqual(['CONTROL_CHANGED']);
    expect(decision.next.flips).toBeUndefined();
  });
});
