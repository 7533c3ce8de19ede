import type { FlipRecord, ReconcileDeps } from '../ports.ts';

/** Append to a chain's history, to expire after the deployment's `historyDays`. */
export function recordHistory(
  deps: Pick<ReconcileDeps, 'history' | 'historyDays' | 'clock'>,
  entry: FlipRecord,
): Promise<void> {
  return deps.history.append(entry, Math.floor(deps.clock().getTime() / 1000) + deps.historyDays * 86_400);
}
