import type { Command } from 'commander';
import { normalizeName } from '../../shared/core/dns-name.ts';
import type { CliContext } from '../cli-context.ts';
import { exitWith } from '../exit-code.ts';

/** `chains delete NAME`: remove the row; the system then removes everything it made for it. */
export function registerDelete(program: Command, context: CliContext): void {
  program
    .command('delete')
    .description('remove a chain row; its records, alarms and health checks are removed after it')
    .argument('<name>', 'the chain name')
    .action(async (raw: string) => {
      const name = normalizeName(raw);
      if (!(await context.store().remove(name))) {
        context.io.err(`no chain ${name} in ${context.settings().chainsTable}`);
        exitWith(1);
      }
      context.io.out(`deleted ${name}; its records, alarms and health checks are removed next`);
    });
}
