import { main as chains } from '../cli/main.ts';
import { readRowFile } from '../cli/read-row.ts';
import { validateChain } from '../shared/core/validate-chain.ts';
import { formatValidationError } from '../shared/core/validation-error.ts';
import { DIG_TYPES, dig } from './dig.ts';
import type { LocalSystem } from './local-system.ts';

/** What `help` prints: every command the prompt takes. */
export const REPL_HELP = `Commands:
  help                          this list
  stop N | start N              stop or start server #N (1-3)
  dig [NAME] [TYPE]             ask the DNS responder (default resilient-site.example.com A; TYPE A, AAAA, CNAME, ANY, SOA, NS, TXT)
  apply FILE                    validate a chain row (plain or DynamoDB JSON) and write it; the stream applies it
  status [NAME]                 every chain's state and serving tier, or one chain as a tree
  history NAME                  serving-tier changes and operator actions, newest first
  reconcile NAME | --all        reconcile now, as the Lambdas do
  drain NAME TIER... | undrain NAME TIER...
  pin NAME TIER | unpin NAME    serve one tier alone / rebuild the chain (--force to pin a failing tier)
  failback NAME [--tier T]      return held tiers (failback: "manual") to the chain
  delete NAME                   remove the row; the system removes what it made
  quit                          stop everything and exit`;

// The `chains` commands the prompt runs in-process against local mode's stand-ins.
const CLI_COMMANDS = new Set([
  'status',
  'history',
  'reconcile',
  'drain',
  'undrain',
  'pin',
  'unpin',
  'failback',
  'delete',
]);

/** Run one line typed at the `local>` prompt; resolves to 'quit' when the user asked to leave. */
export async function replCommand(
  local: LocalSystem,
  line: string,
  print: (line: string) => void,
): Promise<'quit' | undefined> {
  const words = line.trim().split(/\s+/).filter(Boolean);
  const [command, ...args] = words;
  if (command === undefined) return undefined;
  if (command === 'quit' || command === 'exit') return 'quit';
  if (command === 'help' || command === '?') print(REPL_HELP);
  else if (command === 'stop' || command === 'start') await startStop(local, command, args[0], print);
  else if (command === 'dig') {
    const type = (args.find((a) => DIG_TYPES.includes(a.toUpperCase() as never))?.toUpperCase() ??
      'A') as (typeof DIG_TYPES)[number];
    const name =
      args.find((a) => !DIG_TYPES.includes(a.toUpperCase() as never)) ?? 'resilient-site.example.com';
    for (const answer of await dig(local.dns.address.port, name, type)) print(answer);
  } else if (command === 'apply') await apply(local, args[0], print);
  else if (CLI_COMMANDS.has(command)) {
    await chains(
      ['--chains-table', local.world.tables.chains, '--status-table', local.world.tables.status, ...words],
      { out: print, err: print },
      { deps: () => local.world.deps, store: () => local.world.chains },
    );
  } else print(`unknown command: ${command} (type help)`);
  return undefined;
}

async function startStop(
  local: LocalSystem,
  command: 'stop' | 'start',
  argument: string | undefined,
  print: (line: string) => void,
): Promise<void> {
  const server = /^[1-3]$/.test(argument ?? '') ? local.servers[Number(argument) - 1] : undefined;
  if (!server) {
    print(`usage: ${command} N, where N is 1, 2 or 3`);
    return;
  }
  const where = `server #${server.number} (${server.host}:${server.port})`;
  if ((command === 'stop') !== server.running) {
    print(`${where} is already ${command === 'stop' ? 'stopped' : 'running'}`);
    return;
  }
  await (command === 'stop' ? server.stop() : server.start());
  print(
    `${where} ${command === 'stop' ? 'stopped' : 'started'}; its health check turns ${command === 'stop' ? 'unhealthy' : 'healthy'} after ${local.failureThreshold} probes (${local.failureThreshold * local.checkIntervalMs} ms)`,
  );
}

/** Validate and normalise as `chains apply` does; local rows may health-check loopback addresses. */
async function apply(
  local: LocalSystem,
  file: string | undefined,
  print: (line: string) => void,
): Promise<void> {
  if (!file) {
    print('usage: apply FILE');
    return;
  }
  const row = await readRowFile(file);
  const result = validateChain(row, { allowReservedAddresses: true });
  if (!result.ok) {
    for (const error of result.errors) print(formatValidationError(error));
    print('not written: fix the errors above');
    return;
  }
  await local.world.chains.put({ ...(row as Record<string, unknown>), name: result.chain.name });
  print(`applied ${result.chain.name} (${result.chain.tiers.length} tiers); the stream applies it`);
}
