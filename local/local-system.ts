import { Logger } from '@aws-lambda-powertools/logger';
import { ChangeResourceRecordSetsCommand } from '@aws-sdk/client-route-53';
import { makeBuilderHandler } from '../functions/build-chains.ts';
import { makeChainStreamHandler } from '../functions/chain-stream.ts';
import { drainBuildQueue } from './builder-runner.ts';
import { makeHealthAlarmHandler } from '../functions/health-alarm.ts';
import { alarmStateChangeEvent } from './alarm-events.ts';
import { DnsResponder } from './dns-responder.ts';
import { startDynamoDbLocal, type DynamoDbLocal } from './dynamodb-local.ts';
import { checkLocalPorts } from './local-ports.ts';
import { LocalHealthChecker } from './health-checker.ts';
import { createLocalWorld, type LocalWorld } from './local-world.ts';
import type { PublishedMessage } from './sns-stand-in.ts';
import { StreamReader } from './stream-reader.ts';
import { TierServer } from './tier-servers.ts';

/** The zone local mode serves. */
export const LOCAL_ZONE = { id: 'Z0123456789EXAMPLE', name: 'example.com' } as const;

/** Settings of an offline run; the defaults suit a person watching, tests pass faster ones. */
export interface LocalSystemOptions {
  /** Use this DynamoDB Local instead of starting one. */
  dynamodbEndpoint?: string;
  /** Port for the DynamoDB Local this run starts (default: a free one). */
  dynamodbPort?: number;
  /** Default 5353; 0 picks a free port. */
  dnsPort?: number;
  /** Loopback addresses of servers #1, #2, #3 (default 127.0.0.1, 127.0.0.2, 127.0.0.3). */
  tierHosts?: readonly string[];
  /** Port of the three servers (default 8888; 0 picks a free one). */
  tierPort?: number;
  /** Health checker interval (default 1000 ms) and failures needed to flip (default 2). */
  checkIntervalMs?: number;
  failureThreshold?: number;
  /** How often the stream is read (default 200 ms). */
  streamPollMs?: number;
  tablePrefix?: string;
  log?: (line: string) => void;
}

/** A running offline system: the same handlers and reconcile as in AWS, wired as Lambda and EventBridge would. */
export interface LocalSystem {
  world: LocalWorld;
  servers: TierServer[];
  dns: DnsResponder;
  checker: LocalHealthChecker;
  alerts: PublishedMessage[];
  dynamodbEndpoint: string;
  tierPort: number;
  /** Health checker interval and probes needed to flip, as started. */
  checkIntervalMs: number;
  failureThreshold: number;
  /** Resolves when queued stream records and alarm events have been handled. */
  settle(): Promise<void>;
  stop(): Promise<void>;
}

/** The seed's three-tier chain, pointed at the local servers (loopback health checks: local mode only). */
export function localSeedRow(hosts: readonly string[], port: number): Record<string, unknown> {
  const names = ['primary', 'secondary', 'tertiary'];
  return {
    name: 'resilient-site.example.com',
    hostedZoneId: LOCAL_ZONE.id,
    recordType: 'CNAME',
    ttl: 60,
    tiers: names.map((id, i) => ({
      id,
      target: `${id}.resilient-site.example.com`,
      ...(i < 2 ? { healthCheck: { type: 'HTTP', ip: hosts[i], port, path: '/' } } : {}),
    })),
  };
}

/** Start DynamoDB Local, the stand-ins, three servers, the health checker and the DNS responder. */
export async function startLocalSystem(options: LocalSystemOptions = {}): Promise<LocalSystem> {
  const hosts = options.tierHosts ?? ['127.0.0.1', '127.0.0.2', '127.0.0.3'];
  // Every port is checked before anything starts, so a clash costs nothing to clean up.
  await checkLocalPorts({ dnsPort: options.dnsPort ?? 5353, tierPort: options.tierPort ?? 8888, hosts });
  let dynamo: DynamoDbLocal | undefined;
  const endpoint =
    options.dynamodbEndpoint ?? (dynamo = await startDynamoDbLocal(options.dynamodbPort)).endpoint;
  try {
    return await startOnDynamo(endpoint, hosts, options, dynamo);
  } catch (error) {
    await dynamo?.stop();
    throw error;
  }
}

async function startOnDynamo(
  endpoint: string,
  hosts: readonly string[],
  options: LocalSystemOptions,
  dynamo: DynamoDbLocal | undefined,
): Promise<LocalSystem> {
  const log = options.log ?? (() => undefined);
  const world = await createLocalWorld({
    endpoint,
    ...(options.tablePrefix ? { tablePrefix: options.tablePrefix } : {}),
    zones: [LOCAL_ZONE],
    allowReservedAddresses: true,
  });

  const dns = new DnsResponder(world.route53, '127.0.0.1', options.dnsPort ?? 5353);
  let servers: TierServer[];
  let port: number;
  try {
    await dns.start();
    ({ servers, port } = await startServers(hosts, options.tierPort ?? 8888));
  } catch (error) {
    await dns.stop();
    world.destroy();
    throw error;
  }
  // The A records the seed's tiers point at: the user's own records, which the system never touches.
  await world.route53.send(
    new ChangeResourceRecordSetsCommand({
      HostedZoneId: LOCAL_ZONE.id,
      ChangeBatch: {
        Changes: ['primary', 'secondary', 'tertiary'].map((tier, i) => ({
          Action: 'CREATE',
          ResourceRecordSet: {
            Name: `${tier}.resilient-site.example.com`,
            Type: 'A',
            TTL: 60,
            ResourceRecords: [{ Value: hosts[i]! }],
          },
        })),
      },
    }),
  );

  const silent = new Logger({ logLevel: 'SILENT' });
  // As deployed: the stream and alarm handlers hand chains that need new health checks to the
  // builder's queue, and the builder (the only creator of checks) drains it after each round.
  const streamHandler = makeChainStreamHandler(
    () => world.deps,
    silent,
    () => world.buildQueue,
  );
  const alarmHandler = makeHealthAlarmHandler(
    () => world.deps,
    silent,
    () => world.buildQueue,
  );
  const builder = makeBuilderHandler(
    () => world.deps,
    silent,
    {},
    () => world.builderQueues,
  );
  const alerts: PublishedMessage[] = [];
  world.sns.onPublish((message) => {
    alerts.push(message);
    log(`ALERT  ${message.subject ?? ''}\n${message.text.replace(/^/gm, '       ')}`);
  });

  // Alarm state changes reach the alarm handler one at a time, as EventBridge delivers them.
  let alarmQueue = Promise.resolve();
  world.cloudwatch.onStateChange((change) => {
    alarmQueue = alarmQueue
      .then(() => alarmHandler(alarmStateChangeEvent(change)))
      .then(() => undefined)
      .catch((error: unknown) => {
        log(`alarm handler failed: ${String(error)}`);
      });
  });

  const reader = new StreamReader(world.dynamodb, world.streams, world.tables.chains);
  await reader.start();
  let stopped = false;
  let streamRound = Promise.resolve();
  const pump = async () => {
    while (!stopped) {
      streamRound = reader
        .drain(streamHandler)
        .then(() => drainBuildQueue(world.sqs, builder))
        .then(() => undefined);
      await streamRound.catch((error: unknown) => {
        log(`stream handler failed: ${String(error)}`);
      });
      await new Promise((resolve) => setTimeout(resolve, options.streamPollMs ?? 200));
    }
  };
  const pumping = pump();

  const checker = new LocalHealthChecker(world.route53, world.cloudwatch, {
    intervalMs: options.checkIntervalMs ?? 1000,
    failureThreshold: options.failureThreshold ?? 2,
    onRefused: (line) => {
      log(line);
    },
  });
  checker.start();

  return {
    world,
    servers,
    dns,
    checker,
    alerts,
    dynamodbEndpoint: endpoint,
    tierPort: port,
    checkIntervalMs: options.checkIntervalMs ?? 1000,
    failureThreshold: options.failureThreshold ?? 2,
    settle: async () => {
      await streamRound.catch(() => undefined);
      await alarmQueue;
    },
    stop: async () => {
      stopped = true;
      await pumping;
      await checker.stop();
      await alarmQueue;
      await dns.stop();
      await Promise.all(servers.map((server) => server.stop()));
      world.destroy();
      await dynamo?.stop();
    },
  };
}

/** Start servers #1-#3 on one port across their loopback addresses (a free one when port is 0). */
async function startServers(
  hosts: readonly string[],
  port: number,
): Promise<{ servers: TierServer[]; port: number }> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const chosen = port === 0 ? 20_000 + Math.floor(Math.random() * 20_000) : port;
    const servers = hosts.map((host, i) => new TierServer(i + 1, host, chosen));
    try {
      for (const server of servers) await server.start();
      return { servers, port: chosen };
    } catch (error) {
      await Promise.all(servers.map((server) => server.stop()));
      if (port !== 0) throw error;
    }
  }
  throw new Error('no free port for the local servers');
}
