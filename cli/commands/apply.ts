import { isDeepStrictEqual } from 'node:util';
import type { Command } from 'commander';
import type { CliContext } from '../cli-context.ts';
import { confirm } from '../confirm.ts';
import { chainsCostLines } from '../fleet-report.ts';
import { exitWith } from '../exit-code.ts';
import { operator } from '../operator.ts';
import { previewRemoval, previewRoute53 } from '../route53-preview.ts';
import { readRowSet, type RowFromFile } from '../row-set.ts';

interface ApplyOptions {
  prune?: boolean;
  yes?: boolean;
  dryRun?: boolean;
  awsEndpoints?: boolean;
}

type Step =
  | { action: 'create' | 'update' | 'unchanged'; name: string; from: RowFromFile }
  | { action: 'delete'; name: string };

/**
 * `chains apply FILE|FOLDER... [--prune] [--dry-run]`: rows kept in Git. Every file is read and
 * checked first (one bad file refuses the whole apply), the plan for all of them is shown, then
 * the rows are written; with --prune, rows of the table that are in no file are deleted after a
 * confirmation. --dry-run shows what Route 53 would change, against its live state, and writes nothing.
 */
export function registerApply(program: Command, context: CliContext): void {
  program
    .command('apply')
    .description('validate chain rows and write them to the Chains table (the stream applies them)')
    .argument('<files...>', 'row files (JSON, DynamoDB JSON or YAML; - for stdin) or folders of them')
    .option('--prune', 'also delete the rows of the table that are in none of the files')
    .option('-y, --yes', 'do not ask before deleting (needed with --prune without a terminal)')
    .option('--dry-run', 'print what would change in the table and in Route 53, and the cost; write nothing')
    .option('--aws-endpoints', 'with --dry-run: price health checks at the AWS-endpoint rate')
    .action(async (files: string[], options: ApplyOptions) => {
      const { io } = context;
      const settings = await context.settings();
      const set = await readRowSet(files, settings, io.readStdin);
      if (!set.ok) {
        for (const problem of set.problems) io.err(problem);
        io.err('nothing written: fix the errors above');
        exitWith(set.usage ? 2 : 1);
      }
      const store = await context.store();
      const steps = await planSteps(set.rows, options.prune ? await store.scan() : undefined, (name) =>
        store.get(name),
      );
      for (const step of steps) io.out(describe(step));
      const count = (action: Step['action']) => steps.filter((step) => step.action === action).length;
      io.out(
        `plan: ${count('create')} to create, ${count('update')} to update, ${count('delete')} to delete, ${count('unchanged')} unchanged (${settings.chainsTable})`,
      );

      if (options.dryRun) {
        const deps = await context.deps();
        let blocked = false;
        for (const step of steps) {
          if (step.action === 'unchanged') continue;
          io.out(`\n${step.name}: Route 53 changes`);
          if (step.action === 'delete') {
            for (const line of await previewRemoval(step.name, deps)) io.out(`  ${line}`);
            continue;
          }
          const preview = await previewRoute53(step.from.chain, deps);
          blocked ||= preview.blocked;
          for (const line of preview.lines) io.out(`  ${line}`);
        }
        const chains = set.rows.map((from) => from.chain);
        const endpoints = options.awsEndpoints ? 'aws' : 'non-aws';
        io.out(
          [
            '',
            ...(await chainsCostLines(chains, deps.status, settings.ownerId, endpoints, deps.sharedChecks)),
          ].join('\n'),
        );
        io.out('dry run: nothing written');
        exitWith(blocked ? 1 : 0);
      }

      const deletes = steps.filter((step) => step.action === 'delete');
      if (deletes.length > 0) {
        const action = `delete ${deletes.length === 1 ? deletes[0]!.name : `${deletes.length} chains`} from ${settings.chainsTable}`;
        if (!(await confirm(io, action, `${action}?`, options.yes))) {
          io.err('nothing written');
          exitWith(1);
        }
      }
      const by = operator('chains apply');
      for (const step of steps) {
        if (step.action === 'create' || step.action === 'update') {
          await store.put(withChangedBy(step.from.row, by));
          io.out(`applied ${step.name} (${step.from.chain.tiers.length} tiers) to ${settings.chainsTable}`);
        } else if (step.action === 'delete') {
          await store.remove(step.name);
          io.out(`deleted ${step.name}; its records, alarms and health checks are removed next`);
        }
      }
    });
}

async function planSteps(
  rows: readonly RowFromFile[],
  table: Map<string, unknown> | undefined,
  get: (name: string) => Promise<unknown>,
): Promise<Step[]> {
  const steps: Step[] = [];
  for (const from of rows) {
    const name = from.chain.name;
    const current = table ? table.get(name) : await get(name);
    const action = current === undefined ? 'create' : sameRow(current, from.row) ? 'unchanged' : 'update';
    steps.push({ action, name, from });
  }
  const named = new Set(rows.map((from) => from.chain.name));
  for (const name of [...(table?.keys() ?? [])].sort())
    if (!named.has(name)) steps.push({ action: 'delete', name });
  return steps;
}

/** The row as written: who applied it, unless the file says who. */
function withChangedBy(row: Record<string, unknown>, by: string): Record<string, unknown> {
  return 'changedBy' in row ? row : { ...row, changedBy: by };
}

/** The same row, whoever applied it last (unless the file names who). */
function sameRow(current: unknown, row: Record<string, unknown>): boolean {
  if (typeof current !== 'object' || current === null || 'changedBy' in row)
    return isDeepStrictEqual(current, row);
  const { changedBy: _by, ...rest } = current as Record<string, unknown>;
  return isDeepStrictEqual(rest, row);
}

function describe(step: Step): string {
  const action = step.action.padEnd(9);
  return step.action === 'delete'
    ? `${action} ${step.name}  (in none of the files)`
    : `${action} ${step.name}  (${step.from.file})`;
}
