import type { Command } from 'commander';
import { normalizeName } from '../../shared/core/dns-name.ts';
import type { CliContext } from '../cli-context.ts';
import { confirm } from '../confirm.ts';
import { exitWith } from '../exit-code.ts';
import { rowKey } from '../row-key.ts';
import { UsageError } from '../usage-error.ts';

/** `chains delete NAME [--yes]`: remove the row after a confirmation; the system then removes what it made. */
export function registerDelete(program: Command, context: CliContext): void {
  program
    .command('delete')
    .description('remove a chain row; its records, alarms and health checks are removed after it')
    .argument('<name>', 'the chain name')
    .option('-y, --yes', 'do not ask for confirmation (needed without a terminal)')
    .action(async (raw: string, options: { yes?: boolean }) => {
      const { io } = context;
      // Refused before any AWS call: a script without --yes learns it at once.
      if (!options.yes && !io.ask)
        throw new UsageError(`delete ${normalizeName(raw)}: no terminal to confirm on; pass --yes`);
      const store = await context.store();
      const name = await rowKey(store, raw);
      const table = (await context.settings()).chainsTable;
      if ((await store.get(name)) === undefined) {
        io.err(`no chain ${name} in ${table}`);
        exitWith(1);
      }
      const question = `delete ${name} from ${table}? Its records, alarms and health checks are removed after it.`;
      if (!(await confirm(io, `delete ${name} from ${table}`, question, options.yes))) {
        io.err('not deleted');
        exitWith(1);
      }
      if (!(await store.remove(name))) {
        io.err(`no chain ${name} in ${table}`);
        exitWith(1);
      }
      io.out(`deleted ${name}; its records, alarms and health checks are removed next`);
    });
}
