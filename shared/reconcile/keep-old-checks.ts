import type { Chain } from '../core/chain.ts';
import type { ChainStatus } from '../core/chain-status.ts';
import { checkMoves, type CheckMove } from '../core/check-moves.ts';
import { planChain } from '../core/plan-records.ts';
import type { ResourceRecordSet } from '../core/route53-types.ts';
import type { ReconcileDeps } from '../ports.ts';
import type { StatusDraft } from './status-draft.ts';

/**
 * The check ids the chain's records use, by tier: the row's (`wanted`), except that a failing
 * tier's record keeps its check until the new one has a verdict. Route 53 counts a new check
 * healthy until it has data, so moving a failing tier onto one would send traffic back to it.
 * Every path that gives a tier another check goes through here: a changed type or interval (a
 * new check), settings that make another shared check, `"shared": false` and back, and an adopted
 * tree's hand-made check. The tiers that keep an old check are recorded in status
 * (`keptChecks`); their old checks are neither deleted nor left while their records use them.
 * A later reconcile (the schedule's full run, or any other) moves the records once the new check
 * has a verdict or the old one is healthy again.
 */
export async function keepOldChecks(
  chain: Chain,
  held: readonly string[],
  wanted: Readonly<Record<string, string>>,
  observed: readonly ResourceRecordSet[],
  stored: Pick<ChainStatus, 'healthChecks' | 'keptChecks'> | undefined,
  status: StatusDraft,
  deps: Pick<ReconcileDeps, 'route53' | 'settings'>,
): Promise<Record<string, string>> {
  const planned = planChain(chain, { owner: deps.settings.owner, healthCheckIds: wanted, held }).records;
  // What status knew each tier's check to be when this run began: used if the target changed too.
  const known: Record<string, string> = { ...stored?.keptChecks };
  for (const [tierId, check] of Object.entries(stored?.healthChecks ?? {}))
    if (check.id !== undefined) known[tierId] ??= check.id;
  const ids = { ...wanted };
  const kept: Record<string, string> = {};
  for (const move of checkMoves(chain, planned, observed, held, known)) {
    if (!(await mustKeep(move, status, deps))) continue;
    ids[move.tierId] = move.from;
    kept[move.tierId] = move.from;
  }
  if (Object.keys(kept).length > 0) status.draft.keptChecks = kept;
  else delete status.draft.keptChecks;
  return ids;
}

/**
 * A failing tier (status saw it unhealthy, or Route 53's GetHealthCheckStatus says its check is)
 * keeps its old check while the new one has no verdict. The old check deleted by hand leaves
 * nothing to keep: Route 53 refuses a record change that names a missing check, and a record on
 * one has unpredictable health, so the tier moves to the new check at once.
 */
async function mustKeep(
  move: CheckMove,
  status: StatusDraft,
  deps: Pick<ReconcileDeps, 'route53'>,
): Promise<boolean> {
  const { route53 } = deps;
  const failing =
    status.draft.tierHealth?.[move.tierId] === 'unhealthy' ||
    (await route53.healthCheckHealthy(move.from)) === false;
  if (!failing) return false;
  if ((await route53.healthCheckHealthy(move.to)) !== undefined) return false;
  return (await route53.getHealthCheck(move.from)) !== undefined;
}
