import { normalizeName } from '../core/dns-name.ts';
import { randomUUID } from 'node:crypto';
import { ChainBusyError, isLostRace, type ReconcileDeps } from '../ports.ts';
import { ChainRun } from './chain-run.ts';
import { decideBuild, decideChain } from './decide-chain.ts';
import { misnamedRow } from './misnamed-row.ts';
import { observeChainRecords } from './observe-records.ts';
import type { PreparedReconcile, ReconcileOptions, ReconcileResult } from './reconcile-types.ts';
import { validateRow } from './validate-row.ts';

export type { PreparedReconcile, ReconcileOptions, ReconcileResult } from './reconcile-types.ts';

const RACE_ATTEMPTS = 5;

/**
 * Level-triggered reconcile of one chain, the same for every trigger: read status, the row and
 * what Route 53 and CloudWatch hold; plan; take the chain's lease before the first change; apply
 * in a safe order; record status and release. Running it again on a chain in sync makes no write
 * call. Permanent problems (invalid row, conflict) are recorded and alerted, not thrown; a lost
 * race is retried quietly; anything else is recorded, alerted once and thrown so the trigger
 * retries.
 */
export async function reconcile(
  rawName: string,
  deps: ReconcileDeps,
  options: ReconcileOptions = {},
): Promise<ReconcileResult> {
  const holder = options.holder ?? randomUUID();
  // Alerts of a first pass that had to build again (see below).
  const earlier: ReconcileResult['alerts'] = [];
  let rebuilt = false;
  for (let attempt = 1; ; attempt++) {
    try {
      const prepared = await prepareReconcile(rawName, deps, { ...options, holder });
      if (prepared.changes.length > 0) {
        try {
          await prepared.hold();
          await deps.route53.changeRecords(
            prepared.zoneId!,
            prepared.changes,
            `failover-chains: ${prepared.name}`,
          );
        } catch (error) {
          return await prepared.fail(error);
        }
      }
      const result = await prepared.finish();
      if (result.rebuild && !rebuilt) {
        // Manual failback now holds a tier these records include: build them again, once, without it.
        rebuilt = true;
        earlier.push(...result.alerts);
        continue;
      }
      return { ...result, alerts: [...earlier, ...result.alerts] };
    } catch (error) {
      if (!isLostRace(error) || attempt >= RACE_ATTEMPTS) throw error;
      // Another reconcile holds or just changed the chain: read again once it is done.
      const wait =
        error instanceof ChainBusyError
          ? Math.min(Math.max(Date.parse(error.until) - deps.clock().getTime(), 0), 5_000)
          : 50 * attempt;
      await (deps.sleep ?? sleep)(wait);
    }
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Everything reconcile does up to the record change batch, read-decide-act like a controller's
 * loop. The decisions are pure (decide-chain.ts); the run acts on them (chain-run.ts). A full run
 * prepares many chains and applies their changes in shared batches.
 */
export async function prepareReconcile(
  rawName: string,
  deps: ReconcileDeps,
  options: ReconcileOptions = {},
): Promise<PreparedReconcile> {
  const name = normalizeName(rawName);
  if (name !== rawName) return misnamedRow(rawName, name, deps);
  const { owner } = deps.settings;
  // Status first, then the row: the lease is taken on the revision read here, so a reconcile
  // that read an older row or older records never writes.
  const stored = await deps.status.get(name);
  const row = await deps.chains.get(name);
  const run = new ChainRun(name, stored, deps, { ...options, holder: options.holder ?? randomUUID() });
  try {
    // 1. What needs no record from Route 53: nothing, teardown, an invalid row, an unsafe drain.
    const decision = decideChain({
      name,
      status: run.status.draft,
      known: run.status.known,
      row: row === undefined ? undefined : await validateRow(row, deps),
      zoneHint: options.zoneHint,
      at: run.now(),
    });
    if (decision.kind !== 'valid') return await run.execute(decision);
    // 2. The chain's records in its zone: a record someone else owns is a CONFLICT; else build.
    const observed = await observeChainRecords(deps.route53, decision.chain, owner);
    return await run.execute(decideBuild(decision, observed, owner, run.now()), observed);
  } catch (error) {
    return run.failedBeforeBatch(error);
  }
}
