import type { Command } from 'commander';
import type { CliIo } from '../io.ts';
import { loadChain } from '../load-chain.ts';
import { exitWith } from '../exit-code.ts';

/** `chains validate FILE`: ok, or every error one a line. */
export function registerValidate(program: Command, io: CliIo): void {
  program
    .command('validate')
    .description('check a chain row (plain or DynamoDB JSON); prints ok or every error, one a line')
    .argument('<file>', 'the row as JSON or YAML (- for stdin)')
    .action(async (file: string) => {
      const chain = await loadChain(file, io);
      if (chain) io.out('ok');
      exitWith(chain ? 0 : 1);
    });
}
