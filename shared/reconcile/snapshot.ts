import { normalizeName, toFqdn, levelName } from '../core/dns-name.ts';
import { isOwnCallerReference } from '../core/caller-reference.ts';
import { alarmNamePrefix } from '../core/plan-alarms.ts';
import { isHostedZoneId, normalizeZoneId } from '../core/validate-chain.ts';
import { CHAIN_LIMITS } from '../core/chain.ts';
import type { ChainStatus } from '../core/chain-status.ts';
import type { ResourceRecordSet } from '../core/route53-types.ts';
import { bindMethods } from './bind-methods.ts';
import type {
  AlarmPort,
  ObservedAlarm,
  ObservedHealthCheck,
  ReconcileDeps,
  Route53Port,
  SharedCheckListing,
} from '../ports.ts';
import { cachedRegistry } from './shared-garbage.ts';

/** Everything a full run reads, read once: rows, statuses, each zone, every health check and alarm. */
export interface Snapshot {
  rows: Map<string, unknown>;
  statuses: Map<string, ChainStatus>;
  zones: Map<string, { id: string; name: string } | undefined>;
  /** Records by absolute name, per zone. */
  records: Map<string, Map<string, ResourceRecordSet[]>>;
  checks: Map<string, ObservedHealthCheck>;
  /**
   * The checks whose CallerReference carries this owner's prefix: the only ones this deployment
   * can have made, so the only ones a full run looks up tags for. A user's own `{id}` check and
   * other teams' checks cost no call.
   */
  ownChecks: ObservedHealthCheck[];
  alarms: Map<string, ObservedAlarm>;
  /** The shared health checks' registry, read with one Query (see shared-garbage.ts cachedRegistry). */
  sharedItems: SharedCheckListing[];
}

/** Read the world once for a full run: one Scan of each table, one listing per zone, one of checks and of alarms. */
export async function takeSnapshot(deps: ReconcileDeps): Promise<Snapshot> {
  // Statuses first: a chain's revision is read before its row and its records, so a reconcile
  // that changed either since makes this run's lease on that chain fail (see StatusDraft.hold).
  const statusList = await deps.status.list();
  const [rows, checks, alarms, sharedItems] = await Promise.all([
    deps.chains.scan(),
    deps.route53.listHealthChecks(),
    deps.alarms.listByPrefix(alarmNamePrefix(deps.settings.owner)),
    deps.sharedChecks?.list() ?? Promise.resolve([]),
  ]);
  const statuses = new Map(statusList.map((status) => [status.name, status]));
  const zoneIds = new Set<string>();
  for (const row of rows.values()) {
    // Whatever else a row holds there is no zone to read (validation rejects the row): asking
    // Route 53 about it would fail the whole run.
    const id = (row as { hostedZoneId?: unknown }).hostedZoneId;
    if (typeof id === 'string' && isHostedZoneId(normalizeZoneId(id))) zoneIds.add(normalizeZoneId(id));
  }
  for (const status of statuses.values()) if (status.hostedZoneId) zoneIds.add(status.hostedZoneId);
  const zones = new Map<string, { id: string; name: string } | undefined>();
  const records = new Map<string, Map<string, ResourceRecordSet[]>>();
  for (const id of zoneIds) {
    if (deps.settings.allowedHostedZoneIds.length > 0 && !deps.settings.allowedHostedZoneIds.includes(id))
      continue;
    const zone = await deps.route53.getZone(id);
    zones.set(id, zone);
    if (!zone) continue;
    const byName = new Map<string, ResourceRecordSet[]>();
    for (const record of await deps.route53.listZone(id)) {
      const name = toFqdn(record.Name);
      byName.set(name, [...(byName.get(name) ?? []), record]);
    }
    records.set(id, byName);
  }
  return {
    rows,
    statuses,
    zones,
    records,
    checks: new Map(checks.map((check) => [check.id, check])),
    ownChecks: checks.filter((check) => isOwnCallerReference(deps.settings.owner, check.callerReference)),
    alarms: new Map(alarms.map((alarm) => [alarm.AlarmName, alarm])),
    sharedItems,
  };
}

/**
 * Deps whose reads come from the snapshot and whose writes go to AWS: a full run of 10,000
 * chains reads each zone once instead of 10,000 times, and a run where nothing changed writes
 * nothing.
 */
export function snapshotDeps<D extends ReconcileDeps>(deps: D, snapshot: Snapshot): D {
  const route53: Route53Port = {
    ...bindMethods(deps.route53),
    getZone: (zoneId) =>
      snapshot.zones.has(zoneId) ? Promise.resolve(snapshot.zones.get(zoneId)) : deps.route53.getZone(zoneId),
    listRecordsUnder: (zoneId, name) => {
      const byName = snapshot.records.get(zoneId);
      if (!byName) return deps.route53.listRecordsUnder(zoneId, name);
      // The chain's own names are all its diff looks at.
      const names = Array.from({ length: CHAIN_LIMITS.maxTiers - 1 }, (_, level) =>
        toFqdn(levelName(normalizeName(name), level)),
      );
      return Promise.resolve(names.flatMap((n) => byName.get(n) ?? []));
    },
    getHealthCheck: (id) => {
      const known = snapshot.checks.get(id);
      return known ? Promise.resolve(known) : deps.route53.getHealthCheck(id);
    },
  };
  const alarms: AlarmPort = {
    ...bindMethods(deps.alarms),
    // What this run wrote is known without reading it again: a shared check's alarm, put by its
    // first user, is not put again by each of the others.
    put: async (spec, tags) => {
      await deps.alarms.put(spec, tags);
      snapshot.alarms.set(spec.AlarmName, { ...spec, Dimensions: [...spec.Dimensions] });
    },
    delete: async (names) => {
      await deps.alarms.delete(names);
      for (const name of names) snapshot.alarms.delete(name);
    },
    describe: (names) =>
      Promise.resolve(
        new Map(
          names.flatMap((name) =>
            snapshot.alarms.has(name) ? [[name, snapshot.alarms.get(name)!] as const] : [],
          ),
        ),
      ),
  };
  // A chain's first status read is the snapshot's; later ones (after its own writes) are fresh.
  const read = new Set<string>();
  const status: typeof deps.status = {
    ...bindMethods(deps.status),
    get: (name) => {
      if (read.has(name)) return deps.status.get(name);
      read.add(name);
      return Promise.resolve(snapshot.statuses.get(name));
    },
  };
  return {
    ...deps,
    route53,
    alarms,
    status,
    ...(deps.sharedChecks ? { sharedChecks: cachedRegistry(deps.sharedChecks, snapshot.sharedItems) } : {}),
    chains: {
      get: (name) => Promise.resolve(snapshot.rows.get(name)),
      scan: () => Promise.resolve(snapshot.rows),
    },
  };
}
