/** Flap guard settings: more than `maxFlips` flips within `windowSeconds` is flapping. */
export interface FlapSettings {
  maxFlips: number;
  windowSeconds: number;
}

/** Defaults, documented in the README. */
export const FLAP_DEFAULTS: FlapSettings = { maxFlips: 4, windowSeconds: 900 };

/** What the guard remembers per chain (kept in status). */
export interface FlapState {
  /** Times of recent flips, oldest first, within the window. */
  flips: string[];
  /** Set while the chain is flapping: alerts are held until it has been stable for the window. */
  flappingSince?: string;
}

/** What to do with one flip. */
export type FlapDecision = { alert: 'flip' } | { alert: 'flapping' } | { alert: 'none' };

/**
 * Record a flip at `at`; decide whether to alert it, start the flapping alert, or stay quiet.
 * `settled`: the chain was flapping but quiet for a whole window before this flip, so this flip
 * is news again and the summary of the flapping is due first.
 */
export function recordFlip(
  state: FlapState,
  at: string,
  settings: FlapSettings,
): { state: FlapState; decision: FlapDecision; settled: boolean } {
  const since = Date.parse(at) - settings.windowSeconds * 1000;
  const flips = [...state.flips.filter((time) => Date.parse(time) > since), at];
  const settled = hasSettled(state, at, settings);
  if (state.flappingSince !== undefined && !settled)
    return { state: { flips, flappingSince: state.flappingSince }, decision: { alert: 'none' }, settled };
  if (flips.length > settings.maxFlips)
    return { state: { flips, flappingSince: at }, decision: { alert: 'flapping' }, settled };
  return { state: { flips }, decision: { alert: 'flip' }, settled };
}

/** True when a flapping chain has had no flip for a whole window: time to send the summary. */
export function hasSettled(state: FlapState, now: string, settings: FlapSettings): boolean {
  if (state.flappingSince === undefined) return false;
  const last = state.flips.at(-1) ?? state.flappingSince;
  return Date.parse(now) - Date.parse(last) >= settings.windowSeconds * 1000;
}
