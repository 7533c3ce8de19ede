import { checkScope, type DeploymentScope } from '../shared/core/check-zone.ts';
import type { Chain } from '../shared/core/chain.ts';
import { validateChain } from '../shared/core/validate-chain.ts';
import { formatValidationError } from '../shared/core/validation-error.ts';
import { expandRowPaths, readRowFile, type ReadStdin } from './read-row.ts';
import { UsageError } from './usage-error.ts';

/** One valid row and the file it came from. */
export interface RowFromFile {
  file: string;
  chain: Chain;
  /** The row as written, keyed by the normalised name. */
  row: Record<string, unknown>;
}

/** Rows read from files, or every problem found in them: one bad file refuses them all. */
export type RowSet = { ok: true; rows: RowFromFile[] } | { ok: false; problems: string[]; usage: boolean };

/**
 * Read and check every file (folders stand for their row files) before anything is written:
 * unreadable files, invalid rows, rows outside the deployment's scope and two files for one name
 * are all reported, each line starting with its file.
 */
export async function readRowSet(
  paths: readonly string[],
  scope: DeploymentScope,
  readStdin?: ReadStdin,
): Promise<RowSet> {
  const problems: string[] = [];
  let usage = false;
  const rows: RowFromFile[] = [];
  for (const file of await expandRowPaths(paths)) {
    let row: unknown;
    try {
      row = await readRowFile(file, readStdin);
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      problems.push(error.message);
      usage = true;
      continue;
    }
    // Rows applied to local mode (`npm start`) may target loopback, as its stand-ins allow.
    const result = validateChain(row, { allowReservedAddresses: Boolean(process.env.CHAINS_LOCAL_MODE) });
    const errors = result.ok ? checkScope(result.chain, scope) : result.errors;
    if (!result.ok || errors.length > 0) {
      for (const error of errors) problems.push(`${file}: ${formatValidationError(error)}`);
      continue;
    }
    const twin = rows.find((other) => other.chain.name === result.chain.name);
    if (twin) {
      problems.push(`${file}: ${result.chain.name} is also defined in ${twin.file}; keep one row per name`);
      continue;
    }
    // The key is the normalised name, so `Site.Example.com.` and `site.example.com` are one chain.
    rows.push({
      file,
      chain: result.chain,
      row: { ...(row as Record<string, unknown>), name: result.chain.name },
    });
  }
  return problems.length > 0 ? { ok: false, problems, usage } : { ok: true, rows };
}
