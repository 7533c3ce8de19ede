import type { ChainStatus } from '../core/chain-status.ts';
import type { AlarmReading } from '../core/tier-health.ts';
import type { ReconcileDeps } from '../ports.ts';

/**
 * Add Route 53's own verdict (GetHealthCheckStatus) for each check a build moves a tier's record to
 * that its alarm has no data for yet and that status never saw healthy or failing. Such a check was
 * made in an earlier run (a failing tier's new check, kept off the records until it had a verdict):
 * Route 53 already routes by its verdict while CloudWatch may not have evaluated its alarm, so
 * deriving the tier served from the alarm alone would count it healthy. Checks this run made, or
 * first used, are not asked: a new check has no verdict, and one that has data has an alarm
 * reading. The same for a check the row names by id (a person's own, imported with its tree), or
 * that a failing tier keeps on its record (a hand-made one, on an import that manages checks): it
 * may have failed long before this system made an alarm on it. Asking costs one call per such
 * check, once (its health is then kept in status).
 */
export async function withRoute53Verdicts(
  checks: Readonly<Record<string, string>>,
  readings: ReadonlyMap<string, AlarmReading>,
  stored: ChainStatus | undefined,
  deps: Pick<ReconcileDeps, 'route53'>,
  at: string,
  named: ReadonlySet<string> = new Set(),
): Promise<Map<string, AlarmReading>> {
  const result = new Map(readings);
  const earlier = new Set(Object.values(stored?.healthChecks ?? {}).flatMap((check) => check.id ?? []));
  const before = stored?.built?.checks ?? {};
  for (const [tierId, id] of Object.entries(checks)) {
    const reading = readings.get(tierId);
    const hasData = reading !== undefined && reading.state !== 'INSUFFICIENT_DATA' && reading.checkId === id;
    const moved = before[tierId] !== undefined && before[tierId] !== id && earlier.has(id);
    const firstNamed = named.has(id) && before[tierId] !== id;
    if (!(moved || firstNamed) || hasData || stored?.checkHealth?.[id] !== undefined) continue;
    const healthy = await deps.route53.healthCheckHealthy(id);
    if (healthy !== undefined) result.set(tierId, { state: healthy ? 'OK' : 'ALARM', checkId: id, at });
  }
  return result;
}
