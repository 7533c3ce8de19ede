import type { Alert } from '../core/alerts.ts';
import type { ChainState } from '../core/chain-status.ts';
import type { RecordChange } from '../core/route53-types.ts';

/** What one reconcile did. */
export interface ReconcileResult {
  name: string;
  state: ChainState | 'ABSENT';
  /** Record changes applied in the one ChangeResourceRecordSets call (0: none made). */
  recordChanges: number;
  alerts: Alert[];
  /** It needs a new health check and was run with `createChecks: false`: hand it to the builder. */
  needsBuilder?: boolean;
  /** Manual failback holds a tier the records just built still include: reconcile it again. */
  rebuild?: boolean;
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
