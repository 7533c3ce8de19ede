import { startLocalSystem, localSeedRow, type LocalSystem } from './local-system.ts';
import { LocalModeError } from './local-mode-error.ts';
import { rehearse } from './rehearsal.ts';
import { runRepl } from './repl.ts';
import { parseStartOptions } from './start-options.ts';
import { localEnvironment } from './local-environment.ts';

// `npm start`: the whole system offline. Plays the seed's failover test and exits 0 when every
// step matched; with --interactive it stays up for you to break things by hand. Whatever ends it
// (the end, an error, Ctrl-C, kill), DynamoDB Local goes with it (see dynamodb-local.ts).

const parsed = parseStartOptions(process.argv.slice(2), {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
});
if ('exitCode' in parsed) process.exit(parsed.exitCode);
const options = parsed.options;

// The SDK warns on Node 20 that future releases need Node 22; the locked versions run on both.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
let print = (line: string) => {
  process.stdout.write(`${line}\n`);
};
let system: LocalSystem | undefined;
let stopping: Promise<void> | undefined;

/** Stop everything (at most 5 s, then exit anyway: the exit hook kills DynamoDB Local) and exit. */
const shutdown = (code: number) => {
  stopping ??= Promise.race([
    system?.stop() ?? Promise.resolve(),
    new Promise<void>((resolve) => setTimeout(resolve, 5000).unref()),
  ]).finally(() => process.exit(code));
  return stopping;
};
process.once('SIGINT', () => void shutdown(130));
process.once('SIGTERM', () => void shutdown(143));
process.once('SIGHUP', () => void shutdown(129));

try {
  print(
    'failover-chains LOCAL MODE: DynamoDB Local and in-memory stand-ins for Route 53, CloudWatch and SNS.',
  );
  print('Nothing here talks to AWS; health checks probe loopback servers only.');
  const started = Date.now();
  system = await startLocalSystem({
    dnsPort: options.dnsPort,
    tierPort: options.tierPort,
    checkIntervalMs: options.checkIntervalMs,
    ...(options.dynamodbPort !== undefined ? { dynamodbPort: options.dynamodbPort } : {}),
    ...(options.interactive ? { tablePrefix: 'local' } : {}),
    log: (line) => {
      print(line);
    },
  });
  print(
    `ready in ${((Date.now() - started) / 1000).toFixed(1)} s: servers #1-#3 on ${system.servers.map((s) => `${s.host}:${s.port}`).join(', ')}, DNS on 127.0.0.1:${system.dns.address.port} (UDP and TCP)`,
  );
  if (!options.interactive) {
    const results = await rehearse(system, { log: print });
    const ok = results.every((result) => result.ok);
    print(
      `\n${ok ? 'Every step matched' : 'Some steps did not match'} (${((Date.now() - started) / 1000).toFixed(1)} s in all).`,
    );
    await shutdown(ok ? 0 : 1);
  } else {
    await system.world.chains.put(
      localSeedRow(
        system.servers.map((s) => s.host),
        system.tierPort,
      ),
    );
    print(`\nThe seed's chain is written. Type help for commands. From another terminal:`);
    print(localEnvironment(system));
    await runRepl(system, process.stdin, process.stdout, (safe) => {
      print = safe;
    });
    await shutdown(0);
  }
} catch (error) {
  if (error instanceof LocalModeError) process.stderr.write(`npm start: ${error.message}\n`);
  else
    process.stderr.write(
      `npm start failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
  await shutdown(1);
}
