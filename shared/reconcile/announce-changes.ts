import type { Alert } from '../core/alerts.ts';
import type { Chain } from '../core/chain.ts';
import { controlChangedAlert } from '../core/control-alerts.ts';
import { describeTierEdit, editMovedTrafficAlert, editMovesTraffic } from '../core/edit-alerts.ts';
import type { HistoryEntry } from '../core/chain-status.ts';

/** What one reconcile changed on purpose, to tell people about. */
export interface Announcement {
  chain: Chain;
  /** The chain and its serving tier before this reconcile (none: first build). */
  before: Chain | undefined;
  from: string | undefined;
  serving: string | undefined;
  controlChanges: readonly string[];
  warnings: readonly string[];
  at: string;
  /** Who made the change, when not the row's `changedBy` (`chains failback`). */
  by?: string | undefined;
}

/** An alert and the history entry that goes with it, for the status's outbox. */
export interface Announced {
  alert: Alert;
  history: HistoryEntry;
}

/**
 * The alert and history entry for a change an operator made: a control (drain, pin, failback),
 * or an edit of the tiers that moved traffic. Undefined when the change moved nothing worth telling.
 */
export function announcement(a: Announcement): Announced | undefined {
  const by = 'by' in a ? a.by : a.chain.changedBy;
  const edits = a.before ? describeTierEdit(a.before, a.chain) : [];
  const moved = a.before !== undefined && editMovesTraffic(a.before, a.from, a.chain, a.serving);
  let alert: Alert;
  let changes: string[];
  if (a.controlChanges.length > 0) {
    changes = [...a.controlChanges, ...edits];
    alert = controlChangedAlert(a.chain, changes, a.serving, by, a.warnings, a.at);
  } else if (moved && edits.length > 0) {
    changes = edits;
    alert = editMovedTrafficAlert(a.chain, edits, a.from, a.serving, a.at);
  } else {
    return undefined;
  }
  return {
    alert,
    history: {
      chain: a.chain.name,
      at: a.at,
      event: alert.event,
      from: a.from ?? '',
      to: a.serving ?? '',
      failed: [],
      recovered: [],
      changes,
      ...(by ? { by } : {}),
    },
  };
}
