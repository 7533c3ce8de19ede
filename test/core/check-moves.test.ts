import { describe, expect, it } from 'vitest';
import { checkMoves } from '../../shared/core/check-moves.ts';
import { planChain } from '../../shared/core/plan-records.ts';
import type { ResourceRecordSet } from '../../shared/core/route53-types.ts';
import { chainOf, seedRow } from '../fixtures/chains.ts';

// Which tiers a plan moves onto another health check, read from the records Route 53 holds.

const chain = chainOf(seedRow());
const plan = (ids: Record<string, string>, held: string[] = [], of = chain) =>
  planChain(of, { owner: 'default', healthCheckIds: ids, held }).records;
const now = plan({ primary: 'hc-p', secondary: 'hc-s', tertiary: 'hc-t' });

describe('checkMoves', () => {
  it('finds none when every record keeps its check', () => {
    expect(checkMoves(chain, now, now, [], {})).toEqual([]);
  });

  it("finds a tier whose record would use another check (the last tier's check is on no record)", () => {
    const next = plan({ primary: 'hc-p2', secondary: 'hc-s', tertiary: 'hc-t2' });
    expect(checkMoves(chain, next, now, [], {})).toEqual([{ tierId: 'primary', from: 'hc-p', to: 'hc-p2' }]);
  });

  it('follows a tier to another level (reordered tiers keep their checks)', () => {
    const reordered = chainOf({
      ...seedRow(),
      tiers: [seedRow().tiers[1], seedRow().tiers[0], seedRow().tiers[2]],
    });
    const next = plan({ primary: 'hc-p', secondary: 'hc-s2', tertiary: 'hc-t' }, [], reordered);
    expect(checkMoves(reordered, next, now, [], {})).toEqual([
      { tierId: 'secondary', from: 'hc-s', to: 'hc-s2' },
    ]);
  });

  it("reads a hand-made tree's check from the record with the same target", () => {
    const byHand: ResourceRecordSet[] = [
      {
        Name: 'resilient-site.example.com',
        Type: 'CNAME',
        SetIdentifier: 'Primary',
        Failover: 'PRIMARY',
        TTL: 60,
        ResourceRecords: [{ Value: 'PRIMARY.resilient-site.example.com' }],
        HealthCheckId: 'by-hand',
      },
    ];
    expect(checkMoves(chain, now, byHand, [], {})).toEqual([
      { tierId: 'primary', from: 'by-hand', to: 'hc-p' },
    ]);
  });

  it('falls back on the check status knew when the target changed too, if a record still uses it', () => {
    const moved = chainOf({
      ...seedRow(),
      tiers: [{ ...seedRow().tiers[0], target: 'new.example.net' }, ...seedRow().tiers.slice(1)],
    });
    const next = plan({ primary: 'hc-p2', secondary: 'hc-s', tertiary: 'hc-t' }, [], moved);
    expect(checkMoves(moved, next, now, [], { primary: 'hc-p' })).toEqual([
      { tierId: 'primary', from: 'hc-p', to: 'hc-p2' },
    ]);
    expect(checkMoves(moved, next, now, [], { primary: 'hc-gone' })).toEqual([]);
  });

  it('moves nothing for a tier held out of the chain', () => {
    const next = plan({ primary: 'hc-p2', secondary: 'hc-s', tertiary: 'hc-t' }, ['primary']);
    expect(checkMoves(chain, next, now, ['primary'], {})).toEqual([]);
  });
});
