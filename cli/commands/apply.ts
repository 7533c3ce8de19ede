import type { Command } from 'commander';
import { validateChain } from '../../shared/core/validate-chain.ts';
import { formatValidationError } from '../../shared/core/validation-error.ts';
import type { CliContext } from '../cli-context.ts';
import { exitWith } from '../exit-code.ts';
import { readRowFile } from '../read-row.ts';

/** `chains apply FILE`: validate, then write the row; an invalid row is never written. */
export function registerApply(program: Command, context: CliContext): void {
  program
    .command('apply')
    .description('validate a chain row and write it to the Chains table (the stream applies it)')
    .argument('<file>', 'the row as JSON (plain or DynamoDB JSON)')
    .action(async (file: string) => {
      const { io } = context;
      const row = await readRowFile(file);
      const result = validateChain(row);
      if (!result.ok) {
        for (const error of result.errors) io.err(formatValidationError(error));
        io.err('not written: fix the errors above');
        exitWith(1);
      }
      // The key is the normalised name, so `Site.Example.com.` and `site.example.com` are one chain.
      await context.store().put({ ...(row as Record<string, unknown>), name: result.chain.name });
      io.out(
        `applied ${result.chain.name} (${result.chain.tiers.length} tiers) to ${context.settings().chainsTable}`,
      );
    });
}
