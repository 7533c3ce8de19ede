import type { CliIo } from './io.ts';
import { UsageError } from './usage-error.ts';

/**
 * Ask before a destructive step. `--yes` skips the question; with no terminal to ask on (a
 * script, a pipe) and no --yes, it is a usage error rather than a silent yes or a hang.
 */
export async function confirm(
  io: CliIo,
  action: string,
  question: string,
  yes: boolean | undefined,
): Promise<boolean> {
  if (yes) return true;
  if (!io.ask) throw new UsageError(`${action}: no terminal to confirm on; pass --yes`);
  return /^\s*y(es)?\s*$/i.test(await io.ask(`${question} [y/N] `));
}
