import { InvalidArgumentError, type Command } from 'commander';
import { normalizeName } from '../../shared/core/dns-name.ts';
import { validateChain } from '../../shared/core/validate-chain.ts';
import type { CliContext } from '../cli-context.ts';
import { exitWith } from '../exit-code.ts';
import { rowKey } from '../row-key.ts';
import { formatChainTree, formatStatusTable } from '../format-status.ts';

/** `chains status [NAME]` and `chains history NAME`. */
export function registerStatus(program: Command, context: CliContext): void {
  program
    .command('status')
    .description("each chain's state, serving tier, tier health and last error; one chain as a tree")
    .argument('[name]', 'one chain')
    .option('--json', 'print JSON')
    .action(async (raw: string | undefined, options: { json?: boolean }) => {
      const { io } = context;
      const deps = await context.deps();
      if (raw === undefined) {
        const statuses = (await deps.status.list()).sort((a, b) => a.name.localeCompare(b.name));
        io.out(options.json ? JSON.stringify(statuses, null, 2) : formatStatusTable(statuses));
        return;
      }
      // A row keyed other than by its normalised name has its status under that key.
      const name = await rowKey(deps.status, raw);
      const [status, row] = await Promise.all([deps.status.get(name), deps.chains.get(name)]);
      if (!status) {
        io.err(`no status for ${name}: it has not been reconciled (is the row in the Chains table?)`);
        exitWith(1);
      }
      if (options.json) {
        io.out(JSON.stringify(status, null, 2));
        return;
      }
      const result = row === undefined ? undefined : validateChain(row, { allowReservedAddresses: true });
      io.out(formatChainTree(result?.ok ? result.chain : undefined, status));
    });

  program
    .command('history')
    .description("a chain's serving-tier changes and operators' actions (who, what), newest first")
    .argument('<name>', 'the chain name')
    .option('--limit <n>', 'how many, 1 to 1000', positiveInteger, 50)
    .option('--json', 'print JSON')
    .action(async (raw: string, options: { limit: number; json?: boolean }) => {
      const history = await (await context.deps()).history.list(normalizeName(raw), options.limit);
      if (options.json) context.io.out(JSON.stringify(history, null, 2));
      else if (history.length === 0) context.io.out('no changes recorded');
      else {
        for (const h of history) {
          const why = [
            ...(h.changes ?? []),
            h.by ? `by ${h.by}` : '',
            h.toUnobserved ? `${h.to} not observed` : '',
            h.failed.length > 0 ? `failed: ${h.failed.join(',')}` : '',
            h.recovered.length > 0 && !h.changes ? `recovered: ${h.recovered.join(',')}` : '',
          ]
            .filter(Boolean)
            .join('; ');
          context.io.out(`${h.at}  ${h.event.padEnd(18)}  ${h.from} -> ${h.to}${why ? `  (${why})` : ''}`);
        }
      }
    });
}

/** Commander parser for --limit: a usage error (exit 2) for anything but 1 to 1000. */
function positiveInteger(value: string): number {
  const number = Number(value);
  if (!/^\d+$/.test(value.trim()) || number < 1 || number > 1000)
    throw new InvalidArgumentError(`must be a whole number from 1 to 1000 (got "${value}")`);
  return number;
}
