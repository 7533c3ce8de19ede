import { CloudWatchAdapter } from '../shared/aws/cloudwatch-adapter.ts';
import { Route53Adapter } from '../shared/aws/route53-adapter.ts';
import { SnsAdapter } from '../shared/aws/sns-adapter.ts';
import { CloudWatchStandIn } from '../local/cloudwatch-stand-in.ts';
import { MemoryChainStore, MemoryHistoryStore, MemoryStatusStore } from '../local/memory-stores.ts';
import { Route53StandIn, type RateLimits } from '../local/route53-stand-in.ts';
import { SnsStandIn } from '../local/sns-stand-in.ts';
import { newCallerReference } from '../shared/core/caller-reference.ts';
import type { ReconcileDeps } from '../shared/ports.ts';
import { reconcile } from '../shared/reconcile/reconcile.ts';
import { reconcileAll } from '../shared/reconcile/reconcile-all.ts';

/** One measured run. */
export interface RunResult {
  chains: number;
  limits: RateLimits['mode'];
  strategy: 'grouped' | 'naive';
  scenario: 'first' | 'no-op' | 'edit 1%';
  route53Calls: Record<string, number>;
  route53Reads: number;
  route53Writes: number;
  recordListCalls: number;
  zonePages: number;
  cloudwatchCalls: number;
  throttled: number;
  simulatedSeconds: number;
}

const ZONE = 'ZBENCH000000000001';

/** A chain row like the seed's: three CNAME tiers, the first two checked. */
function row(index: number, ttl = 60): Record<string, unknown> {
  const name = `c${index}.example.com`;
  const ip = (tier: number) => `8.${8 + tier}.${Math.floor(index / 250) % 250}.${(index % 250) + 1}`;
  return {
    name,
    hostedZoneId: ZONE,
    recordType: 'CNAME',
    ttl,
    tiers: [
      { id: 'primary', target: `primary.${name}`, healthCheck: { type: 'HTTP', ip: ip(0), port: 80 } },
      { id: 'secondary', target: `secondary.${name}`, healthCheck: { type: 'HTTP', ip: ip(1), port: 80 } },
      { id: 'tertiary', target: `tertiary.${name}` },
    ],
  };
}

/**
 * First full reconcile, a no-op one and one after 1% of rows changed, for `count` chains in one
 * zone, against the Route 53 stand-in with simulated limits and 300 records a page.
 */
export async function measure(
  count: number,
  limits: RateLimits['mode'],
  strategy: RunResult['strategy'],
  naiveFirstMax = 1000,
): Promise<RunResult[]> {
  const clock = { now: 0 };
  // An account whose quotas were raised for the fleet (by default 200 checks and 10,000 records).
  const quotas = { healthChecks: 2 * count, recordsPerZone: 4 * count };
  const route53 = new Route53StandIn({ pageSize: 300, limits: { mode: limits, clock }, quotas });
  route53.addZone(ZONE, 'example.com');
  const cloudwatch = new CloudWatchStandIn(() => new Date(clock.now));
  const sns = new SnsStandIn();
  sns.addTopic('arn:aws:sns:us-east-1:000000000000:alerts');
  const chains = new MemoryChainStore();
  for (let i = 0; i < count; i++) chains.rows.set(`c${i}.example.com`, row(i));
  let reference = 0;
  const deps: ReconcileDeps = {
    // The virtual clock already paces creation; retrying is never needed when calls wait for tokens.
    route53: new Route53Adapter(route53, { createHealthCheckIntervalMs: 0 }),
    alarms: new CloudWatchAdapter(cloudwatch),
    chains,
    status: new MemoryStatusStore(),
    alerts: new SnsAdapter(sns, 'arn:aws:sns:us-east-1:000000000000:alerts'),
    history: new MemoryHistoryStore(),
    historyDays: 90,
    settings: { owner: 'default', allowedHostedZoneIds: [], allowedNameSuffixes: [] },
    clock: () => new Date(clock.now),
    newReference: () => newCallerReference('default', `bench-${++reference}`),
  };

  const run = async (scenario: RunResult['scenario'], how = strategy): Promise<RunResult> => {
    const calls = route53.calls.length;
    const cwCalls = cloudwatch.calls.length;
    const throttled = route53.throttled;
    const started = clock.now;
    if (how === 'grouped') await reconcileAll(deps);
    else for (const name of chains.rows.keys()) await reconcile(name, deps);
    const made = route53.calls.slice(calls);
    const byKind: Record<string, number> = {};
    for (const call of made)
      byKind[call.replace(/Command$/, '')] = (byKind[call.replace(/Command$/, '')] ?? 0) + 1;
    const writes = made.filter((call) => /^(Change|Create|Update|Delete)/.test(call)).length;
    return {
      chains: count,
      limits,
      strategy,
      scenario,
      route53Calls: byKind,
      route53Reads: made.length - writes,
      route53Writes: writes,
      recordListCalls: byKind.ListResourceRecordSets ?? 0,
      zonePages: Math.ceil(route53.records(ZONE).length / 300),
      cloudwatchCalls: cloudwatch.calls.length - cwCalls,
      throttled: route53.throttled - throttled,
      simulatedSeconds: (clock.now - started) / 1000,
    };
  };

  // The chain-by-chain first run of 10,000 chains costs the stand-in (not Route 53) quadratic
  // time; past `naiveFirstMax` the zone is built the grouped way and only later runs are naive.
  const first = await run('first', strategy === 'naive' && count > naiveFirstMax ? 'grouped' : strategy);
  const results = [
    ...(first.strategy === strategy && !(strategy === 'naive' && count > naiveFirstMax) ? [first] : []),
    await run('no-op'),
  ];
  for (let i = 0; i < count; i += 100) chains.rows.set(`c${i}.example.com`, row(i, 300));
  results.push(await run('edit 1%'));
  return results;
}
