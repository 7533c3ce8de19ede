import { Command, CommanderError } from 'commander';
import { DEFAULT_OWNER_ID, OWNER_ID_PATTERN } from '../shared/core/set-identifier.ts';
import { cliContext, type CliOverrides } from './cli-context.ts';
import { registerAnswer } from './commands/answer.ts';
import { registerApply } from './commands/apply.ts';
import { registerDelete } from './commands/delete.ts';
import { registerImport } from './commands/import.ts';
import { registerReconcile } from './commands/reconcile.ts';
import { registerStatus } from './commands/status.ts';
import { registerControls } from './commands/controls.ts';
import { registerPlan } from './commands/plan.ts';
import { registerValidate } from './commands/validate.ts';
import { ExitCode } from './exit-code.ts';
import { processIo, type CliIo } from './io.ts';
import { UsageError } from './read-row.ts';

/** Build the `chains` command tree, writing to `io`. */
function buildProgram(io: CliIo, overrides: CliOverrides = {}): Command {
  const program = new Command('chains')
    .description('failover chains of any depth on Route 53')
    .option(
      '--owner <id>',
      'owner id of the deployment (env OWNER_ID)',
      process.env.OWNER_ID ?? DEFAULT_OWNER_ID,
    )
    .option('--chains-table <name>', 'the Chains table (env CHAINS_TABLE, default failover-chains)')
    .option('--status-table <name>', 'the Status table (env STATUS_TABLE, default failover-chains-status)')
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({
      writeOut: (text) => {
        io.out(text);
      },
      writeErr: (text) => {
        io.err(text);
      },
    });
  const owner = () => {
    const id = program.opts<{ owner: string }>().owner;
    if (!OWNER_ID_PATTERN.test(id))
      throw new UsageError(`--owner: must be 1 to 32 lower-case letters, digits or hyphens (got "${id}")`);
    return id;
  };
  registerValidate(program, io);
  registerPlan(program, io, owner);
  registerAnswer(program, io, owner);
  const context = cliContext(
    io,
    () => ({ ...program.opts<{ chainsTable?: string; statusTable?: string }>(), owner: owner() }),
    overrides,
  );
  registerApply(program, context);
  registerReconcile(program, context);
  registerDelete(program, context);
  registerStatus(program, context);
  registerControls(program, context);
  registerImport(program, context);
  for (const command of program.commands) command.exitOverride().showHelpAfterError();
  return program;
}

/** Run the CLI; resolves to the exit code: 0 ok, 1 rejected input or failure, 2 usage error. */
export async function main(
  argv: string[],
  io: CliIo = processIo,
  overrides: CliOverrides = {},
): Promise<number> {
  try {
    await buildProgram(io, overrides).parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof ExitCode) return error.code;
    if (error instanceof CommanderError) {
      return error.code === 'commander.helpDisplayed' || error.code === 'commander.version' ? 0 : 2;
    }
    if (error instanceof UsageError) {
      io.err(`error: ${error.message}`);
      return 2;
    }
    if (isFileNotFound(error)) {
      io.err(`error: ${error.message}`);
      return 2;
    }
    io.err(`error: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

function isFileNotFound(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === 'ENOENT';
}
