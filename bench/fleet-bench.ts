import { monthlyCost } from '../shared/core/pricing.ts';
import { reconcileAll } from '../shared/reconcile/reconcile-all.ts';
import { validateChain } from '../shared/core/validate-chain.ts';
import { planFleet } from '../cli/fleet-report.ts';
import { benchWorld, fleetChain } from './bench-world.ts';

/** One full build of the shared-endpoint fleet, then a no-op run, with or without sharing. */
export interface FleetResult {
  chains: number;
  sharing: boolean;
  checksCreated: number;
  alarms: number;
  /** PutMetricAlarm calls of the first run: one per alarm, however many chains share it. */
  alarmPuts: number;
  /** First full run under 2026's token buckets (CreateHealthCheck 0.5 a second), simulated. */
  firstRunSeconds: number;
  monthlyCents: { 'non-aws': number; aws: number };
  noOp: {
    writes: number;
    route53Reads: number;
    /** What a no-op run may read: the zone's pages, the health check list's pages, the zone itself. */
    readBudget: number;
    route53Calls: Record<string, number>;
  };
}

const ZONE = 'ZFLEET00000000000001';
const SITES = 100;
const PAGE = 300;
const CHECK_PAGE = 1000;

/** Chain `index`: its own primary, one of 100 secondary sites, and one last-resort page (no check). */
export function fleetRow(index: number): Record<string, unknown> {
  return fleetChain(`f${index}.example.com`, ZONE, index, {
    target: `site${index % SITES}.example.net`,
    healthCheck: { type: 'HTTP', ip: `9.9.9.${(index % SITES) + 1}`, port: 80 },
  });
}

/** Build `count` chains with a full run, then run again with nothing changed, counting every call. */
export async function measureFleet(count: number, sharing: boolean): Promise<FleetResult> {
  const clock = { now: 0 };
  const quotas = { healthChecks: 2 * count, recordsPerZone: 4 * count + 10 };
  const { route53, cloudwatch, status, registry, deps } = benchWorld({
    zone: ZONE,
    rows: Array.from({ length: count }, (_, i) => fleetRow(i)),
    route53: { pageSize: PAGE, limits: { mode: 'buckets', clock }, quotas },
    clock: () => new Date(clock.now),
    sharing,
  });
  await reconcileAll(deps);
  const firstRunSeconds = clock.now / 1000;
  const alarmPuts = cloudwatch.calls.filter((call) => call === 'PutMetricAlarmCommand').length;
  const checks = [...route53.healthChecks.values()].map((check) => check.HealthCheckConfig);
  const cost = (endpoints: 'aws' | 'non-aws') =>
    monthlyCost(checks as Parameters<typeof monthlyCost>[0], cloudwatch.alarms.size, endpoints).totalCents;

  const writesBefore = () =>
    route53.writeCalls().length + cloudwatch.writeCalls().length + status.writes + registry.writes;
  const before = writesBefore();
  const calls = route53.calls.length;
  await reconcileAll(deps);
  const made = route53.calls.slice(calls);
  const byKind: Record<string, number> = {};
  for (const call of made)
    byKind[call.replace(/Command$/, '')] = (byKind[call.replace(/Command$/, '')] ?? 0) + 1;
  const reads = made.filter((call) => !/^(Change|Create|Update|Delete)/.test(call)).length;
  return {
    chains: count,
    sharing,
    checksCreated: route53.calls.filter((call) => call === 'CreateHealthCheckCommand').length,
    alarms: cloudwatch.alarms.size,
    alarmPuts,
    firstRunSeconds,
    monthlyCents: { 'non-aws': cost('non-aws'), aws: cost('aws') },
    noOp: {
      writes: writesBefore() - before,
      route53Reads: reads,
      readBudget:
        Math.ceil(route53.records(ZONE).length / PAGE) +
        Math.ceil(route53.healthChecks.size / CHECK_PAGE) +
        1,
      route53Calls: byKind,
    },
  };
}

/** What `chains plan --all` would say of the same fleet before its first run (no check exists). */
export function plannedFleet(
  count: number,
  sharing: boolean,
): { checks: number; alarms: number; sharedTiers: number } {
  const rows = Array.from({ length: count }, (_, i) => validateChain(fleetRow(i)));
  const fleet = planFleet(
    rows.flatMap((r) => (r.ok ? [r.chain] : [])),
    new Map(),
    'default',
    sharing ? { existing: new Set() } : undefined,
  );
  return { checks: fleet.checksToCreate, alarms: fleet.alarms, sharedTiers: fleet.shared.tiers };
}

/** The benchmark's table rows, one per run. */
export function fleetTable(results: readonly FleetResult[]): string[] {
  const time = (s: number) => (s >= 3600 ? `${(s / 3600).toFixed(1)} h` : `${(s / 60).toFixed(1)} min`);
  const usd = (cents: number) => `$${(cents / 100).toFixed(2)}`;
  return [
    '| chains (100 shared secondaries, 1 page) | checks | health checks created | alarms | first run, simulated | monthly cost, non-AWS / AWS endpoints | no-op run: writes | no-op run: Route 53 reads (budget) |',
    '| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...results.map(
      (r) =>
        `| ${r.chains} | ${r.sharing ? 'shared' : 'per chain'} | ${r.checksCreated} | ${r.alarms} | ${time(r.firstRunSeconds)} | ${usd(r.monthlyCents['non-aws'])} / ${usd(r.monthlyCents.aws)} | ${r.noOp.writes} | ${r.noOp.route53Reads} (${r.noOp.readBudget}) |`,
    ),
  ];
}
