import type { Chain } from '../shared/core/chain.ts';
import { validateChain, type ValidateOptions } from '../shared/core/validate-chain.ts';
import { formatValidationError } from '../shared/core/validation-error.ts';
import type { CliIo } from './io.ts';
import { readRowFile } from './read-row.ts';

/** Read and validate a row file (`-`: stdin); prints every error and returns undefined when it is invalid. */
export async function loadChain(
  path: string,
  io: CliIo,
  options: ValidateOptions = {},
): Promise<Chain | undefined> {
  const result = validateChain(await readRowFile(path, io.readStdin), options);
  if (result.ok) return result.chain;
  for (const error of result.errors) io.err(formatValidationError(error));
  return undefined;
}
