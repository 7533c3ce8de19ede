import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeAnswer } from '../../shared/core/answer-equivalence.ts';
import { toFqdn } from '../../shared/core/dns-name.ts';
import { importChain } from '../../shared/core/import-chain.ts';
import { planChain } from '../../shared/core/plan-records.ts';
import { answer } from '../../shared/core/route53-answer.ts';
import type { ResourceRecordSet } from '../../shared/core/route53-types.ts';
import { validateChain } from '../../shared/core/validate-chain.ts';

// Round trip: for random valid chains, plan the records, make them look hand-made (the user's
// own set identifiers and, sometimes, intermediate names), import them back, and the imported
// row must answer exactly like the original for every combination of health.

const ZONE = 'Z0123456789EXAMPLE';
type RecordType = 'CNAME' | 'A' | 'AAAA';

interface Input {
  recordType: RecordType;
  tiers: { alias: boolean; evaluate: boolean; check: string; values: number }[];
}

const arbitrary = fc.record({
  recordType: fc.constantFrom<RecordType>('CNAME', 'A', 'AAAA'),
  tiers: fc.array(
    fc.record({
      alias: fc.boolean(),
      evaluate: fc.boolean(),
      check: fc.constantFrom('managed', 'existing', 'none'),
      values: fc.integer({ min: 1, max: 3 }),
    }),
    { minLength: 2, maxLength: 8 },
  ),
  setIds: fc.constantFrom(['Primary', 'Secondary'], ['main', 'dr'], ['A', 'B']),
  renameLevels: fc.boolean(),
});

function rowOf({ recordType, tiers }: Input) {
  const last = tiers.length - 1;
  return {
    name: 'app.example.com',
    hostedZoneId: ZONE,
    recordType,
    tiers: tiers.map((tier, index) => {
      const aliasTier = recordType !== 'CNAME' && tier.alias;
      const ip = (n: number) =>
        recordType === 'A' ? `198.51.${index}.${n + 1}` : `2001:db8:${index}::${n + 1}`;
      const target =
        recordType === 'CNAME'
          ? `t${index}.origin.example.net`
          : aliasTier
            ? {
                alias: {
                  dnsName: `lb-${index}.us-east-1.elb.amazonaws.com`,
                  hostedZoneId: 'Z35SXDOTRQ7X7K',
                  evaluateTargetHealth: tier.evaluate,
                },
              }
            : Array.from({ length: tier.values }, (_, n) => ip(n));
      const needsCheck = index < last && !(aliasTier && tier.evaluate);
      const check = needsCheck && tier.check === 'none' ? 'managed' : tier.check;
      const healthCheck =
        check === 'managed'
          ? { type: 'TCP', ip: `8.8.${index}.1`, port: 443 }
          : check === 'existing'
            ? { id: `user-check-${index}` }
            : undefined;
      return { id: `tier-${index}`, target, ...(healthCheck ? { healthCheck } : {}) };
    }),
  };
}

/** The planned records as a person would have made them: other set ids, maybe other names. */
function handMade(
  records: ResourceRecordSet[],
  setIds: readonly string[],
  rename: boolean,
): ResourceRecordSet[] {
  const names = new Map<string, string>();
  if (rename) {
    for (const record of records) {
      const name = toFqdn(record.Name);
      if (name !== 'app.example.com.' && !names.has(name))
        names.set(name, `fallback-${names.size + 1}.example.com.`);
    }
  }
  const renamed = (name: string) => names.get(toFqdn(name)) ?? name;
  return records.map((record) => ({
    ...record,
    Name: renamed(record.Name),
    SetIdentifier: record.Failover === 'PRIMARY' ? setIds[0] : setIds[1],
    ...(record.ResourceRecords
      ? {
          ResourceRecords: record.ResourceRecords.map((r) => ({
            Value: record.Type === 'CNAME' ? renamed(r.Value) : r.Value,
          })),
        }
      : {}),
    ...(record.AliasTarget
      ? { AliasTarget: { ...record.AliasTarget, DNSName: renamed(record.AliasTarget.DNSName) } }
      : {}),
  }));
}

describe('import round trip', () => {
  it('imports planned chains back into rows that answer exactly like the original', () => {
    fc.assert(
      fc.property(arbitrary, (input) => {
        const validated = validateChain(rowOf(input));
        if (!validated.ok) throw new Error(JSON.stringify(validated.errors));
        const original = validated.chain;
        const healthCheckIds = Object.fromEntries(original.tiers.map((t) => [t.id, `managed-${t.id}`]));
        const planned = planChain(original, { owner: 'default', healthCheckIds }).records;
        const records = handMade(planned, input.setIds, input.renameLevels);

        const result = importChain({
          zone: { id: ZONE, name: 'example.com.', records },
          name: 'app.example.com',
          owner: 'default',
        });
        if (!result.ok) throw new Error(JSON.stringify(result.problems));
        const imported = planChain(result.chain, { owner: 'default' }).records;

        const checks = [...new Set(planned.flatMap((r) => (r.HealthCheckId ? [r.HealthCheckId] : [])))];
        const aliases = original.tiers.flatMap((t) =>
          t.target.kind === 'alias' ? [toFqdn(t.target.alias.DNSName)] : [],
        );
        const variables = [...checks, ...aliases];
        const queryType = original.recordType === 'CNAME' ? 'A' : original.recordType;
        for (let mask = 0; mask < 2 ** variables.length; mask++) {
          const down = new Set(variables.filter((_, i) => (mask >> i) & 1));
          const healthy = new Set(checks.filter((c) => !down.has(c)));
          const options = { aliasTargetHealthy: (t: { DNSName: string }) => !down.has(toFqdn(t.DNSName)) };
          expect(describeAnswer(answer(imported, healthy, original.name, queryType, options))).toBe(
            describeAnswer(answer(planned, healthy, original.name, queryType, options)),
          );
        }
      }),
      { numRuns: 150 },
    );
  });
});
