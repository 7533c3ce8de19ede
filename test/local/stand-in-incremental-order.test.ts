import {
  DeleteAlarmsCommand,
  DescribeAlarmsCommand,
  PutMetricAlarmCommand,
  type DescribeAlarmsCommandOutput,
} from '@aws-sdk/client-cloudwatch';
import {
  ChangeResourceRecordSetsCommand,
  ListResourceRecordSetsCommand,
  type Change,
  type ListResourceRecordSetsCommandOutput,
  type ResourceRecordSet,
} from '@aws-sdk/client-route-53';
import { describe, expect, it } from 'vitest';
import { CloudWatchStandIn } from '../../local/cloudwatch-stand-in.ts';
import { Route53StandIn } from '../../local/route53-stand-in.ts';
import { zoneIdOf } from '../../local/route53/zone-id.ts';
import { keyOf, overlay, ZoneIndex, type ZoneView } from '../../local/route53/zone-index.ts';
import { toFqdn } from '../../shared/core/dns-name.ts';

// The stand-ins keep their order and indexes batch by batch instead of sorting or scanning
// everything on each call. These tests drive thousands of random changes and compare with what
// a full sort or a full scan gives.

const ZONE = 'ZORDER';

/** mulberry32: reproducible random numbers. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// ListResourceRecordSets: "sorts results first by DNS name with the labels reversed, for example:
// com.example.www." (ASCII order), "then by record type", then by set identifier.
// https://docs.aws.amazon.com/Route53/latest/APIReference/API_ListResourceRecordSets.html
function routeOrder(a: ResourceRecordSet, b: ResourceRecordSet): number {
  const parts = (r: ResourceRecordSet) => [
    `${r.Name!.slice(0, -1).split('.').reverse().join('.')}.`,
    r.Type ?? '',
    r.SetIdentifier ?? '',
  ];
  const [x, y] = [parts(a), parts(b)];
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i]! < y[i]! ? -1 : 1;
  return 0;
}

const LABELS = ['a', 'b', 'a-b', 'ab', 'a0', 'z', 'www', 'api-1', 'api'];

function randomName(next: () => number): string {
  const pick = () =>
    `${LABELS[Math.floor(next() * LABELS.length)]!}${next() < 0.5 ? Math.floor(next() * 40) : ''}`;
  const depth = 1 + Math.floor(next() * 3);
  return `${Array.from({ length: depth }, pick).join('.')}.example.com.`;
}

async function listAll(r53: Route53StandIn): Promise<string[]> {
  const seen: string[] = [];
  let start: { StartRecordName?: string; StartRecordType?: never; StartRecordIdentifier?: string } = {};
  for (;;) {
    const page = (await r53.send(
      new ListResourceRecordSetsCommand({ HostedZoneId: ZONE, ...start }),
    )) as ListResourceRecordSetsCommandOutput;
    seen.push(...page.ResourceRecordSets!.map(keyOf));
    if (!page.IsTruncated) return seen;
    start = {
      StartRecordName: page.NextRecordName!,
      StartRecordType: page.NextRecordType as never,
      ...(page.NextRecordIdentifier ? { StartRecordIdentifier: page.NextRecordIdentifier } : {}),
    };
  }
}

describe('Route 53 stand-in after thousands of incremental batches', () => {
  it('lists every record in the order a full sort gives, page by page, and refuses the same batches', async () => {
    const next = random(42);
    const r53 = new Route53StandIn({ pageSize: 300 });
    r53.addZone(ZONE, 'example.com');
    const held = new Map<string, ResourceRecordSet>();
    let refused = 0;
    for (let batch = 0; batch < 2500; batch++) {
      const changes: Change[] = [];
      const keys = new Set<string>();
      let valid = true;
      const size = 1 + Math.floor(next() * 5);
      while (changes.length < size) {
        const roll = next();
        const existing = [...held.values()];
        const old = existing[Math.floor(next() * existing.length)];
        let change: Change;
        let refuses = false;
        if (roll < 0.55 || !old) {
          const withId = next() < 0.3;
          const record: ResourceRecordSet = {
            Name: randomName(next),
            Type: (['A', 'AAAA', 'TXT'] as const)[Math.floor(next() * 3)]!,
            ...(withId ? { SetIdentifier: `w${Math.floor(next() * 4)}`, Weight: 1 } : {}),
            TTL: 60,
            ResourceRecords: [{ Value: `v${batch}` }],
          };
          change = { Action: 'CREATE', ResourceRecordSet: record };
          refuses = held.has(keyOf(record));
        } else if (roll < 0.8) {
          change = { Action: 'DELETE', ResourceRecordSet: old };
        } else if (roll < 0.95) {
          change = {
            Action: 'UPSERT',
            ResourceRecordSet: { ...old, ResourceRecords: [{ Value: `u${batch}` }] },
          };
        } else {
          // A DELETE whose values no longer match: the whole batch must be refused.
          change = { Action: 'DELETE', ResourceRecordSet: { ...old, ResourceRecords: [{ Value: 'stale' }] } };
          refuses = true;
        }
        const key = keyOf(change.ResourceRecordSet!);
        if (keys.has(key)) continue;
        keys.add(key);
        changes.push(change);
        if (refuses) valid = false;
      }
      const accepted = await r53
        .send(new ChangeResourceRecordSetsCommand({ HostedZoneId: ZONE, ChangeBatch: { Changes: changes } }))
        .then(
          () => true,
          () => false,
        );
      expect(accepted).toBe(valid);
      if (!accepted) {
        refused++;
        continue;
      }
      for (const { Action, ResourceRecordSet: record } of changes) {
        if (Action === 'DELETE') held.delete(keyOf(record!));
        else held.set(keyOf(record!), record!);
      }
      if (batch % 500 === 499) expect(r53.records(ZONE)).toEqual([...held.values()].sort(routeOrder));
    }
    expect(refused).toBeGreaterThan(100);
    expect(held.size).toBeGreaterThan(1000);
    const sorted = [...held.values()].sort(routeOrder);
    expect(r53.records(ZONE)).toEqual(sorted);
    expect(await listAll(r53)).toEqual(sorted.map(keyOf));
  });
});

/** The view a batch's rules read, by scanning every record (what the index must equal). */
function scan(records: readonly ResourceRecordSet[]): ZoneView {
  return {
    at: (name) => records.filter((r) => r.Name === name),
    aliasesTo: (name) =>
      records.filter(
        (r) =>
          r.AliasTarget &&
          zoneIdOf(r.AliasTarget.HostedZoneId) === ZONE &&
          toFqdn(r.AliasTarget.DNSName!) === name,
      ),
  };
}

function randomRecord(next: () => number, names: readonly string[]): ResourceRecordSet {
  const name = names[Math.floor(next() * names.length)]!;
  const role = next();
  const failover =
    role < 0.3
      ? { SetIdentifier: 'p', Failover: 'PRIMARY' as const }
      : role < 0.5
        ? { SetIdentifier: 's', Failover: 'SECONDARY' as const }
        : {};
  if (next() < 0.5) {
    const target = names[Math.floor(next() * names.length)]!;
    return {
      Name: name,
      Type: 'CNAME',
      ...failover,
      AliasTarget: {
        // Sometimes into another zone; sometimes without the trailing dot, which names the same target.
        HostedZoneId: next() < 0.8 ? `/hostedzone/${ZONE}` : 'ZOTHER',
        DNSName: next() < 0.5 ? target : target.slice(0, -1),
        EvaluateTargetHealth: true,
      },
    };
  }
  return {
    Name: name,
    Type: next() < 0.5 ? 'CNAME' : 'A',
    ...failover,
    TTL: 60,
    ResourceRecords: [{ Value: 'x' }],
  };
}

describe('zone index', () => {
  it('answers as a full scan does, before and after a batch, and keeps list order', () => {
    const next = random(7);
    const names = Array.from({ length: 40 }, () => randomName(next));
    const sameZone = (records: readonly ResourceRecordSet[]) =>
      records
        .filter((r) => zoneIdOf(r.AliasTarget?.HostedZoneId) === ZONE)
        .map(keyOf)
        .sort();
    const byKey = (records: readonly ResourceRecordSet[]) => records.map(keyOf).sort();
    let zone = new Map<string, ResourceRecordSet>();
    for (let i = 0; i < 300; i++) {
      const record = randomRecord(next, names);
      zone.set(keyOf(record), record);
    }
    const index = ZoneIndex.of(ZONE, [...zone.values()]);
    for (let round = 0; round < 400; round++) {
      const changes = new Map<string, ResourceRecordSet | undefined>();
      const existing = [...zone.keys()];
      for (let i = 0; i < 1 + Math.floor(next() * 6); i++) {
        if (next() < 0.4 && existing.length > 0)
          changes.set(existing[Math.floor(next() * existing.length)]!, undefined);
        else {
          const record = randomRecord(next, names);
          changes.set(keyOf(record), record);
        }
      }
      const after = new Map(zone);
      for (const [key, record] of changes) {
        if (record) after.set(key, record);
        else after.delete(key);
      }
      const laid = overlay(index, changes);
      const full = scan([...after.values()]);
      for (const name of names) {
        expect(byKey(laid.at(name))).toEqual(byKey(full.at(name)));
        expect(sameZone(laid.aliasesTo(name))).toEqual(sameZone(full.aliasesTo(name)));
      }
      // Half the batches are refused in real life: the index changes only when one is applied.
      if (next() < 0.5) continue;
      index.apply(changes);
      zone = after;
      expect(index.size).toBe(zone.size);
      for (const name of names) {
        expect(byKey(index.at(name))).toEqual(byKey(full.at(name)));
        expect(byKey(index.aliasesTo(name))).toEqual(byKey(full.aliasesTo(name)));
      }
    }
    expect(index.records).toEqual([...zone.values()].sort(routeOrder));
  });
});

describe('CloudWatch stand-in after thousands of puts and deletes', () => {
  it('describes alarms in the order a full sort gives, by page, by prefix and by name', async () => {
    const next = random(11);
    const cloudwatch = new CloudWatchStandIn(() => new Date(0));
    const held = new Set<string>();
    const alarmName = () =>
      `${['chain-', 'Chain-', 'chain_', 'other-'][Math.floor(next() * 4)]!}${Math.floor(next() * 3000)}`;
    for (let i = 0; i < 4000; i++) {
      const name = alarmName();
      if (held.has(name) && next() < 0.4) {
        await cloudwatch.send(new DeleteAlarmsCommand({ AlarmNames: [name] }));
        held.delete(name);
        continue;
      }
      await cloudwatch.send(
        new PutMetricAlarmCommand({
          AlarmName: name,
          ComparisonOperator: 'LessThanThreshold',
          EvaluationPeriods: 1,
          Threshold: 1,
          Namespace: 'AWS/Route53',
          MetricName: 'HealthCheckStatus',
        }),
      );
      held.add(name);
    }
    const describeAll = async (filter: { AlarmNamePrefix?: string; AlarmNames?: string[] }) => {
      const names: string[] = [];
      let token: string | undefined;
      do {
        const page = (await cloudwatch.send(
          new DescribeAlarmsCommand({ ...filter, ...(token ? { NextToken: token } : {}) }),
        )) as DescribeAlarmsCommandOutput;
        names.push(...page.MetricAlarms!.map((alarm) => alarm.AlarmName!));
        token = page.NextToken;
      } while (token);
      return names;
    };
    const sorted = [...held].sort((a, b) => a.localeCompare(b));
    expect(held.size).toBeGreaterThan(1500);
    expect(await describeAll({})).toEqual(sorted);
    expect(await describeAll({ AlarmNamePrefix: 'chain-' })).toEqual(
      sorted.filter((n) => n.startsWith('chain-')),
    );
    const some = sorted.filter(() => next() < 0.02).reverse();
    expect(await describeAll({ AlarmNames: [...some, 'missing', some[0]!] })).toEqual([...some].reverse());
  });
});
