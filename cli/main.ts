import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { OWNER_ID_PATTERN } from '../shared/core/set-identifier.ts';
import { cliContext, type CliOverrides, type GlobalFlags } from './cli-context.ts';
import { registerAnswer } from './commands/answer.ts';
import { registerApply } from './commands/apply.ts';
import { registerDelete } from './commands/delete.ts';
import { registerGet } from './commands/get.ts';
import { registerImport } from './commands/import.ts';
import { registerReconcile } from './commands/reconcile.ts';
import { registerStatus } from './commands/status.ts';
import { registerControls } from './commands/controls.ts';
import { registerPlan } from './commands/plan.ts';
import { registerValidate } from './commands/validate.ts';
import { explainFailure } from './explain-error.ts';
import { ExitCode } from './exit-code.ts';
import { processIo, type CliIo } from './io.ts';
import { UsageError } from './usage-error.ts';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

/** Build the `chains` command tree, writing to `io`. */
function buildProgram(
  io: CliIo,
  overrides: CliOverrides,
): { program: Command; context: ReturnType<typeof cliContext> } {
  const program = new Command('chains')
    .description('failover chains of any depth on Route 53')
    .version(version, '-V, --version', 'print the version')
    .option('--owner <id>', 'owner id of the deployment (env OWNER_ID, default "default")')
    .option('--chains-table <name>', 'the Chains table (env CHAINS_TABLE, default failover-chains)')
    .option('--status-table <name>', 'the Status table (env STATUS_TABLE, default failover-chains-status)')
    .option(
      '--stack <name>',
      "read the settings above, the allowed zones and suffixes from the deployed stack's outputs",
    )
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
  const flags = (): GlobalFlags => {
    const options = program.opts<GlobalFlags>();
    if (options.owner !== undefined && !OWNER_ID_PATTERN.test(options.owner))
      throw new UsageError(
        `--owner: must be 1 to 32 lower-case letters, digits or hyphens (got "${options.owner}")`,
      );
    return options;
  };
  const context = cliContext(io, flags, overrides);
  const owner = async () => (await context.settings()).ownerId;
  registerValidate(program, io);
  registerPlan(program, context);
  registerAnswer(program, io, owner);
  registerApply(program, context);
  registerGet(program, context);
  registerReconcile(program, context);
  registerDelete(program, context);
  registerStatus(program, context);
  registerControls(program, context);
  registerImport(program, context);
  for (const command of program.commands) command.exitOverride().showHelpAfterError();
  return { program, context };
}

/** Run the CLI; resolves to the exit code: 0 done, 1 a problem found, 2 a usage or input error. */
export async function main(
  argv: string[],
  io: CliIo = processIo,
  overrides: CliOverrides = {},
): Promise<number> {
  const { program, context } = buildProgram(io, overrides);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof ExitCode) return error.code;
    // `help`, `--help` and `--version` end with exit code 0; every other commander error is usage.
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    if (error instanceof UsageError) {
      io.err(`error: ${error.message}`);
      return 2;
    }
    io.err(`error: ${await explainFailure(error, context.failure)}`);
    return 1;
  }
}
