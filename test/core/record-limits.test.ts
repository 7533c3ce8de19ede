import { describe, expect, it } from 'vitest';
import { batchCost } from '../../shared/core/aws-limits.ts';
import { diffRecords } from '../../shared/core/diff-records.ts';
import { planChain } from '../../shared/core/plan-records.ts';
import { validateChain } from '../../shared/core/validate-chain.ts';
import { formatValidationError } from '../../shared/core/validation-error.ts';

// Route 53 refuses a change batch over 1,000 ResourceRecord values or 32,000 characters of
// values, an UPSERT counting twice:
// https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/DNSLimitations.html#limits-api-requests-changeresourcerecordsets
// The largest batch a chain can need is all of its records UPSERTed plus an earlier version's
// records deleted, so a valid chain holds at most a third of each limit.

/** `count` distinct 39-character IPv6 addresses for tier `tier` (every group four hex digits). */
const longIpv6 = (tier: number, count: number) =>
  Array.from(
    { length: count },
    (_, i) => `2a0${tier}:1450:4001:a829:b111:c222:d333:${(0xe000 + i).toString(16)}`,
  );

/** `count` distinct IPv4 addresses for tier `tier`. */
const ipv4 = (tier: number, count: number) => Array.from({ length: count }, (_, i) => `3.${tier}.${i}.1`);

/** A four-tier chain with these targets: three checked tiers, then the last. */
function row(recordType: 'A' | 'AAAA', targets: string[][]) {
  const probe = recordType === 'A' ? '8.8.8.8' : '2a00:1450:4001::1';
  return {
    name: 'a.example.com',
    hostedZoneId: 'Z0123456789EXAMPLE',
    recordType,
    tiers: targets.map((target, index) =>
      index < targets.length - 1
        ? { id: `t${index}`, target, healthCheck: { type: 'HTTP', ip: probe } }
        : { id: `t${index}`, target },
    ),
  };
}

const errorsOf = (value: unknown) => {
  const result = validateChain(value);
  return result.ok ? [] : result.errors.map(formatValidationError);
};

const valuesError = (count: number, worst: string, fewer: number) =>
  `tiers: this chain's records hold ${count.toLocaleString('en-US')} values (addresses, host names, alias targets and the links between levels); ` +
  `a change that rewrites them all (UPSERT counts twice) and deletes an earlier version of the row in the same request can send up to ${worst} to Route 53, ` +
  `over its limit of 1,000 per request: use at most 333 values (${fewer} fewer)`;

const charactersError = (count: string, worst: string, fewer: number) =>
  `tiers: this chain's records hold ${count} characters of values; ` +
  `a change that rewrites them all (UPSERT counts twice) and deletes an earlier version of the row in the same request can send up to ${worst} to Route 53, ` +
  `over its limit of 32,000 per request: use at most 10,666 characters of values (${fewer} fewer)`;

// Four tiers make six records: three primaries with tiers 0-2, a secondary with tier 3, and two
// alias secondaries to backup.a.example.com. (21 characters) and backup2.a.example.com. (22),
// each counted as one value.
describe('a chain whose records could not fit one change batch is invalid', () => {
  it.each([
    ['333 values: just fits', row('A', [ipv4(0, 100), ipv4(1, 100), ipv4(2, 100), ipv4(3, 31)]), []],
    [
      '334 values: one over',
      row('A', [ipv4(0, 100), ipv4(1, 100), ipv4(2, 100), ipv4(3, 32)]),
      [valuesError(334, '1,002', 1)],
    ],
    [
      '8 tiers of 100 addresses',
      {
        ...row(
          'A',
          Array.from({ length: 8 }, (_, tier) => ipv4(tier, 100)),
        ),
        name: 'big.example.com',
      },
      // 800 addresses and six links between levels.
      [valuesError(806, '2,418', 473)],
    ],
    [
      '10,666 characters: just fits',
      // 272 addresses of 39 characters, one of 15, and the 43 characters of the two links.
      row('AAAA', [longIpv6(0, 100), longIpv6(1, 100), longIpv6(2, 72), ['2a00:1450::abcd']]),
      [],
    ],
    [
      '10,667 characters: one over',
      row('AAAA', [longIpv6(0, 100), longIpv6(1, 100), longIpv6(2, 72), ['2a00:1450:1::abc']]),
      [charactersError('10,667', '32,001', 1)],
    ],
  ])('%s', (_, value, expected) => {
    expect(errorsOf(value)).toEqual(expected);
  });

  it('counts the chain with every tier serving, whatever is drained or pinned now', () => {
    const over = row('A', [ipv4(0, 100), ipv4(1, 100), ipv4(2, 100), ipv4(3, 32)]);
    expect(errorsOf({ ...over, pin: 't3' })).toEqual([valuesError(334, '1,002', 1)]);
    expect(errorsOf({ ...over, drain: ['t0', 't1'] })).toEqual([valuesError(334, '1,002', 1)]);
  });
});

describe('the largest batch between two valid versions of a row', () => {
  it('fits, and only just: every record rewritten and the earlier, deeper records deleted', () => {
    const chainOf = (value: unknown) => {
      const result = validateChain(value);
      if (!result.ok) throw new Error(JSON.stringify(result.errors));
      return result.chain;
    };
    // Before: eight tiers, 333 values, most in the deepest levels.
    const before = chainOf(
      row('A', [
        ...[0, 1, 2, 3].map((tier) => ipv4(tier, 1)),
        ipv4(4, 23),
        ipv4(5, 100),
        ipv4(6, 100),
        ipv4(7, 100),
      ]),
    );
    // After: four tiers, 333 values, every address new.
    const after = chainOf(row('A', [ipv4(10, 100), ipv4(11, 100), ipv4(12, 100), ipv4(13, 31)]));
    const observed = planChain(before, { owner: 'default' }).records;
    const desired = planChain(after, { owner: 'default' }).records;
    const { changes } = diffRecords(desired, observed, { owner: 'default', chainName: 'a.example.com' });
    // The four records holding addresses UPSERTed (2 x 331; the two links to deeper levels are
    // unchanged) and levels 3 to 6 of the old chain deleted (327).
    expect(changes.map((change) => change.Action).sort()).toEqual([
      ...Array<string>(8).fill('DELETE'),
      ...Array<string>(4).fill('UPSERT'),
    ]);
    expect(batchCost(changes).values).toBe(989);
  });
});
