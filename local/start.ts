import { createInterface } from 'node:readline/promises';
import { Resolver } from 'node:dns/promises';
import { Command } from 'commander';
import { readRowFile } from '../cli/read-row.ts';
import { localSeedRow, startLocalSystem, type LocalSystem } from './local-system.ts';
import { rehearse } from './rehearsal.ts';

// `npm start`: the whole system offline. Plays the seed's failover test and exits 0 when every
// step matched; with --interactive it stays up for you to break things by hand.

const program = new Command('npm start --')
  .description(
    'rehearse failover-chains offline: DynamoDB Local, local Route 53 / CloudWatch / SNS, three servers, DNS',
  )
  .option('--interactive', 'stay up: stop and start servers, query DNS, edit chain rows')
  .option('--dns-port <port>', 'UDP port of the DNS responder on 127.0.0.1', '5353')
  .option('--tier-port <port>', 'port of servers #1-#3 on 127.0.0.1-3', '8888')
  .option('--dynamodb-port <port>', 'port of DynamoDB Local (interactive mode only; default 8000)')
  .option('--check-interval <ms>', 'local health checker interval', '1000')
  .parse();

const options = program.opts<{
  interactive?: boolean;
  dnsPort: string;
  tierPort: string;
  dynamodbPort?: string;
  checkInterval: string;
}>();
// The SDK warns on Node 20 that future releases need Node 22; the locked versions run on both.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const print = (line: string) => {
  process.stdout.write(`${line}\n`);
};

print('failover-chains LOCAL MODE: DynamoDB Local and in-memory stand-ins for Route 53, CloudWatch and SNS.');
print('Nothing here talks to AWS; health checks may probe loopback servers only because this is local mode.');
const started = Date.now();
const system = await startLocalSystem({
  dnsPort: Number(options.dnsPort),
  tierPort: Number(options.tierPort),
  checkIntervalMs: Number(options.checkInterval),
  ...(options.interactive
    ? { dynamodbPort: Number(options.dynamodbPort ?? 8000), tablePrefix: 'local' }
    : {}),
  log: print,
});
print(
  `ready in ${((Date.now() - started) / 1000).toFixed(1)} s: servers #1-#3 on ${system.servers.map((s) => `${s.host}:${s.port}`).join(', ')}, DNS on 127.0.0.1:${system.dns.address.port}`,
);

if (!options.interactive) {
  const results = await rehearse(system, { log: print });
  await system.stop();
  const ok = results.every((result) => result.ok);
  print(
    `\n${ok ? 'Every step matched' : 'Some steps did not match'} (${((Date.now() - started) / 1000).toFixed(1)} s in all).`,
  );
  process.exit(ok ? 0 : 1);
}

await interactive(system);

async function interactive(local: LocalSystem): Promise<void> {
  await local.world.chains.put(
    localSeedRow(
      local.servers.map((s) => s.host),
      local.tierPort,
    ),
  );
  const env = `AWS_ENDPOINT_URL_DYNAMODB=${local.dynamodbEndpoint} AWS_REGION=us-east-1 AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local CHAINS_TABLE=${local.world.tables.chains} STATUS_TABLE=${local.world.tables.status}`;
  print(`
The seed's chain is written. Commands:
  stop N | start N        stop or start server #N
  dig [NAME]              what the DNS responder answers (default resilient-site.example.com)
  apply FILE              write a chain row (plain or DynamoDB JSON); the stream applies it
  status                  every chain's state and serving tier
  quit
From another terminal:
  dig @127.0.0.1 -p ${local.dns.address.port} resilient-site.example.com
  curl http://$(dig +short @127.0.0.1 -p ${local.dns.address.port} resilient-site.example.com | tail -1):${local.tierPort}/
  ${env} npx chains status`);
  const resolver = new Resolver();
  resolver.setServers([`127.0.0.1:${local.dns.address.port}`]);
  const rl = createInterface({ input: process.stdin, output: process.stdout, prompt: 'local> ' });
  rl.prompt();
  for await (const line of rl) {
    const [command, argument] = line.trim().split(/\s+/);
    try {
      if (command === 'quit' || command === 'exit') break;
      if ((command === 'stop' || command === 'start') && argument) {
        const server = local.servers[Number(argument) - 1];
        if (!server) print('no such server: use 1, 2 or 3');
        else await (command === 'stop' ? server.stop() : server.start());
      } else if (command === 'dig') {
        const name = argument ?? 'resilient-site.example.com';
        const cname = await resolver.resolveCname(name).catch(() => []);
        const addresses = await resolver.resolve4(name).catch((error: unknown) => [String(error)]);
        print(`${name}${cname.length > 0 ? ` CNAME ${cname.join(',')}` : ''} -> ${addresses.join(', ')}`);
      } else if (command === 'apply' && argument) {
        const row = await readRowFile(argument);
        await local.world.chains.put(row as Record<string, unknown>);
        print('written; watch for the reconcile');
      } else if (command === 'status') {
        for (const status of await local.world.deps.status.list()) {
          print(
            `${status.name}  ${status.state}  serving ${status.servingTier ?? '?'}  ${status.errors.join('; ')}`,
          );
        }
      } else if (command) print(`unknown command: ${command}`);
    } catch (error) {
      print(`error: ${error instanceof Error ? error.message : String(error)}`);
    }
    rl.prompt();
  }
  rl.close();
  await local.stop();
  process.exit(0);
}
