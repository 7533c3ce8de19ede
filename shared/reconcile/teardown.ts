import { newStatus } from '../core/chain-status.ts';
import { isOwnedByChain } from '../core/diff-records.ts';
import type { RecordChange } from '../core/route53-types.ts';
import type { ReconcileDeps } from '../ports.ts';
import type { StatusDraft } from './status-draft.ts';

/**
 * The row is gone: delete the chain's records (one batch, applied by the caller), then in
 * `finish` its alarms and health checks, and leave status DELETED.
 */
export async function prepareTeardown(
  name: string,
  status: StatusDraft,
  deps: ReconcileDeps,
): Promise<{ zoneId: string | undefined; changes: RecordChange[]; finish: () => Promise<void> }> {
  const draft = status.draft;
  const zoneId = status.known ? draft.hostedZoneId : undefined;
  const context = { owner: deps.settings.owner, chainName: name };
  const owned =
    zoneId === undefined
      ? []
      : (await deps.route53.listRecordsUnder(zoneId, name)).filter((r) => isOwnedByChain(r, context));
  const changes = owned.map((record): RecordChange => ({ Action: 'DELETE', ResourceRecordSet: record }));
  const finish = async () => {
    if (!status.known) return;
    const alarmNames = Object.values(draft.alarms);
    if (alarmNames.length > 0) {
      const existing = await deps.alarms.describe(alarmNames);
      const present = alarmNames.filter((alarm) => existing.has(alarm));
      if (present.length > 0) await deps.alarms.delete(present);
    }
    const ids = new Set(draft.retiredHealthChecks);
    for (const known of Object.values(draft.healthChecks)) {
      const id = known.id ?? (await deps.route53.findHealthCheckByReference(known.callerReference))?.id;
      if (id !== undefined) ids.add(id);
    }
    for (const id of ids) await deps.route53.deleteHealthCheck(id);
    const deleted = {
      ...newStatus(name, draft.updatedAt),
      revision: draft.revision,
      state: 'DELETED' as const,
    };
    for (const key of Object.keys(draft)) Reflect.deleteProperty(draft, key);
    Object.assign(draft, deleted);
    await status.save();
  };
  return { zoneId, changes, finish };
}
