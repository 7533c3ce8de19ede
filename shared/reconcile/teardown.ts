import { newStatus } from '../core/chain-status.ts';
import { isOwnedByChain } from '../core/diff-records.ts';
import type { ReconcileDeps } from '../ports.ts';
import type { StatusDraft } from './status-draft.ts';

/**
 * The row is gone: delete the chain's records (one batch), then its alarms, then its health
 * checks, and leave status DELETED. Returns the number of record changes.
 */
export async function teardown(name: string, status: StatusDraft, deps: ReconcileDeps): Promise<number> {
  if (!status.known) return 0;
  const draft = status.draft;
  let changes = 0;
  if (draft.hostedZoneId !== undefined) {
    const context = { owner: deps.settings.owner, chainName: name };
    const owned = (await deps.route53.listRecordsUnder(draft.hostedZoneId, name)).filter((r) =>
      isOwnedByChain(r, context),
    );
    if (owned.length > 0) {
      await deps.route53.changeRecords(
        draft.hostedZoneId,
        owned.map((record) => ({ Action: 'DELETE', ResourceRecordSet: record })),
        `failover-chains: ${name} removed`,
      );
      changes = owned.length;
    }
  }

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
  return changes;
}
