import { randomUUID } from 'node:crypto';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { Route53Client } from '@aws-sdk/client-route-53';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { BuilderQueues, BuildQueue } from '../reconcile/needs-builder.ts';
import type { OutboxDeps } from '../reconcile/outbox.ts';
import { SqsBuildFailures, SqsBuildQueue } from './sqs-build-queue.ts';
import { newCallerReference } from '../core/caller-reference.ts';
import { settingsFromEnv, type Settings } from '../settings.ts';
import type { AlertPort, ReconcileDeps, ServingDeps } from '../ports.ts';
import { DynamoHistoryStore } from './history-store.ts';
import { DynamoChainStore } from './chain-store.ts';
import { CloudWatchAdapter } from './cloudwatch-adapter.ts';
import { clientRetryConfig } from './retry-strategy.ts';
import { Route53Adapter } from './route53-adapter.ts';
import { SnsAdapter } from './sns-adapter.ts';
import { DynamoStatusStore } from './status-store.ts';
import { DynamoSharedCheckRegistry } from './shared-check-registry.ts';

// Clients take only the SDK's standard configuration (AWS_REGION, credentials, AWS_ENDPOINT_URL
// and AWS_ENDPOINT_URL_<SERVICE>, AWS_MAX_ATTEMPTS), so any AWS-compatible endpoint works. The
// SDK's retry strategy is the only retry layer (retry-strategy.ts): throttling, Route 53's
// PriorRequestNotComplete, 5xx and network errors back off with jitter, up to AWS_MAX_ATTEMPTS.

/** Real AWS clients and adapters for the Lambdas and the CLI, built once per process. */
export function depsFromEnv(
  settings: Settings = settingsFromEnv(),
): ReconcileDeps & { dynamodb: DynamoDBClient } {
  const dynamodb = new DynamoDBClient(clientRetryConfig());
  const alerts = alertsFromEnv(settings);
  return {
    dynamodb,
    route53: new Route53Adapter(new Route53Client(clientRetryConfig())),
    alarms: new CloudWatchAdapter(new CloudWatchClient(clientRetryConfig())),
    chains: new DynamoChainStore(dynamodb, settings.chainsTable),
    status: new DynamoStatusStore(dynamodb, settings.statusTable),
    alerts,
    settings: {
      owner: settings.ownerId,
      allowedHostedZoneIds: settings.allowedHostedZoneIds,
      allowedNameSuffixes: settings.allowedNameSuffixes,
    },
    clock: () => new Date(),
    newReference: () => newCallerReference(settings.ownerId, randomUUID()),
    history: new DynamoHistoryStore(dynamodb, settings.statusTable),
    historyDays: settings.historyDays,
    sharedChecks: new DynamoSharedCheckRegistry(dynamodb, settings.statusTable),
    flap: settings.flap,
  };
}

function alertsFromEnv(settings: Settings): AlertPort {
  return settings.alertsTopicArn
    ? new SnsAdapter(new SNSClient(clientRetryConfig()), settings.alertsTopicArn)
    : {
        // Without a topic (a laptop run of the CLI), alerts are printed instead of published.
        publish: (alert) => {
          process.stderr.write(`[alert ${alert.event}] ${alert.subject}\n${alert.text}\n`);
          return Promise.resolve();
        },
      };
}

/** Deps of the outbox sweep: the Status table and the alerts topic, nothing else. */
export function outboxDepsFromEnv(settings: Settings = settingsFromEnv()): OutboxDeps {
  const dynamodb = new DynamoDBClient(clientRetryConfig());
  return {
    status: new DynamoStatusStore(dynamodb, settings.statusTable),
    history: new DynamoHistoryStore(dynamodb, settings.statusTable),
    historyDays: settings.historyDays,
    alerts: alertsFromEnv(settings),
    clock: () => new Date(),
  };
}

/** The Chains table on its own, for the CLI commands that write rows. */
export function chainStoreFromEnv(settings: Settings = settingsFromEnv()): DynamoChainStore {
  return new DynamoChainStore(new DynamoDBClient(clientRetryConfig()), settings.chainsTable);
}

/**
 * Deps of the Lambdas: reconcile's, plus the flap guard and the serving-tier metric (written to
 * stdout, where Lambda's embedded metric format picks it up).
 */
export function servingDepsFromEnv(settings: Settings = settingsFromEnv()): ServingDeps {
  const deps = depsFromEnv(settings);
  return {
    ...deps,
    flap: settings.flap,
    emitMetric: (line) => {
      process.stdout.write(`${line}\n`);
    },
  };
}

/** The builder's queue (BUILD_QUEUE_URL), or none: then a reconcile creates its own checks. */
export function buildQueueFromEnv(env: NodeJS.ProcessEnv = process.env): BuildQueue | undefined {
  const url = env.BUILD_QUEUE_URL;
  return url ? new SqsBuildQueue(new SQSClient(clientRetryConfig()), url) : undefined;
}

/**
 * What the builder sends to: its own queue (BUILD_QUEUE_URL), where a chain that must wait is
 * queued again, and the queue's dead-letter queue (BUILD_FAILURES_QUEUE_URL), where it parks a
 * message it can never read.
 */
export function builderQueuesFromEnv(env: NodeJS.ProcessEnv = process.env): BuilderQueues {
  const client = new SQSClient(clientRetryConfig());
  const requests = env.BUILD_QUEUE_URL;
  const failures = env.BUILD_FAILURES_QUEUE_URL;
  return {
    ...(requests ? { requests: new SqsBuildQueue(client, requests) } : {}),
    ...(failures ? { failures: new SqsBuildFailures(client, failures) } : {}),
  };
}
