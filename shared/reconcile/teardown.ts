import { newStatus } from '../core/chain-status.ts';
import { recordKey } from '../core/diff-records.ts';
import type { RecordChange, ResourceRecordSet } from '../core/route53-types.ts';
import type { ReconcileDeps } from '../ports.ts';
import { mayChange, ownedRecords, zonesOf } from './chain-zones.ts';
import type { StatusDraft } from './status-draft.ts';
import { parseSharedAlarmName, sharedUser } from '../core/shared-checks.ts';
import { leaveShared } from './shared-checks.ts';

/** A removed row's clean-up, stopped before its record deletes are applied. */
export interface Teardown {
  zoneId: string | undefined;
  changes: RecordChange[];
  /**
   * After the batch: the chain's records in any other zone, its alarms, then its health checks
   * (never one a record still uses), and status DELETED. Returns the zones whose records this
   * deployment may no longer change; then nothing else is deleted.
   */
  finish: () => Promise<{ leftIn: string[] }>;
}

/**
 * The row is gone: find the chain's records in every zone it may have written to (status
 * records each zone before a batch writes there; a stream REMOVE names the row's last zone),
 * by their set identifiers in Route 53 itself, so a lost status write never leaves them live.
 */
export async function prepareTeardown(
  name: string,
  status: StatusDraft,
  deps: ReconcileDeps,
  zoneHint?: string,
): Promise<Teardown> {
  const draft = status.draft;
  const zones = zonesOf(status, zoneHint);
  const leftIn = zones.filter((zone) => !mayChange(zone, deps));
  const byZone = new Map<string, ResourceRecordSet[]>();
  const reachable = zones.filter((zone) => !leftIn.includes(zone));
  for (const zoneId of reachable) {
    const records = await ownedRecords(zoneId, name, deps);
    if (records.length > 0) byZone.set(zoneId, records);
  }
  const deletes = (records: ResourceRecordSet[]) =>
    records.map((record): RecordChange => ({ Action: 'DELETE', ResourceRecordSet: record }));
  const [first] = byZone.keys();

  const finish = async () => {
    for (const [zoneId, records] of byZone) {
      if (zoneId !== first) {
        await deps.route53.changeRecords(zoneId, deletes(records), `failover-chains: ${name} removed`);
      }
    }
    if (leftIn.length > 0) return { leftIn };
    // Shared checks and their alarms belong to all their users: leave them; the last user deletes.
    const alarmNames = Object.values(draft.alarms).filter(
      (alarm) => parseSharedAlarmName(deps.settings.owner, alarm) === undefined,
    );
    if (alarmNames.length > 0) {
      const existing = await deps.alarms.describe(alarmNames);
      const present = alarmNames.filter((alarm) => existing.has(alarm));
      if (present.length > 0) await deps.alarms.delete(present);
    }
    const ids = new Set(draft.retiredHealthChecks);
    const leaving = [...(draft.leavingShared ?? [])];
    for (const [tierId, known] of Object.entries(draft.healthChecks)) {
      if (known.shared) {
        leaving.push(`${known.shared}/${tierId}`);
        continue;
      }
      const id = known.id ?? (await deps.route53.findHealthCheckByReference(known.callerReference))?.id;
      if (id !== undefined) ids.add(id);
    }
    for (const entry of deps.sharedChecks ? leaving : []) {
      const slash = entry.indexOf('/');
      const user = sharedUser(name, entry.slice(slash + 1));
      await leaveShared(entry.slice(0, slash), user, deps, deps.sharedChecks!, reachable);
    }
    // Route 53 lets a check in use be deleted, leaving its records' health unpredictable: look
    // again at every record under the name (but those just deleted) before deleting any.
    const deleted = new Set([...byZone.values()].flat().map(recordKey));
    const inUse = new Set<string>();
    // Every zone, not only those with records of the chain: a record by hand may use its check.
    for (const zoneId of ids.size > 0 ? reachable : []) {
      if (!byZone.has(zoneId) && !(await deps.route53.getZone(zoneId))) continue;
      for (const record of await deps.route53.listRecordsUnder(zoneId, name)) {
        if (record.HealthCheckId && !deleted.has(recordKey(record))) inUse.add(record.HealthCheckId);
      }
    }
    const kept = [...ids].filter((id) => inUse.has(id));
    for (const id of ids) if (!inUse.has(id)) await deps.route53.deleteHealthCheck(id);
    // A kept check stays retired, and the chain ERROR, so a later run deletes it once unused.
    const gone = {
      ...newStatus(name, draft.updatedAt),
      revision: draft.revision,
      state: kept.length > 0 ? ('ERROR' as const) : ('DELETED' as const),
      errors: kept.map((id) => `health check ${id} is still used by a record under ${name}; not deleted`),
      retiredHealthChecks: kept,
      // Where to look again for the record that still uses a kept check.
      ...(kept.length > 0 ? { zoneIds: zones } : {}),
      ...(draft.lease ? { lease: draft.lease } : {}),
      // Alerts not yet delivered outlive the chain.
      ...(draft.outbox ? { outbox: draft.outbox } : {}),
    };
    for (const key of Object.keys(draft)) Reflect.deleteProperty(draft, key);
    Object.assign(draft, gone);
    return { leftIn };
  };
  return { zoneId: first, changes: first ? deletes(byZone.get(first)!) : [], finish };
}
