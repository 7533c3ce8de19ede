import type { Command } from 'commander';
import { normalizeName } from '../../shared/core/dns-name.ts';
import { unsafeDrain } from '../../shared/core/operator-safety.ts';
import { completeHealth } from '../../shared/core/tier-health.ts';
import { validateChain } from '../../shared/core/validate-chain.ts';
import { describeValue, formatValidationError } from '../../shared/core/validation-error.ts';
import { failback, FailbackRefused } from '../../shared/serving/failback.ts';
import type { CliContext } from '../cli-context.ts';
import { exitWith } from '../exit-code.ts';
import { operator } from '../operator.ts';

type Row = Record<string, unknown>;

/**
 * A row's drain list, whatever the row holds there: a value that is not a list is kept as one
 * entry, so validation names it (`drain[0]: must be ...`) instead of the command failing on it.
 */
function drainOf(row: Row): unknown[] {
  if (row.drain === undefined) return [];
  return Array.isArray(row.drain) ? (row.drain as unknown[]) : [row.drain];
}

/** The control is already in the state asked for: said so, exit 1, nothing written. */
class NothingToDo {
  constructor(readonly message: string) {}
}

/**
 * `chains drain|undrain|pin|unpin|failback`: operator controls. They edit the row the same way a
 * person would (the stream applies it); an action that leaves no healthy tier serving is refused
 * unless --force.
 */
export function registerControls(program: Command, context: CliContext): void {
  const edit = async (
    raw: string,
    change: (row: Row) => Row | NothingToDo,
    force: boolean,
    describe: string,
  ) => {
    const { io } = context;
    const deps = await context.deps();
    const name = normalizeName(raw);
    const row = (await deps.chains.get(name)) as Row | undefined;
    if (!row) {
      io.err(`no chain ${name} in ${(await context.settings()).chainsTable}`);
      exitWith(1);
    }
    const changed = change({ ...row });
    if (changed instanceof NothingToDo) {
      io.err(`${name}: ${changed.message}; nothing changed`);
      exitWith(1);
    }
    const next: Row = { ...changed, changedBy: operator('chains CLI') };
    if (!force) delete next.force;
    const result = validateChain(next, { allowReservedAddresses: true });
    if (!result.ok) {
      for (const error of result.errors) io.err(formatValidationError(error));
      exitWith(1);
    }
    const status = await deps.status.get(name);
    const health = completeHealth(result.chain, status?.tierHealth);
    const unsafe = unsafeDrain(
      result.chain,
      result.chain.failback === 'manual' ? (status?.heldTiers ?? []) : [],
      health,
    );
    const pinnedDown = result.chain.pin !== undefined && health[result.chain.pin] === 'unhealthy';
    if (!force && (unsafe || pinnedDown)) {
      io.err(
        `refused: ${describe} ${unsafe ? unsafe.message.replace(/; add .*$/, '') : `would serve ${result.chain.pin ?? ''}, which is failing its health check`}. Use --force to do it anyway.`,
      );
      exitWith(1);
    }
    if (force) next.force = true;
    await (await context.store()).put(next);
    io.out(`${describe}: written to ${name}; the stream applies it in one change batch`);
  };

  program
    .command('drain')
    .description('leave tiers out of the chain (traffic moves at once if one of them serves)')
    .argument('<name>', 'the chain name')
    .argument('<tiers...>', 'tier ids to drain')
    .option('--force', 'drain even if no healthy tier would be left serving')
    .action(async (name: string, tiers: string[], options: { force?: boolean }) => {
      await edit(
        name,
        (row) => ({
          ...row,
          drain: [...new Set([...drainOf(row), ...tiers])],
        }),
        options.force ?? false,
        `drained ${tiers.join(', ')}`,
      );
    });

  program
    .command('undrain')
    .description('return drained tiers to the chain')
    .argument('<name>', 'the chain name')
    .argument('<tiers...>', 'tier ids to return')
    .action(async (name: string, tiers: string[]) => {
      await edit(
        name,
        (row) => {
          const drained = drainOf(row);
          const notDrained = tiers.filter((id) => !drained.includes(id));
          if (notDrained.length > 0) {
            const listed = drained.map((id) => (typeof id === 'string' ? id : describeValue(id)));
            return new NothingToDo(
              `${notDrained.join(', ')} ${notDrained.length > 1 ? 'are' : 'is'} not drained (drained: ${listed.join(', ') || 'none'})`,
            );
          }
          const drain = drained.filter((id) => typeof id !== 'string' || !tiers.includes(id));
          const { drain: _old, ...rest } = row;
          return drain.length > 0 ? { ...rest, drain } : rest;
        },
        false,
        `returned ${tiers.join(', ')}`,
      );
    });

  program
    .command('pin')
    .description('serve one tier alone, whatever the health checks say, until unpinned')
    .argument('<name>', 'the chain name')
    .argument('<tier>', 'the tier to serve')
    .option('--force', 'pin even a tier that is failing its health check')
    .action(async (name: string, tier: string, options: { force?: boolean }) => {
      await edit(name, (row) => ({ ...row, pin: tier }), options.force ?? false, `pinned to ${tier}`);
    });

  program
    .command('unpin')
    .description('rebuild the full chain after a pin')
    .argument('<name>', 'the chain name')
    .action(async (name: string) => {
      await edit(
        name,
        (row) => {
          if (row.pin === undefined) return new NothingToDo('no tier is pinned');
          const { pin: _pin, ...rest } = row;
          return rest;
        },
        false,
        'unpinned',
      );
    });

  program
    .command('failback')
    .description('manual failback: return held tiers (all, or --tier) to the chain')
    .argument('<name>', 'the chain name')
    .option('--tier <tier...>', 'only these tiers')
    .action(async (name: string, options: { tier?: string[] }) => {
      try {
        const result = await failback(name, options.tier, operator('chains CLI'), await context.deps());
        context.io.out(
          `failed back ${result.released.join(', ')}; now serving ${result.serving ?? 'unknown'}`,
        );
      } catch (error) {
        if (!(error instanceof FailbackRefused)) throw error;
        context.io.err(`refused: ${error.message}`);
        exitWith(1);
      }
    });
}
