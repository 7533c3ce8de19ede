import { CloudWatchStandIn } from '../local/cloudwatch-stand-in.ts';
import { MemoryChainStore, MemoryHistoryStore, MemoryStatusStore } from '../local/memory-stores.ts';
import { Route53StandIn, type Route53StandInOptions } from '../local/route53-stand-in.ts';
import { SnsStandIn } from '../local/sns-stand-in.ts';
import { CloudWatchAdapter } from '../shared/aws/cloudwatch-adapter.ts';
import { Route53Adapter } from '../shared/aws/route53-adapter.ts';
import { SnsAdapter } from '../shared/aws/sns-adapter.ts';
import { newCallerReference } from '../shared/core/caller-reference.ts';
import type { ServingDeps } from '../shared/ports.ts';
import { MemorySharedCheckRegistry } from './memory-registry.ts';

/** The stand-ins, the in-memory stores and the deps over them that a fleet benchmark runs on. */
export interface BenchWorld {
  route53: Route53StandIn;
  cloudwatch: CloudWatchStandIn;
  sns: SnsStandIn;
  chains: MemoryChainStore;
  status: MemoryStatusStore;
  history: MemoryHistoryStore;
  registry: MemorySharedCheckRegistry;
  deps: ServingDeps;
}

/** The alerts topic of every bench world. */
export const BENCH_TOPIC = 'arn:aws:sns:us-east-1:000000000000:alerts';

/**
 * One zone of `rows` on the stand-ins, read through the real adapters, with the registry in
 * memory (DynamoDB Local would only add noise) and time from `clock`.
 */
export function benchWorld(options: {
  zone: string;
  rows: Iterable<Record<string, unknown>>;
  route53: Route53StandInOptions;
  clock: () => Date;
  sharing: boolean;
}): BenchWorld {
  const route53 = new Route53StandIn(options.route53);
  route53.addZone(options.zone, 'example.com');
  const cloudwatch = new CloudWatchStandIn(options.clock);
  const sns = new SnsStandIn();
  sns.addTopic(BENCH_TOPIC);
  const chains = new MemoryChainStore();
  for (const row of options.rows) chains.rows.set(row.name as string, row);
  const status = new MemoryStatusStore();
  const history = new MemoryHistoryStore();
  const registry = new MemorySharedCheckRegistry();
  let reference = 0;
  const deps: ServingDeps = {
    route53: new Route53Adapter(route53, { createHealthCheckIntervalMs: 0 }),
    alarms: new CloudWatchAdapter(cloudwatch),
    chains,
    status,
    alerts: new SnsAdapter(sns, BENCH_TOPIC),
    history,
    historyDays: 90,
    settings: { owner: 'default', allowedHostedZoneIds: [], allowedNameSuffixes: [] },
    clock: options.clock,
    newReference: () => newCallerReference('default', `bench-${++reference}`),
    ...(options.sharing ? { sharedChecks: registry } : {}),
    flap: { maxFlips: 4, windowSeconds: 900 },
    emitMetric: () => undefined,
  };
  return { route53, cloudwatch, sns, chains, status, history, registry, deps };
}

/**
 * Chain `index` of a fleet: its own primary (one address each), the `secondary` it fails over
 * to, and a last-resort page without a check.
 */
export function fleetChain(
  name: string,
  zone: string,
  index: number,
  secondary: { target: string; healthCheck: Record<string, unknown> },
): Record<string, unknown> {
  return {
    name,
    hostedZoneId: zone,
    recordType: 'CNAME',
    ttl: 60,
    tiers: [
      {
        id: 'primary',
        target: `primary.${name}`,
        healthCheck: {
          type: 'HTTP',
          ip: `8.8.${Math.floor(index / 250) % 250}.${(index % 250) + 1}`,
          port: 80,
        },
      },
      { id: 'secondary', ...secondary },
      { id: 'page', target: 'sorry.example.net' },
    ],
  };
}
