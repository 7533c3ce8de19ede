import type { Chain } from '../core/chain.ts';
import { alarmName, planAlarm, sameAlarm, type AlarmSpec } from '../core/plan-alarms.ts';
import { healthCheckTags } from '../core/plan-health-checks.ts';
import type { PlannedHealthCheck } from '../core/plan-records.ts';
import { parseSharedAlarmName, planSharedAlarm, sharedCheckTags } from '../core/shared-checks.ts';
import type { ObservedAlarm, ReconcileDeps } from '../ports.ts';
import type { StatusDraft } from './status-draft.ts';

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
  const planned = checks.map((check): { spec: AlarmSpec; tags: Record<string, string> } => {
    const fp = status.draft.healthChecks[check.tierId]?.shared;
    if (check.kind === 'managed' && fp !== undefined) {
      const id = managedIds[check.tierId]!;
      return {
        spec: planSharedAlarm(owner, fp, id, check.config),
        tags: sharedCheckTags(owner, fp, check.config),
      };
    }
    const id = check.kind === 'existing' ? check.id : managedIds[check.tierId]!;
    return {
      spec: planAlarm(owner, chain.name, check.tierId, id),
      tags: healthCheckTags(owner, chain.name, check.tierId),
    };
  });
  const wanted = new Set(planned.map(({ spec }) => spec.AlarmName));
  // The chain's own alarm names too: one that status forgot (a lost write) goes once unwanted.
  const previous = [
    ...Object.values(status.draft.alarms),
    ...checks.map((check) => alarmName(owner, chain.name, check.tierId)),
  ];
  const observed = await deps.alarms.describe([...new Set([...wanted, ...previous])]);
  for (const { spec, tags } of planned) {
    const current = observed.get(spec.AlarmName);
    if (!current || !sameAlarm(spec, current)) await deps.alarms.put(spec, tags);
  }
  const unwanted = [...new Set(previous)].filter(
    (name) => !wanted.has(name) && observed.has(name) && parseSharedAlarmName(owner, name) === undefined,
  );
  if (unwanted.length > 0) await deps.alarms.delete(unwanted);
  status.draft.alarms = Object.fromEntries(
    checks.map((check, i) => [check.tierId, planned[i]!.spec.AlarmName]),
  );
  return observed;
}
