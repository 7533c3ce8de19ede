import { describe, expect, it } from 'vitest';
import { newStatus, type ChainStatus } from '../../shared/core/chain-status.ts';
import { planChain } from '../../shared/core/plan-records.ts';
import { inSyncStatus } from '../../shared/reconcile/in-sync-status.ts';
import { chainOf, seedRow } from '../fixtures/chains.ts';

describe('the in-sync status transition', () => {
  const chain = chainOf(seedRow());
  const records = planChain(chain, { owner: 'default' }).records;
  const failed: ChainStatus = {
    ...newStatus(chain.name, '2026-11-25T00:00:00.000Z'),
    revision: 7,
    state: 'ERROR',
    errors: ['Throttling: Rate exceeded'],
    alertedProblem: 'abc',
    lease: { holder: 'me', until: '2026-11-25T00:02:00.000Z' },
    heldTiers: ['primary'],
    failedBack: { tiers: ['primary'], at: '2026-11-25T00:00:00.000Z' },
    warnings: ['old warning'],
    zoneIds: ['Z0123456789EXAMPLE'],
    healthChecks: { primary: { callerReference: 'ref-1', id: 'hc-1' } },
    outbox: { a1: { id: 'a1', recordedAt: '2026-11-25T00:00:00.000Z' } },
  };

  it('clears the problem, the lease, earlier holds, an announced failback and warnings; keeps what was made and what is owed', () => {
    const next = inSyncStatus(failed, {
      chain,
      records,
      controls: { drain: [], failback: 'auto' },
      held: [],
      checks: { primary: 'hc-1' },
      warnings: [],
    });
    expect(next).toMatchObject({
      state: 'IN_SYNC',
      errors: [],
      built: { held: [], checks: { primary: 'hc-1' } },
      tiers: ['primary', 'secondary', 'tertiary'],
      hostedZoneId: 'Z0123456789EXAMPLE',
      zoneIds: ['Z0123456789EXAMPLE'],
      healthChecks: failed.healthChecks,
      outbox: failed.outbox,
      revision: 7,
    });
    expect(next.records).toHaveLength(records.length);
    for (const gone of ['alertedProblem', 'lease', 'heldTiers', 'warnings', 'failedBack'] as const) {
      expect(next, gone).not.toHaveProperty(gone);
    }
    expect(failed.state).toBe('ERROR');
  });

  it('records held tiers, warnings and the applied chain when there are some', () => {
    const next = inSyncStatus(failed, {
      chain,
      records,
      controls: { drain: ['primary'], failback: 'manual' },
      held: ['secondary'],
      checks: {},
      warnings: ['pinned'],
    });
    expect(next).toMatchObject({
      heldTiers: ['secondary'],
      warnings: ['pinned'],
      applied: chain,
      built: { held: ['secondary'] },
    });
  });

  it('is PENDING, not IN_SYNC, while a failing tier keeps its old check', () => {
    const next = inSyncStatus(
      { ...failed, keptChecks: { primary: 'hc-0' } },
      {
        chain,
        records,
        controls: { drain: [], failback: 'auto' },
        held: [],
        checks: { primary: 'hc-0' },
        warnings: [],
      },
    );
    expect(next).toMatchObject({ state: 'PENDING', keptChecks: { primary: 'hc-0' } });
  });
});
