import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateChain } from '../../shared/core/validate-chain.ts';
import { answerWithHealthyTiers } from '../../shared/core/serving-tier.ts';

// For random valid chains of 2 to 8 tiers and every mix of healthy and unhealthy tiers,
// planning then asking Route 53's answer model serves the first healthy tier, or the last
// tier when no other tier is healthy.

type RecordType = 'CNAME' | 'A' | 'AAAA';

const tierRow = (
  recordType: RecordType,
  index: number,
  useAlias: boolean,
  checkKind: 'managed' | 'existing' | 'none',
) => {
  const id = `t${index}`;
  const alias = {
    alias: { dnsName: `lb-${index}.us-east-1.elb.amazonaws.com`, hostedZoneId: 'Z35SXDOTRQ7X7K' },
  };
  const target =
    recordType === 'CNAME'
      ? `${id}.origin.example.net`
      : useAlias
        ? alias
        : recordType === 'A'
          ? `198.51.100.${index + 1}`
          : `2001:4860::${index + 1}`;
  const healthCheck =
    checkKind === 'managed'
      ? { type: 'HTTP', ip: `8.8.4.${index + 1}` }
      : checkKind === 'existing'
        ? { id: `00000000-0000-0000-0000-00000000000${index}` }
        : undefined;
  return healthCheck ? { id, target, healthCheck } : { id, target };
};

const chainArbitrary = fc
  .record({
    recordType: fc.constantFrom<RecordType>('CNAME', 'A', 'AAAA'),
    tiers: fc.array(
      fc.record({
        alias: fc.boolean(),
        check: fc.constantFrom<'managed' | 'existing' | 'none'>('managed', 'existing', 'none'),
        healthy: fc.boolean(),
      }),
      { minLength: 2, maxLength: 8 },
    ),
  })
  .map(({ recordType, tiers }) => {
    const last = tiers.length - 1;
    const rows = tiers.map((tier, index) => {
      const aliasTier = recordType !== 'CNAME' && tier.alias;
      // Non-alias tiers but the last need a health check; alias tiers may rely on target health.
      const check = index < last && !aliasTier && tier.check === 'none' ? 'managed' : tier.check;
      return tierRow(recordType, index, aliasTier, check);
    });
    return {
      row: { name: 'app.example.com', hostedZoneId: 'Z0123456789EXAMPLE', recordType, tiers: rows },
      healthy: new Set(tiers.flatMap((tier, index) => (tier.healthy ? [`t${index}`] : []))),
    };
  });

describe('planned chains answer like a chain should', () => {
  it('serves the first healthy tier, or the last tier when none is healthy', () => {
    fc.assert(
      fc.property(chainArbitrary, ({ row, healthy }) => {
        const result = validateChain(row);
        if (!result.ok) throw new Error(JSON.stringify(result.errors));
        const chain = result.chain;
        // A tier with neither a health check nor target-health evaluation is always healthy.
        const isUp = (index: number) => {
          const tier = chain.tiers[index]!;
          const monitored =
            tier.healthCheck !== undefined ||
            (tier.target.kind === 'alias' && tier.target.alias.EvaluateTargetHealth);
          return !monitored || healthy.has(tier.id);
        };
        const lastIndex = chain.tiers.length - 1;
        const firstUp = chain.tiers.findIndex((_, index) => index < lastIndex && isUp(index));
        const expected = chain.tiers[firstUp === -1 ? lastIndex : firstUp]!.id;
        expect(answerWithHealthyTiers(chain, healthy, 'default').tier?.id).toBe(expected);
      }),
      { numRuns: 2000 },
    );
  });

  it('checks every combination of healthy tiers for an 8-tier chain exhaustively', () => {
    const row = {
      name: 'app.example.com',
      hostedZoneId: 'Z0123456789EXAMPLE',
      recordType: 'A',
      tiers: Array.from({ length: 8 }, (_, index) => tierRow('A', index, false, 'managed')),
    };
    const result = validateChain(row);
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    for (let mask = 0; mask < 256; mask++) {
      const healthy = new Set(result.chain.tiers.filter((_, i) => (mask >> i) & 1).map((tier) => tier.id));
      const firstUp = result.chain.tiers.findIndex((tier, i) => i < 7 && healthy.has(tier.id));
      expect(answerWithHealthyTiers(result.chain, healthy, 'default').tier?.id).toBe(
        `t${firstUp === -1 ? 7 : firstUp}`,
      );
    }
  });
});
