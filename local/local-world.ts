import { randomUUID } from 'node:crypto';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { DynamoChainStore } from '../shared/aws/chain-store.ts';
import { CloudWatchAdapter } from '../shared/aws/cloudwatch-adapter.ts';
import { Route53Adapter } from '../shared/aws/route53-adapter.ts';
import { SnsAdapter } from '../shared/aws/sns-adapter.ts';
import { DynamoStatusStore } from '../shared/aws/status-store.ts';
import { chainsTable, statusTable } from '../shared/aws/tables.ts';
import { DEFAULT_OWNER_ID } from '../shared/core/set-identifier.ts';
import { newCallerReference } from '../shared/core/caller-reference.ts';
import type { ReconcileDeps, ServingDeps } from '../shared/ports.ts';
import { DynamoHistoryStore } from '../shared/aws/history-store.ts';
import { DynamoSharedCheckRegistry } from '../shared/aws/shared-check-registry.ts';
import { FLAP_DEFAULTS, type FlapSettings } from '../shared/core/flap-guard.ts';
import { clientRetryConfig } from '../shared/aws/retry-strategy.ts';
import { CloudWatchStandIn } from './cloudwatch-stand-in.ts';
import { localCredentials } from './dynamodb-local.ts';
import { withFaults, type FaultPlan } from './faults.ts';
import { Route53StandIn } from './route53-stand-in.ts';
import { cloudWatchClient, LOCAL_RETRY, route53Client, snsClient } from './sdk-over-stand-in.ts';
import { SnsStandIn } from './sns-stand-in.ts';
import { SqsStandIn } from './sqs-stand-in.ts';
import { SqsBuildFailures, SqsBuildQueue } from '../shared/aws/sqs-build-queue.ts';
import type { BuilderQueues, BuildQueue } from '../shared/reconcile/needs-builder.ts';

/** How to build an offline world. */
export interface LocalWorldOptions {
  /** DynamoDB Local's endpoint. */
  endpoint: string;
  /** Table names are `<prefix>-chains` and `<prefix>-status`; a random prefix by default. */
  tablePrefix?: string;
  owner?: string;
  zones?: { id: string; name: string }[];
  allowedHostedZoneIds?: string[];
  allowedNameSuffixes?: string[];
  /** Local mode lets health checks probe loopback servers. */
  allowReservedAddresses?: boolean;
  route53PageSize?: number;
  clock?: () => Date;
  flap?: FlapSettings;
  /** Count, record and fail the system's AWS calls (the test's own calls are left alone). */
  faults?: FaultPlan;
  /** False: every chain gets its own health checks, as a row with `"shared": false` does. */
  sharedChecks?: boolean;
}

/** Everything the system runs on offline: DynamoDB Local tables and the AWS stand-ins, wired into reconcile's deps. */
export interface LocalWorld {
  deps: ServingDeps;
  /** Embedded-metric lines the alarm handler emitted. */
  metrics: string[];
  route53: Route53StandIn;
  cloudwatch: CloudWatchStandIn;
  sns: SnsStandIn;
  /** The builder's FIFO queue, and the adapter the handlers send to it with. */
  sqs: SqsStandIn;
  buildQueue: BuildQueue;
  /** The build queue's dead-letter queue (`Failures`). */
  buildFailures: SqsStandIn;
  /** What the builder sends to, as deployed: its own queue and its failures queue. */
  builderQueues: BuilderQueues;
  dynamodb: DynamoDBClient;
  streams: DynamoDBStreamsClient;
  chains: DynamoChainStore;
  tables: { chains: string; status: string };
  topicArn: string;
  /** DynamoDB write commands made through `deps` so far. */
  dynamoWrites: string[];
  destroy(): void;
}

/** Build the offline world: create the tables as the stack does and the stand-ins for Route 53, CloudWatch and SNS. */
export async function createLocalWorld(options: LocalWorldOptions): Promise<LocalWorld> {
  const prefix = options.tablePrefix ?? `fc-${randomUUID().slice(0, 8)}`;
  const tables = { chains: `${prefix}-chains`, status: `${prefix}-status` };
  const clientConfig = { endpoint: options.endpoint, region: 'us-east-1', credentials: localCredentials };
  const dynamodb = new DynamoDBClient(clientConfig);
  const streams = new DynamoDBStreamsClient(clientConfig);
  await dynamodb.send(new CreateTableCommand(chainsTable(tables.chains)));
  await dynamodb.send(new CreateTableCommand(statusTable(tables.status)));

  const route53 = new Route53StandIn({
    ...(options.route53PageSize ? { pageSize: options.route53PageSize } : {}),
    allowReservedAddresses: options.allowReservedAddresses ?? false,
  });
  for (const zone of options.zones ?? [{ id: 'Z0123456789EXAMPLE', name: 'example.com' }])
    route53.addZone(zone.id, zone.name);
  const clock = options.clock ?? (() => new Date());
  const cloudwatch = new CloudWatchStandIn(clock);
  const sns = new SnsStandIn();
  const topicArn = 'arn:aws:sns:us-east-1:000000000000:failover-chains-alerts';
  sns.addTopic(topicArn);

  // The system's calls go through SDK clients with the production retry strategy (a 1 ms wait);
  // the stand-ins answer the last hop. The test's own DynamoDB client stays apart from faults.
  const plan = options.faults;
  const faulty = <C extends { send: (command: never) => Promise<unknown> }>(
    client: C,
    service: Parameters<typeof withFaults>[1],
  ) => (plan ? withFaults(client, service, plan) : client);
  const systemDynamodb = faulty(
    new DynamoDBClient({ ...clientConfig, ...clientRetryConfig(LOCAL_RETRY) }),
    'dynamodb',
  );
  const dynamoWrites: string[] = [];
  const counting = {
    send: ((command: object) => {
      const name = command.constructor.name;
      if (/^(Put|Update|Delete|BatchWrite|TransactWrite)/.test(name)) dynamoWrites.push(name);
      return systemDynamodb.send(command as never);
    }) as DynamoDBClient['send'],
  };

  const chains = new DynamoChainStore(dynamodb, tables.chains);
  const sqs = new SqsStandIn(() => clock().getTime());
  const buildQueue = new SqsBuildQueue(sqs, 'https://sqs.us-east-1.amazonaws.com/000000000000/build.fifo');
  const buildFailures = new SqsStandIn(() => clock().getTime());
  const builderQueues: BuilderQueues = {
    requests: buildQueue,
    failures: new SqsBuildFailures(
      buildFailures,
      'https://sqs.us-east-1.amazonaws.com/000000000000/build-failures.fifo',
    ),
  };
  const metrics: string[] = [];
  const base: ReconcileDeps = {
    route53: new Route53Adapter(faulty(route53Client(route53), 'route53'), {
      createHealthCheckIntervalMs: 0,
    }),
    alarms: new CloudWatchAdapter(faulty(cloudWatchClient(cloudwatch), 'cloudwatch')),
    chains: new DynamoChainStore(counting, tables.chains),
    status: new DynamoStatusStore(counting, tables.status),
    alerts: new SnsAdapter(faulty(snsClient(sns), 'sns'), topicArn),
    settings: {
      owner: options.owner ?? DEFAULT_OWNER_ID,
      allowedHostedZoneIds: options.allowedHostedZoneIds ?? [],
      allowedNameSuffixes: options.allowedNameSuffixes ?? [],
      allowReservedAddresses: options.allowReservedAddresses ?? false,
    },
    clock,
    newReference: () => newCallerReference(options.owner ?? DEFAULT_OWNER_ID, randomUUID()),
    history: new DynamoHistoryStore(counting, tables.status),
    historyDays: 90,
    ...(options.sharedChecks === false
      ? {}
      : { sharedChecks: new DynamoSharedCheckRegistry(counting, tables.status) }),
  };
  const deps: ServingDeps = {
    ...base,
    flap: options.flap ?? FLAP_DEFAULTS,
    emitMetric: (line) => metrics.push(line),
  };
  return {
    deps,
    metrics,
    route53,
    cloudwatch,
    sns,
    sqs,
    buildQueue,
    buildFailures,
    builderQueues,
    dynamodb,
    streams,
    chains,
    tables,
    topicArn,
    dynamoWrites,
    destroy: () => {
      dynamodb.destroy();
      systemDynamodb.destroy();
      streams.destroy();
    },
  };
}
