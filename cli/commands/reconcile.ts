import type { Command } from 'commander';
import { reconcile } from '../../shared/reconcile/reconcile.ts';
import { reconcileAll } from '../../shared/reconcile/reconcile-all.ts';
import type { CliContext } from '../cli-context.ts';
import { exitWith } from '../exit-code.ts';
import { UsageError } from '../read-row.ts';

/** `chains reconcile NAME | --all`: the same reconcile the Lambdas run, from a laptop. */
export function registerReconcile(program: Command, context: CliContext): void {
  program
    .command('reconcile')
    .description('reconcile one chain (or every chain with --all) now, as the Lambdas do')
    .argument('[name]', 'the chain name')
    .option('--all', 'every chain, plus clean-up of what no chain uses')
    .option('--json', 'print JSON')
    .action(async (name: string | undefined, options: { all?: boolean; json?: boolean }) => {
      const { io } = context;
      if ((name === undefined) === !options.all) throw new UsageError('give a chain name or --all');
      const deps = context.deps();
      if (options.all) {
        const summary = await reconcileAll(deps);
        if (options.json) io.out(JSON.stringify(summary, null, 2));
        else {
          io.out(`reconciled ${summary.reconciled} chains: ${JSON.stringify(summary.byState)}`);
          for (const failure of summary.failed) io.err(`failed ${failure.name}: ${failure.error}`);
          if (summary.deletedHealthChecks.length + summary.deletedAlarms.length > 0) {
            io.out(
              `deleted ${summary.deletedHealthChecks.length} unused health checks, ${summary.deletedAlarms.length} alarms`,
            );
          }
        }
        exitWith(summary.failed.length > 0 ? 1 : 0);
      }
      const result = await reconcile(name!, deps);
      const status = await deps.status.get(result.name);
      if (options.json) io.out(JSON.stringify({ ...result, errors: status?.errors ?? [] }, null, 2));
      else {
        io.out(`${result.name}: ${result.state} (${result.recordChanges} record changes)`);
        for (const error of status?.errors ?? []) io.err(error);
      }
      exitWith(['INVALID', 'CONFLICT', 'ERROR'].includes(result.state) ? 1 : 0);
    });
}
