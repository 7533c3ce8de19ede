import type { Chain } from '../core/chain.ts';
import { planAlarm, sameAlarm } from '../core/plan-alarms.ts';
import { healthCheckTags } from '../core/plan-health-checks.ts';
import type { PlannedHealthCheck } from '../core/plan-records.ts';
import type { ReconcileDeps } from '../ports.ts';
import type { StatusDraft } from './status-draft.ts';

/** One alarm per health check of the chain (the last tier's too); alarms no longer wanted go. */
export async function ensureAlarms(
  chain: Chain,
  checks: readonly PlannedHealthCheck[],
  managedIds: Readonly<Record<string, string>>,
  status: StatusDraft,
  deps: ReconcileDeps,
): Promise<void> {
  const { owner } = deps.settings;
  const specs = checks.map((check) =>
    planAlarm(
      owner,
      chain.name,
      check.tierId,
      check.kind === 'existing' ? check.id : managedIds[check.tierId]!,
    ),
  );
  const wanted = new Set(specs.map((spec) => spec.AlarmName));
  const previous = Object.values(status.draft.alarms);
  const observed = await deps.alarms.describe([...new Set([...wanted, ...previous])]);
  for (const [index, spec] of specs.entries()) {
    const current = observed.get(spec.AlarmName);
    if (!current || !sameAlarm(spec, current)) {
      await deps.alarms.put(spec, healthCheckTags(owner, chain.name, checks[index]!.tierId));
    }
  }
  const unwanted = previous.filter((name) => !wanted.has(name) && observed.has(name));
  if (unwanted.length > 0) await deps.alarms.delete(unwanted);
  status.draft.alarms = Object.fromEntries(checks.map((check, i) => [check.tierId, specs[i]!.AlarmName]));
}
