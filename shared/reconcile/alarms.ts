import type { Chain } from '../core/chain.ts';
import { alarmName, planAlarm, sameAlarm, type AlarmSpec } from '../core/plan-alarms.ts';
import { healthCheckTags } from '../core/plan-health-checks.ts';
import type { PlannedHealthCheck } from '../core/plan-records.ts';
import {
  parseSharedAlarm,
  parseSharedAlarmName,
  planSharedAlarm,
  sharedCheckTags,
} from '../core/shared-checks.ts';
import type { ObservedAlarm, ReconcileDeps } from '../ports.ts';
import type { StatusDraft } from './status-draft.ts';

/** An alarm the chain names in its status, and the spec to put when it is the chain's to make. */
interface PlannedAlarm {
  name: string;
  put?: { spec: AlarmSpec; tags: Record<string, string> };
}

/**
 * One alarm per health check of the chain (the last tier's too); alarms no longer wanted go. A
 * shared check's alarm is the check's, not the chain's: the chain makes sure it exists and names
 * it in its status, and only the check's last user deletes it (see shared-checks.ts). Returns the
 * alarms as CloudWatch described them before any change: their states say how the checks are.
 */
export async function ensureAlarms(
  chain: Chain,
  checks: readonly PlannedHealthCheck[],
  managedIds: Readonly<Record<string, string>>,
  status: StatusDraft,
  deps: ReconcileDeps,
): Promise<ReadonlyMap<string, ObservedAlarm>> {
  const { owner } = deps.settings;
  const put = (spec: AlarmSpec, tags: Record<string, string>): PlannedAlarm => ({
    name: spec.AlarmName,
    put: { spec, tags },
  });
  const planned = checks.map((check): PlannedAlarm => {
    const kept = check.kind === 'managed' ? status.draft.keptChecks?.[check.tierId] : undefined;
    if (kept !== undefined) {
      // The records keep the tier's old check (keep-old-checks.ts): so does its alarm, so status
      // says what Route 53 answers. A shared check's alarm is its users'; a chain's own is put.
      const watching = status.draft.alarms[check.tierId];
      if (watching !== undefined && parseSharedAlarm(owner, watching)?.id === kept) return { name: watching };
      return put(
        planAlarm(owner, chain.name, check.tierId, kept),
        healthCheckTags(owner, chain.name, check.tierId),
      );
    }
    const fp = status.draft.healthChecks[check.tierId]?.shared;
    if (check.kind === 'managed' && fp !== undefined) {
      const id = managedIds[check.tierId]!;
      return put(planSharedAlarm(owner, fp, id, check.config), sharedCheckTags(owner, fp, check.config));
    }
    const id = check.kind === 'existing' ? check.id : managedIds[check.tierId]!;
    return put(
      planAlarm(owner, chain.name, check.tierId, id),
      healthCheckTags(owner, chain.name, check.tierId),
    );
  });
  const wanted = new Set(planned.map(({ name }) => name));
  // The chain's own alarm names too: one that status forgot (a lost write) goes once unwanted.
  const previous = [
    ...Object.values(status.draft.alarms),
    ...checks.map((check) => alarmName(owner, chain.name, check.tierId)),
  ];
  const observed = await deps.alarms.describe([...new Set([...wanted, ...previous])]);
  for (const { put: alarm } of planned) {
    if (!alarm) continue;
    const current = observed.get(alarm.spec.AlarmName);
    if (!current || !sameAlarm(alarm.spec, current)) await deps.alarms.put(alarm.spec, alarm.tags);
  }
  const unwanted = [...new Set(previous)].filter(
    (name) => !wanted.has(name) && observed.has(name) && parseSharedAlarmName(owner, name) === undefined,
  );
  if (unwanted.length > 0) await deps.alarms.delete(unwanted);
  status.draft.alarms = Object.fromEntries(checks.map((check, i) => [check.tierId, planned[i]!.name]));
  return observed;
}
