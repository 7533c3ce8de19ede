import { Logger } from '@aws-lambda-powertools/logger';
import { makeHealthAlarmHandler } from '../functions/health-alarm.ts';
import { alarmStateChangeEvent } from '../local/alarm-events.ts';
import { sharedFingerprint } from '../shared/core/shared-checks.ts';
import type { ServingDeps } from '../shared/ports.ts';
import { reconcileAll } from '../shared/reconcile/reconcile-all.ts';
import { observeServing } from '../shared/serving/observe-serving.ts';
import { CloudWatchAdapter } from '../shared/aws/cloudwatch-adapter.ts';
import { Route53Adapter } from '../shared/aws/route53-adapter.ts';
import { SnsAdapter } from '../shared/aws/sns-adapter.ts';
import { BENCH_TOPIC, benchWorld, fleetChain } from './bench-world.ts';
import type { MemorySharedCheckRegistry } from './memory-registry.ts';
import { itemBytes, PacedCalls, VirtualBucket } from './paced-calls.ts';
import { VirtualTime } from './virtual-time.ts';

/** The HealthAlarm Lambda as deployed (infra/failover-chains-stack.ts, handler-function.ts). */
export const HEALTH_ALARM = { timeoutSeconds: 300, memoryMiB: 512 } as const;

/**
 * Rates the model enforces, from AWS's documentation. DescribeAlarms: 9 requests a second per
 * account and region (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch_limits.html),
 * no burst assumed beyond one second's worth. A new on-demand DynamoDB table sustains 4,000
 * writes and 12,000 reads a second (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/pre-warming-on-demand-capacity-mode.html):
 * a write unit per KB written, a strongly consistent read unit per 4 KB read.
 */
export const RATES = {
  describeAlarms: { perSecond: 9, burst: 9 },
  dynamodbWriteUnits: { perSecond: 4000, burst: 4000 },
  dynamodbReadUnits: { perSecond: 12_000, burst: 12_000 },
} as const;

/** Latency of one call in the model, in milliseconds (assumed, in-region). */
export const LATENCY_MS = {
  dynamodbRead: 5,
  dynamodbWrite: 10,
  cloudwatch: 50,
  sns: 25,
  route53: 50,
} as const;

/** What one flip of a shared check used by `chains` chains cost the HealthAlarm invocation. */
export interface FanoutResult {
  chains: number;
  /** Chains whose serving tier the flip moved (their primary was already down). */
  moved: number;
  alerts: number;
  /** True when exactly the moved chains were alerted, once each. */
  oneAlertPerMovedChain: boolean;
  calls: Record<string, number>;
  throttled: Record<string, number>;
  /** DynamoDB capacity units drawn: `read` and `write`. */
  units: { read: number; write: number };
  simulatedSeconds: number;
  fits: boolean;
  /** Why the invocation failed, if it did (within the model's run, timeout aside). */
  failed?: string;
  /** Peak heap growth during the invocation, garbage included (an upper bound). */
  heapMiB: number;
}

const ZONE = 'ZFANOUT000000000001';
const SITE = { type: 'HTTP', ip: '9.9.9.9', port: 80 };
const silent = new Logger({ logLevel: 'SILENT' });

/**
 * Build `count` chains whose secondaries are one site, fail the primary of every tenth, then fail
 * the site and run the real HealthAlarm handler on that one event, in virtual time, with every
 * AWS call paced at the documented rates and counted by API.
 */
export async function measureFanout(count: number, movedEvery = 10): Promise<FanoutResult> {
  let now = Date.parse('2026-11-25T03:00:00.000Z');
  const {
    route53,
    cloudwatch,
    sns,
    chains,
    status,
    history,
    registry,
    deps: base,
  } = benchWorld({
    zone: ZONE,
    rows: Array.from({ length: count }, (_, i) =>
      fleetChain(`c${i}.example.com`, ZONE, i, { target: 'site.example.net', healthCheck: SITE }),
    ),
    route53: { pageSize: 300, quotas: { healthChecks: count + 10, recordsPerZone: 4 * count + 10 } },
    clock: () => new Date(now),
    sharing: true,
  });
  await reconcileAll(base);

  // Every tenth chain already serves the shared site: its own primary failed a minute ago.
  now += 60_000;
  const moving = [...chains.rows.keys()].filter((_, i) => i % movedEvery === 0);
  for (const name of moving) {
    const alarm = (await status.get(name))!.alarms.primary!;
    cloudwatch.setState(alarm, 'ALARM', 'Threshold Crossed', new Date(now));
    await observeServing(name, base);
  }

  now += 60_000;
  const events: Record<string, unknown>[] = [];
  cloudwatch.onStateChange((change) => events.push(alarmStateChangeEvent(change)));
  const fp = sharedFingerprint({ Type: 'HTTP', IPAddress: SITE.ip, Port: SITE.port });
  const sharedAlarm = [...cloudwatch.alarms.keys()].find((name) => name.includes(`/shared:${fp}/`))!;
  cloudwatch.setState(sharedAlarm, 'ALARM', 'Threshold Crossed', new Date(now));
  const publishedBefore = sns.published.length;

  const time = new VirtualTime();
  const started = now;
  const paced = new PacedCalls(time);
  const describeBucket = new VirtualBucket(time, RATES.describeAlarms.perSecond, RATES.describeAlarms.burst);
  const writeBucket = new VirtualBucket(
    time,
    RATES.dynamodbWriteUnits.perSecond,
    RATES.dynamodbWriteUnits.burst,
  );
  const readBucket = new VirtualBucket(
    time,
    RATES.dynamodbReadUnits.perSecond,
    RATES.dynamodbReadUnits.burst,
  );
  const reads = (bytes: number) => ({ bucket: readBucket, units: Math.max(1, Math.ceil(bytes / 4096)) });
  const writes = (bytes: number) => ({ bucket: writeBucket, units: Math.max(1, Math.ceil(bytes / 1024)) });
  const via = (api: string, ms: number, target: { send(c: object): Promise<unknown> }, limited?: string) => ({
    send: (command: object) => {
      const name = command.constructor.name.replace(/Command$/, '');
      return paced.call(
        `${api} ${name}`,
        ms,
        () => target.send(command),
        name === limited ? { bucket: describeBucket, units: 1 } : undefined,
      );
    },
  });
  const deps: ServingDeps = {
    ...base,
    clock: () => new Date(started + time.now),
    route53: new Route53Adapter(via('Route 53', LATENCY_MS.route53, route53), {
      createHealthCheckIntervalMs: 0,
    }),
    alarms: new CloudWatchAdapter(via('CloudWatch', LATENCY_MS.cloudwatch, cloudwatch, 'DescribeAlarms')),
    alerts: new SnsAdapter(via('SNS', LATENCY_MS.sns, sns), BENCH_TOPIC),
    chains: {
      get: async (name) => {
        const item = chains.rows.get(name);
        return paced.call(
          'DynamoDB GetItem',
          LATENCY_MS.dynamodbRead,
          () => chains.get(name),
          reads(itemBytes(item)),
        );
      },
      scan: () => chains.scan(),
    },
    status: {
      get: (name) =>
        paced.call(
          'DynamoDB GetItem',
          LATENCY_MS.dynamodbRead,
          () => status.get(name),
          reads(itemBytes(status.items.get(name))),
        ),
      save: (item, expected) =>
        paced.call(
          'DynamoDB PutItem',
          LATENCY_MS.dynamodbWrite,
          () => status.save(item, expected),
          writes(itemBytes(item)),
        ),
      list: () => status.list(),
      outboxesDue: (at) => status.outboxesDue(at),
    },
    history: {
      append: (entry, id) =>
        paced.call(
          'DynamoDB PutItem',
          LATENCY_MS.dynamodbWrite,
          () => history.append(entry, id),
          writes(itemBytes(entry)),
        ),
      list: (chain, limit) => history.list(chain, limit),
    },
    sharedChecks: Object.assign(Object.create(registry) as MemorySharedCheckRegistry, {
      get: (key: string) =>
        paced.call(
          'DynamoDB GetItem',
          LATENCY_MS.dynamodbRead,
          () => registry.get(key),
          reads(itemBytes(registry.items.get(key))),
        ),
      // One Query of the check's user items (a 1 MB page holds about 10,000).
      users: (key: string) =>
        paced.call(
          'DynamoDB Query',
          LATENCY_MS.dynamodbRead,
          () => registry.users(key),
          reads(
            itemBytes(
              [...(registry.items.get(key)?.users ?? [])].map((user) => ({
                name: '#shared-checks',
                sk: `${key}/${user}`,
              })),
            ),
          ),
        ),
    }),
  };

  const handle = makeHealthAlarmHandler(() => deps, silent);
  let finished = false;
  let failed: string | undefined;
  const heapBefore = process.memoryUsage().heapUsed;
  let heapPeak = heapBefore;
  const run = Promise.all(events.splice(0).map((event) => handle(event))).then(
    () => undefined,
    (error: unknown) => {
      failed = error instanceof Error ? error.message : String(error);
    },
  );
  void run.finally(() => (finished = true));
  await time.run(() => {
    heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
    return finished;
  });
  await run;

  const alerted = sns.published.slice(publishedBefore).map((m) => m.subject ?? '');
  const expected = moving.map((name) => `${name}: secondary -> page`).sort();
  const units = Object.entries(paced.log.units);
  return {
    chains: count,
    moved: moving.length,
    alerts: alerted.length,
    oneAlertPerMovedChain: JSON.stringify([...alerted].sort()) === JSON.stringify(expected),
    calls: paced.log.calls,
    throttled: paced.log.throttled,
    units: {
      read: units
        .filter(([api]) => api === 'DynamoDB GetItem' || api === 'DynamoDB Query')
        .reduce((sum, [, n]) => sum + n, 0),
      write: units.filter(([api]) => api === 'DynamoDB PutItem').reduce((sum, [, n]) => sum + n, 0),
    },
    simulatedSeconds: time.now / 1000,
    fits: !failed && time.now / 1000 <= HEALTH_ALARM.timeoutSeconds,
    ...(failed ? { failed } : {}),
    heapMiB: (heapPeak - heapBefore) / 2 ** 20,
  };
}

/** The benchmark's table rows, one per fleet size. */
export function fanoutTable(results: readonly FanoutResult[]): string[] {
  const n = (r: FanoutResult, api: string) => r.calls[api] ?? 0;
  return [
    `| chains sharing one check | moved / alerts sent | DescribeAlarms calls (throttled) | DynamoDB GetItem / PutItem (read / write units) | SNS Publish | Route 53 calls | simulated time | fits the ${HEALTH_ALARM.timeoutSeconds} s timeout | heap growth |`,
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |',
    ...results.map((r) => {
      const route53 = Object.entries(r.calls)
        .filter(([api]) => api.startsWith('Route 53'))
        .reduce((sum, [, count]) => sum + count, 0);
      const verdict = r.fits ? 'yes' : r.failed ? `no: ${r.failed}` : 'no';
      return `| ${r.chains} | ${r.moved} / ${r.alerts}${r.oneAlertPerMovedChain ? '' : ' (NOT one per moved chain)'} | ${n(r, 'CloudWatch DescribeAlarms')} (${r.throttled['CloudWatch DescribeAlarms'] ?? 0}) | ${n(r, 'DynamoDB GetItem')} / ${n(r, 'DynamoDB PutItem')} (${r.units.read} / ${r.units.write}) | ${n(r, 'SNS Publish')} | ${route53} | ${r.simulatedSeconds.toFixed(1)} s | ${verdict} | ${r.heapMiB.toFixed(0)} MiB |`;
    }),
  ];
}
