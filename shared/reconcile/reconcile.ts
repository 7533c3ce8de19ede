import type { Alert } from '../core/alerts.ts';
import type { ChainState } from '../core/chain-status.ts';
import { normalizeName } from '../core/dns-name.ts';
import type { RecordChange } from '../core/route53-types.ts';
import { randomUUID } from 'node:crypto';
import { ChainBusyError, isLostRace, type ReconcileDeps } from '../ports.ts';
import { ChainRun } from './chain-run.ts';
import { decideChain } from './decide-chain.ts';
import { misnamedRow } from './misnamed-row.ts';
import { readChain } from './read-chain.ts';

/** What one reconcile did. */
export interface ReconcileResult {
  name: string;
  state: ChainState | 'ABSENT';
  /** Record changes applied in the one ChangeResourceRecordSets call (0: none made). */
  recordChanges: number;
  alerts: Alert[];
  /** It needs a new health check and was run with `createChecks: false`: hand it to the builder. */
  needsBuilder?: boolean;
}

/** What the trigger knows that status may not. */
export interface ReconcileOptions {
  /** The zone the row named before it was removed or moved (a stream record's old image). */
  zoneHint?: string;
  /** Who holds the chain's lease; kept across retries of one reconcile. */
  holder?: string;
  /** Throttling that outlasted the SDK's retries is the caller's to retry: no ERROR, no alert. */
  deferThrottled?: boolean;
  /** False: never call CreateHealthCheck; a chain that needs one stays PENDING with `needsBuilder`. */
  createChecks?: boolean;
  /** Save each created check's id at once (the builder, which may be stopped mid-chunk). */
  saveEachCheck?: boolean;
}

/** One chain's reconcile, stopped before its record changes are applied. */
export interface PreparedReconcile {
  name: string;
  /** The zone and the changes to apply there in one ChangeResourceRecordSets call (none: nothing to change). */
  zoneId: string | undefined;
  changes: RecordChange[];
  /** Take or renew the chain's lease: call right before applying `changes`. */
  hold(): Promise<void>;
  /** After the changes are applied: alarms, clean-up, status and alerts. */
  finish(): Promise<ReconcileResult>;
  /** The changes were refused: record and alert it (once per distinct error), then throw it. */
  fail(error: unknown): Promise<never>;
}

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
      return await prepared.finish();
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
 * Everything reconcile does up to the record change batch, as a controller's loop: read status and
 * the row (status first, so the lease taken on its revision fails if either changed since), read
 * what the row needs from Route 53; decide (a pure function: decide-chain.ts); act on the
 * decision up to the batch (chain-run.ts). A full run prepares many chains and applies their
 * changes in shared batches.
 */
export async function prepareReconcile(
  rawName: string,
  deps: ReconcileDeps,
  options: ReconcileOptions = {},
): Promise<PreparedReconcile> {
  const name = normalizeName(rawName);
  if (name !== rawName) return misnamedRow(rawName, name, deps);
  const stored = await deps.status.get(name);
  const row = await deps.chains.get(name);
  const run = new ChainRun(name, stored, deps, { ...options, holder: options.holder ?? randomUUID() });
  try {
    const seen = await readChain(row, deps);
    const decision = decideChain({
      name,
      status: run.status.draft,
      known: run.status.known,
      ...seen,
      zoneHint: options.zoneHint,
      owner: deps.settings.owner,
      at: run.now(),
    });
    return await run.execute(decision, seen.observed);
  } catch (error) {
    return run.failed(error);
  }
}
