import type { Command } from 'commander';
import { reconcile } from '../../shared/reconcile/reconcile.ts';
import { reconcileAll, type ReconcileAllSummary } from '../../shared/reconcile/reconcile-all.ts';
import type { CliContext } from '../cli-context.ts';
import { exitWith } from '../exit-code.ts';
import { reconcileProgress } from '../progress.ts';
import { UsageError } from '../usage-error.ts';

const PROBLEM_STATES = ['INVALID', 'CONFLICT', 'ERROR', 'BLOCKED'];
const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

/** A full run's summary for people: what was reconciled, what failed, what was cleaned up. */
export function formatSummary(summary: ReconcileAllSummary): string[] {
  const states = Object.entries(summary.byState)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([state, count]) => `${count} ${state}`);
  const lines = [
    `reconciled ${plural(summary.reconciled, 'chain')}${states.length > 0 ? `: ${states.join(', ')}` : ''}`,
  ];
  const problems = PROBLEM_STATES.reduce((sum, state) => sum + (summary.byState[state] ?? 0), 0);
  if (problems > 0)
    lines.push(
      `${plural(problems, 'chain')} ${problems === 1 ? 'needs' : 'need'} attention: see chains status`,
    );
  for (const failure of summary.failed) lines.push(`failed ${failure.name}: ${failure.error}`);
  if (summary.deletedHealthChecks.length + summary.deletedAlarms.length > 0) {
    lines.push(
      `deleted ${plural(summary.deletedHealthChecks.length, 'unused health check')} and ${plural(summary.deletedAlarms.length, 'unused alarm')}`,
    );
  }
  if (summary.flapping.length > 0) lines.push(`flapping: ${summary.flapping.join(', ')}`);
  return lines;
}

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
      const deps = await context.deps();
      if (options.all) {
        const progress = reconcileProgress(io);
        let summary: ReconcileAllSummary;
        try {
          summary = await reconcileAll(deps, undefined, progress.update);
        } finally {
          progress.end();
        }
        if (options.json) io.out(JSON.stringify(summary, null, 2));
        else io.out(formatSummary(summary).join('\n'));
        const problems = PROBLEM_STATES.some((state) => (summary.byState[state] ?? 0) > 0);
        exitWith(summary.failed.length > 0 || problems ? 1 : 0);
      }
      const result = await reconcile(name!, deps);
      const status = await deps.status.get(result.name);
      if (options.json) io.out(JSON.stringify({ ...result, errors: status?.errors ?? [] }, null, 2));
      else {
        io.out(`${result.name}: ${result.state} (${result.recordChanges} record changes)`);
        for (const error of status?.errors ?? []) io.err(error);
      }
      exitWith(PROBLEM_STATES.includes(result.state) ? 1 : 0);
    });
}
