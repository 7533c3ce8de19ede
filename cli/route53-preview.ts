import type { Chain } from '../shared/core/chain.ts';
import { diffContext, diffRecords, isOwnedByChain } from '../shared/core/diff-records.ts';
import { observeChainRecords } from '../shared/reconcile/observe-records.ts';
import { compareHealthCheck } from '../shared/core/plan-health-checks.ts';
import { planChain } from '../shared/core/plan-records.ts';
import type { ReconcileDeps } from '../shared/ports.ts';
import { formatChange, formatDiff } from './format-changes.ts';

/** What a reconcile would change in Route 53 for one chain; `blocked` when it would refuse. */
export interface Route53Preview {
  lines: string[];
  blocked: boolean;
}

/**
 * The Route 53 changes a reconcile would make for this row, read live and written nowhere: the
 * same planner and diff as reconcile, on the records the Route 53 adapter lists, with the health
 * check ids and held tiers the Status table knows. A check not made yet shows as `tier:<id>`.
 */
export async function previewRoute53(chain: Chain, deps: ReconcileDeps): Promise<Route53Preview> {
  const owner = deps.settings.owner;
  if (!(await deps.route53.getZone(chain.hostedZoneId))) {
    return { lines: [`no hosted zone ${chain.hostedZoneId} exists in this account`], blocked: true };
  }
  const status = await deps.status.get(chain.name);
  const held =
    chain.failback === 'manual'
      ? (status?.heldTiers ?? []).filter((id) => chain.tiers.some((tier) => tier.id === id))
      : [];
  const healthCheckIds: Record<string, string> = {};
  for (const [tier, check] of Object.entries(status?.healthChecks ?? {}))
    if (check.id) healthCheckIds[tier] = check.id;
  const plan = planChain(chain, { owner, healthCheckIds, held });
  const lines: string[] = [];
  for (const check of plan.healthChecks) {
    if (check.kind !== 'managed') continue;
    const id = healthCheckIds[check.tierId];
    const live = id ? await deps.route53.getHealthCheck(id) : undefined;
    const target = `${check.config.Type} ${check.config.IPAddress ?? check.config.FullyQualifiedDomainName ?? ''}:${check.config.Port ?? ''}`;
    if (!live) {
      lines.push(`CREATE  health check for tier ${check.tierId} (${target})`);
      continue;
    }
    const change = compareHealthCheck(check.config, live.config);
    if (change.kind === 'update')
      lines.push(`UPDATE  health check ${live.id} of tier ${check.tierId} (${target})`);
    if (change.kind === 'replace') {
      lines.push(`REPLACE health check ${live.id} of tier ${check.tierId} (${change.reason})`);
    }
  }
  const observed = await observeChainRecords(deps.route53, chain, owner);
  const diff = diffRecords(plan.records, observed, diffContext(chain, owner));
  return { lines: [...lines, ...formatDiff(diff)], blocked: diff.conflicts.length > 0 };
}

/** The records a deleted row's chain would lose, as DELETE lines. */
export async function previewRemoval(name: string, deps: ReconcileDeps): Promise<string[]> {
  const status = await deps.status.get(name);
  if (!status?.hostedZoneId) return ['no records known for it'];
  const context = { owner: deps.settings.owner, chainName: name };
  const owned = (await deps.route53.listRecordsUnder(status.hostedZoneId, name)).filter((record) =>
    isOwnedByChain(record, context),
  );
  const lines = owned.map((record) => formatChange({ Action: 'DELETE', ResourceRecordSet: record }));
  const checks = Object.keys(status.healthChecks).length;
  if (checks > 0) lines.push(`DELETE  ${checks} health check${checks === 1 ? '' : 's'} and their alarms`);
  return lines.length > 0 ? lines : ['no records to remove'];
}
