import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAlarmEvent } from '../../shared/core/alarm-event.ts';
import {
  ALARM_LIMITS,
  batchCost,
  CALLER_REFERENCE_MAX,
  ROUTE53_BATCH_LIMITS,
  TAG_LIMITS,
} from '../../shared/core/aws-limits.ts';
import type { Chain } from '../../shared/core/chain.ts';
import { isOwnCallerReference, newCallerReference } from '../../shared/core/caller-reference.ts';
import { diffRecords } from '../../shared/core/diff-records.ts';
import { alarmNamePrefix, planAlarm } from '../../shared/core/plan-alarms.ts';
import { healthCheckTags } from '../../shared/core/plan-health-checks.ts';
import { planChain } from '../../shared/core/plan-records.ts';
import { CHAIN_RECORD_LIMITS } from '../../shared/core/record-limits.ts';
import type { RecordChange } from '../../shared/core/route53-types.ts';
import { validateChain } from '../../shared/core/validate-chain.ts';

// For random valid rows, at every length a valid row allows (owner ids and tier ids of up to 32
// characters, names of up to 253, up to 100 addresses a tier), everything the planner produces
// is within what AWS accepts:
// - tag keys <= 128 and values <= 256 characters (Route 53 ChangeTagsForResource and CloudWatch
//   PutMetricAlarm): https://docs.aws.amazon.com/Route53/latest/APIReference/API_Tag.html,
//   https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_Tag.html
// - alarm names <= 255 and descriptions <= 1024 characters:
//   https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html
// - CallerReference <= 64 characters:
//   https://docs.aws.amazon.com/Route53/latest/APIReference/API_CreateHealthCheck.html
// - every change batch between two versions of a row, under any drain, pin or held tiers, within
//   1,000 values and 32,000 characters, an UPSERT counting twice:
//   https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/DNSLimitations.html

type RecordType = 'A' | 'AAAA' | 'CNAME';

const idPattern = /^[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?$/;
const ownerArbitrary = fc.oneof(
  fc.constant('default'),
  fc.constant(`o${'x'.repeat(30)}9`),
  fc.stringMatching(idPattern),
);

/** A DNS name of exactly `length` characters (5 to 253), labels of at most 63, ending in `.com`. */
function nameOfLength(length: number, letter: string): string {
  const labels: string[] = [];
  let rest = length - 4;
  while (rest > 0) {
    const take = rest <= 63 ? rest : Math.min(63, rest - 2);
    labels.push(letter.repeat(take));
    rest -= take + 1;
  }
  return `${labels.join('.')}.com`;
}

const address = (recordType: RecordType, version: number, tier: number, i: number) =>
  recordType === 'A'
    ? `3.${version * 10 + tier}.${i}.1`
    : `2a0${version}:1450:400${tier}:a829:b111:c222:d333:${(0xe000 + i).toString(16)}`;

const tierArbitrary = fc.record({
  id: fc.stringMatching(idPattern),
  kind: fc.constantFrom('ips', 'alias', 'host'),
  // Mostly a few addresses, often many: rows near the limits are the interesting ones.
  count: fc.oneof(
    { arbitrary: fc.integer({ min: 1, max: 3 }), weight: 3 },
    { arbitrary: fc.integer({ min: 1, max: 100 }), weight: 1 },
  ),
  existingCheck: fc.boolean(),
  hostLength: fc.integer({ min: 5, max: 253 }),
});

const versionArbitrary = fc.record({
  tiers: fc.array(tierArbitrary, { minLength: 2, maxLength: 8 }),
  ttl: fc.integer({ min: 0, max: 86_400 }),
  // Mostly every tier serving, which makes the largest batches; sometimes drained, pinned or held.
  drainMask: fc.oneof({ arbitrary: fc.constant(0), weight: 3 }, { arbitrary: fc.nat(255), weight: 1 }),
  pin: fc.option(fc.nat(7), { nil: undefined, freq: 4 }),
  heldMask: fc.oneof({ arbitrary: fc.constant(0), weight: 3 }, { arbitrary: fc.nat(255), weight: 1 }),
  // Fill the address tiers up to the most a valid row may hold, from the first tier or the last.
  fill: fc.constantFrom('no', 'first', 'last'),
});

type Version = typeof versionArbitrary extends fc.Arbitrary<infer T> ? T : never;

/** Address counts per tier; filled ones reach the limit, so old and new rows are both at the edge. */
function countsOf(name: string, recordType: RecordType, version: Version): number[] {
  const counts = version.tiers.map((tier) => tier.count);
  if (version.fill === 'no' || recordType === 'CNAME') return counts;
  const links = version.tiers.length - 2;
  let budget =
    recordType === 'A'
      ? CHAIN_RECORD_LIMITS.values - links
      : Math.floor((CHAIN_RECORD_LIMITS.characters - links * (name.length + 9)) / 39);
  const order = version.tiers.map((_, index) => index);
  if (version.fill === 'last') order.reverse();
  let addressTiers = version.tiers.filter((tier) => tier.kind !== 'alias').length;
  for (const index of order) {
    if (version.tiers[index]!.kind === 'alias') {
      budget -= 1;
      continue;
    }
    addressTiers--;
    counts[index] = Math.max(1, Math.min(100, budget - addressTiers));
    budget -= counts[index];
  }
  return counts;
}

function rowOf(name: string, recordType: RecordType, version: Version, which: number) {
  const last = version.tiers.length - 1;
  const counts = countsOf(name, recordType, version);
  return {
    name,
    hostedZoneId: 'Z0123456789EXAMPLE',
    recordType,
    ttl: version.ttl,
    tiers: version.tiers.map((tier, index) => {
      const id = `${tier.id.slice(0, 31)}${index}`;
      const target =
        recordType === 'CNAME'
          ? nameOfLength(tier.hostLength, String.fromCharCode(98 + index))
          : tier.kind === 'alias'
            ? {
                alias: { dnsName: `lb-${index}.us-east-1.elb.amazonaws.com`, hostedZoneId: 'Z35SXDOTRQ7X7K' },
              }
            : Array.from({ length: counts[index]! }, (_, i) => address(recordType, which, index, i));
      if (index === last) return { id, target };
      const healthCheck = tier.existingCheck
        ? { id: `00000000-0000-0000-0000-00000000000${index}` }
        : { type: 'HTTP', ip: recordType === 'A' ? '8.8.8.8' : '2a00:1450:4001::1' };
      return { id, target, healthCheck };
    }),
  };
}

/** The chain as a version's operator controls leave it (only combinations a valid row allows). */
function controlled(chain: Chain, version: Version): { chain: Chain; held: string[] } {
  const ids = chain.tiers.map((tier) => tier.id);
  let drain = ids.filter((_, i) => (version.drainMask >> i) & 1);
  if (drain.length === ids.length) drain = drain.slice(1);
  const pin = version.pin === undefined ? undefined : ids[version.pin % ids.length];
  const held = ids.filter((id, i) => (version.heldMask >> i) & 1 && !drain.includes(id) && id !== pin);
  const result: Chain = { ...chain, drain: drain.filter((id) => id !== pin) };
  if (pin !== undefined) result.pin = pin;
  return { chain: result, held: held.length + result.drain.length >= ids.length ? [] : held };
}

const within = (changes: readonly RecordChange[]) => {
  const cost = batchCost(changes);
  expect(cost.changes).toBeLessThanOrEqual(ROUTE53_BATCH_LIMITS.maxChanges);
  expect(cost.values).toBeLessThanOrEqual(ROUTE53_BATCH_LIMITS.maxValues);
  expect(cost.characters).toBeLessThanOrEqual(ROUTE53_BATCH_LIMITS.maxCharacters);
};

const caseArbitrary = fc.record({
  owner: ownerArbitrary,
  recordType: fc.constantFrom<RecordType>('A', 'AAAA', 'CNAME'),
  nameLength: fc.oneof(fc.integer({ min: 5, max: 253 }), fc.constant(253), fc.constant(245)),
  letter: fc.constantFrom('a', 'q', 'z'),
  before: versionArbitrary,
  after: versionArbitrary,
});

describe('every valid row fits what AWS accepts', () => {
  it('tags, alarm names, CallerReferences and every change batch between two versions', () => {
    let checked = 0;
    let largest = 0;
    fc.assert(
      fc.property(caseArbitrary, ({ owner, recordType, nameLength, letter, before, after }) => {
        // Level names (backup.<name>, backup2.<name>, ...) must stay within 253 characters too.
        const deepest = Math.max(before.tiers.length, after.tiers.length) > 2 ? 8 : 0;
        const name = nameOfLength(Math.min(nameLength, 253 - deepest), letter);
        const old = validateChain(rowOf(name, recordType, before, 0));
        const now = validateChain(rowOf(name, recordType, after, 1));
        fc.pre(old.ok && now.ok);
        checked++;
        const chain = now.chain;

        const alarmNames = new Set<string>();
        for (const tier of chain.tiers) {
          for (const [key, value] of Object.entries(healthCheckTags(owner, chain.name, tier.id))) {
            expect(key.length).toBeLessThanOrEqual(TAG_LIMITS.key);
            expect(value.length).toBeLessThanOrEqual(TAG_LIMITS.value);
          }
          const alarm = planAlarm(owner, chain.name, tier.id, 'hc-1');
          expect(alarm.AlarmName.length).toBeLessThanOrEqual(ALARM_LIMITS.name);
          expect(alarm.AlarmDescription.length).toBeLessThanOrEqual(ALARM_LIMITS.description);
          expect(alarm.AlarmName.startsWith(alarmNamePrefix(owner))).toBe(true);
          alarmNames.add(alarm.AlarmName);
          const event = {
            source: 'aws.cloudwatch',
            'detail-type': 'CloudWatch Alarm State Change',
            time: '2026-11-25T00:00:00Z',
            detail: {
              alarmName: alarm.AlarmName,
              state: { value: 'ALARM' },
              configuration: { description: alarm.AlarmDescription },
            },
          };
          expect(parseAlarmEvent(event, owner)).toMatchObject({ chain: chain.name, tier: tier.id });
        }
        expect(alarmNames.size).toBe(chain.tiers.length);

        const reference = newCallerReference(owner, crypto.randomUUID());
        expect(reference.length).toBeLessThanOrEqual(CALLER_REFERENCE_MAX);
        expect(isOwnCallerReference(owner, reference)).toBe(true);

        const context = { owner, chainName: chain.name };
        const was = controlled(old.chain, before);
        const is = controlled(chain, after);
        const observed = planChain(was.chain, { owner, held: was.held }).records;
        const desired = planChain(is.chain, { owner, held: is.held }).records;
        within(desired.map((record) => ({ Action: 'UPSERT', ResourceRecordSet: record })));
        const changes = diffRecords(desired, observed, context).changes;
        within(changes);
        largest = Math.max(largest, batchCost(changes).values);
        // A zone move or a deleted row: the old records deleted in one batch.
        within(observed.map((record) => ({ Action: 'DELETE', ResourceRecordSet: record })));
      }),
      { numRuns: 100 },
    );
    expect(checked).toBe(100);
    expect(largest).toBeLessThanOrEqual(ROUTE53_BATCH_LIMITS.maxValues);
  });

  it('a 253-character name with 32-character owner and tier ids', () => {
    const owner = `o${'x'.repeat(30)}9`;
    const name = nameOfLength(253, 'a');
    const tierId = `t${'y'.repeat(30)}9`;
    const tags = healthCheckTags(owner, name, tierId);
    const readable = tags.Name ?? '';
    expect(readable).toHaveLength(TAG_LIMITS.value);
    expect(readable.endsWith(` ${tierId}`)).toBe(true);
    expect(tags['failover-chains:chain']).toBe(name);
    const alarm = planAlarm(owner, name, tierId, 'hc-1');
    expect(alarm.AlarmName).toHaveLength(ALARM_LIMITS.name);
    expect(alarm.AlarmName).toMatch(new RegExp(`^failover-chains/${owner}/[a.]+~[0-9a-f]{16}/${tierId}$`));
    // Another long name sharing the same start gets another alarm.
    const other = planAlarm(owner, `${name.slice(0, 200)}b${name.slice(201)}`, tierId, 'hc-1');
    expect(other.AlarmName).not.toBe(alarm.AlarmName);
  });
});
