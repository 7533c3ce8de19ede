import type { Chain } from '../shared/core/chain.ts';
import type { ChainStatus } from '../shared/core/chain-status.ts';
import { planChain } from '../shared/core/plan-records.ts';
import {
  creationSeconds,
  CREATE_HEALTH_CHECK_SECONDS,
  dollars,
  formatDuration,
  monthlyCost,
  NOT_PRICED,
  PRICES_CHECKED_ON,
  type EndpointKind,
} from '../shared/core/pricing.ts';
import { healthChecksToCreate, RAISE_QUOTA_URL, type Quota } from '../shared/core/quotas.ts';
import type { HealthCheckConfig } from '../shared/core/route53-types.ts';
import type { Route53Port, SharedCheckRegistry } from '../shared/ports.ts';
import { sharedFingerprint, sharesCheck } from '../shared/core/shared-checks.ts';

/** What a set of chains makes: the health checks and alarms that would exist, and the records per zone. */
export interface FleetPlan {
  chains: number;
  /** Health checks the system makes and pays for (managed tiers; a shared check once). */
  managedChecks: HealthCheckConfig[];
  /** Checks rows name by id: the user's own, billed whether or not a chain uses them. */
  existingChecks: number;
  alarms: number;
  /** Managed checks that do not exist yet: what a first run creates. */
  checksToCreate: number;
  /** Shared checks (one per distinct endpoint and settings), and the chain tiers that use them. */
  shared: { checks: number; tiers: number };
  /** Records that would exist, and those still to be added, per zone. */
  zones: Map<string, { records: number; toAdd: number }>;
}

/**
 * Plan every chain as reconcile would, counting against what status says exists already. With
 * `sharing` (the fingerprints of the shared checks that exist), tiers that probe the same
 * endpoint with the same settings count as one check and one alarm.
 */
export function planFleet(
  chains: readonly Chain[],
  statuses: ReadonlyMap<string, ChainStatus>,
  owner: string,
  sharing?: { existing: ReadonlySet<string> },
): FleetPlan {
  const fleet: FleetPlan = {
    chains: chains.length,
    managedChecks: [],
    existingChecks: 0,
    alarms: 0,
    checksToCreate: 0,
    shared: { checks: 0, tiers: 0 },
    zones: new Map(),
  };
  const sharedConfigs = new Map<string, HealthCheckConfig>();
  for (const chain of chains) {
    const plan = planChain(chain, { owner });
    const status = statuses.get(chain.name);
    for (const check of plan.healthChecks) {
      const tier = chain.tiers.find((t) => t.id === check.tierId)!;
      if (check.kind === 'managed' && sharesCheck(chain, tier, sharing !== undefined)) {
        sharedConfigs.set(sharedFingerprint(check.config), check.config);
        fleet.shared.tiers++;
        continue;
      }
      if (check.kind === 'managed') fleet.managedChecks.push(check.config);
      else fleet.existingChecks++;
      fleet.alarms++;
    }
    fleet.checksToCreate += healthChecksToCreate(
      chain,
      status ?? { healthChecks: {} },
      sharing !== undefined,
    );
    const zone = fleet.zones.get(chain.hostedZoneId) ?? { records: 0, toAdd: 0 };
    const had = status?.hostedZoneId === chain.hostedZoneId ? status.records.length : 0;
    zone.records += plan.records.length;
    zone.toAdd += Math.max(plan.records.length - had, 0);
    fleet.zones.set(chain.hostedZoneId, zone);
  }
  fleet.managedChecks.push(...sharedConfigs.values());
  fleet.alarms += sharedConfigs.size;
  fleet.shared.checks = sharedConfigs.size;
  fleet.checksToCreate += [...sharedConfigs.keys()].filter((fp) => !sharing?.existing.has(fp)).length;
  return fleet;
}

/** The monthly cost by item and the first run's length, as printed lines. */
export function costLines(fleet: FleetPlan, endpoints: EndpointKind): string[] {
  const cost = monthlyCost(fleet.managedChecks, fleet.alarms, endpoints);
  const rows = cost.lines.map((line) => [
    line.item,
    String(line.count),
    dollars(line.eachCents),
    dollars(line.totalCents),
  ]);
  const header = ['ITEM', 'COUNT', 'EACH', 'MONTHLY'];
  const all = [header, ...rows, ['total', '', '', dollars(cost.totalCents)]];
  const widths = header.map((_, i) => Math.max(...all.map((row) => row[i]!.length)));
  const table = all.map(
    (row) =>
      `  ${row
        .map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
        .join('  ')
        .trimEnd()}`,
  );
  const basis =
    endpoints === 'aws'
      ? 'endpoints priced as AWS resources'
      : 'endpoints priced as non-AWS (an upper bound; --aws-endpoints for the AWS rate)';
  return [
    `monthly cost, USD (list prices of ${PRICES_CHECKED_ON}; ${basis}):`,
    ...table,
    `  ${NOT_PRICED}`,
    `first run: ${fleet.checksToCreate} health check${fleet.checksToCreate === 1 ? '' : 's'} to create at one every ${CREATE_HEALTH_CHECK_SECONDS} s: about ${formatDuration(creationSeconds(fleet.checksToCreate))}`,
  ];
}

/** What would exist against Route 53's quotas, read live; `over` when something would not fit. */
export async function quotaLines(
  fleet: FleetPlan,
  route53: Pick<Route53Port, 'healthCheckQuota' | 'recordQuota'>,
): Promise<{ lines: string[]; over: boolean }> {
  const overs: number[] = [];
  const fit = (quota: Quota, adding: number) => {
    const room = quota.limit - quota.used;
    if (adding <= room) return `quota ${quota.limit}, ${quota.used} used`;
    overs.push(adding - room);
    return `quota ${quota.limit}, ${quota.used} used: ${adding - room} over, ask AWS for more`;
  };
  const lines = [
    `health checks: ${fleet.managedChecks.length} would exist, ${fleet.checksToCreate} to create (${fit(await route53.healthCheckQuota(), fleet.checksToCreate)})`,
  ];
  if (fleet.shared.checks > 0)
    lines.push(
      `  shared: ${fleet.shared.tiers} chain tiers use ${fleet.shared.checks} of them (one check and one alarm per endpoint and settings)`,
    );
  if (fleet.existingChecks > 0)
    lines.push(`  and ${fleet.existingChecks} of your own that rows name by id (not counted in the cost)`);
  lines.push(`alarms: ${fleet.alarms} would exist (CloudWatch has no quota on the number of alarms)`);
  for (const [zoneId, zone] of [...fleet.zones].sort(([a], [b]) => a.localeCompare(b))) {
    lines.push(
      `records in ${zoneId}: ${zone.records} would exist, ${zone.toAdd} to add (${fit(await route53.recordQuota(zoneId), zone.toAdd)})`,
    );
  }
  const over = overs.length > 0;
  if (over) lines.push(`  chains that do not fit wait as BLOCKED; raise a quota at ${RAISE_QUOTA_URL}`);
  return { lines, over };
}

/** The cost lines for the chains of some row files, counted against what status says exists. */
export async function chainsCostLines(
  chains: readonly Chain[],
  status: { get(name: string): Promise<ChainStatus | undefined> },
  owner: string,
  endpoints: EndpointKind,
  registry?: Pick<SharedCheckRegistry, 'list'>,
): Promise<string[]> {
  const statuses = new Map<string, ChainStatus>();
  for (const chain of chains) {
    const known = await status.get(chain.name);
    if (known) statuses.set(chain.name, known);
  }
  const fleet = planFleet(chains, statuses, owner, registry && (await existingShared(registry)));
  return [
    `health checks: ${fleet.managedChecks.length} would exist, alarms: ${fleet.alarms} (the chains in these files)`,
    ...costLines(fleet, endpoints),
  ];
}

/** The fingerprints of the shared checks that exist, for planFleet. */
export async function existingShared(
  registry: Pick<SharedCheckRegistry, 'list'>,
): Promise<{ existing: ReadonlySet<string> }> {
  const items = await registry.list();
  return { existing: new Set(items.filter((item) => item.id !== undefined).map((item) => item.fingerprint)) };
}
