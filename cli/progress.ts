import type { ReconcileProgress } from '../shared/reconcile/reconcile-all.ts';
import type { CliIo } from './io.ts';

const PHASES = { prepare: 'reading and planning', finish: 'applying' } as const;

/** Seconds as `42s` or `3m05s`. */
export function formatDuration(seconds: number): string {
  const whole = Math.max(0, Math.round(seconds));
  return whole < 60 ? `${whole}s` : `${Math.floor(whole / 60)}m${String(whole % 60).padStart(2, '0')}s`;
}

/**
 * A one-line progress display for a full reconcile (phase, N/M, current chain, ETA), drawn only
 * when stderr is a terminal so piped output carries nothing extra. Each chain is planned then
 * applied, so the ETA counts both passes.
 */
export function reconcileProgress(
  io: CliIo,
  clock: () => number = Date.now,
): { update: (progress: ReconcileProgress) => void; end: () => void } {
  const draw = io.isTTY ? io.progress : undefined;
  if (!draw) return { update: () => undefined, end: () => undefined };
  const started = clock();
  return {
    update: ({ phase, done, total, name }) => {
      const steps = phase === 'prepare' ? done : total + done;
      const elapsed = (clock() - started) / 1000;
      const eta = steps > 0 ? `  ETA ${formatDuration((elapsed / steps) * (2 * total - steps))}` : '';
      draw(`${PHASES[phase]} ${done + 1}/${total}  ${name}${eta}`);
    },
    end: () => {
      draw('');
    },
  };
}
