import { Logger } from '@aws-lambda-powertools/logger';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { Context, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { makeBuilderHandler } from '../functions/build-chains.ts';
import { makeChainStreamHandler } from '../functions/chain-stream.ts';
import { sqsEvent } from '../local/builder-runner.ts';
import { CloudWatchStandIn } from '../local/cloudwatch-stand-in.ts';
import { MemoryChainStore, MemoryHistoryStore, MemoryStatusStore } from '../local/memory-stores.ts';
import { Route53StandIn } from '../local/route53-stand-in.ts';
import type { Route53Quotas } from '../local/route53/quotas.ts';
import { SnsStandIn } from '../local/sns-stand-in.ts';
import { SqsStandIn } from '../local/sqs-stand-in.ts';
import { CloudWatchAdapter } from '../shared/aws/cloudwatch-adapter.ts';
import { Route53Adapter } from '../shared/aws/route53-adapter.ts';
import { SnsAdapter } from '../shared/aws/sns-adapter.ts';
import { SqsBuildQueue } from '../shared/aws/sqs-build-queue.ts';
import { newCallerReference } from '../shared/core/caller-reference.ts';
import type { ReconcileDeps } from '../shared/ports.ts';
import { reconcile } from '../shared/reconcile/reconcile.ts';
import { AccountRoute53 } from './account-buckets.ts';
import { VirtualTime } from './virtual-time.ts';

/** The deployed settings the model runs with (infra/failover-chains-stack.ts, build-queue.ts). */
export const DEPLOYED = {
  streamBatchSize: 100,
  streamTimeoutMs: 300_000,
  streamRetries: 10,
  maxRecordAgeMs: 12 * 3600_000,
  builderBatchSize: 10,
  builderTimeoutMs: 300_000,
  visibilityTimeoutMs: 1_800_000,
  /** Lambda polls an empty stream shard or queue about once a second. */
  pollMs: 1000,
  invokeOverheadMs: 20,
} as const;

/** What one bulk import did. */
export interface BulkResult {
  chains: number;
  shards: number;
  /** Until every imported chain was IN_SYNC. */
  builtSeconds: number;
  /** The account's bound: two checks a chain at 0.5 a second. */
  boundSeconds: number;
  createAttemptsPerCheck: number;
  throttled: number;
  /** The throttled attempts by Route 53 action. */
  throttledBy: Record<string, number>;
  discarded: number;
  timedOut: number;
  /** From the drain's row write to its status showing it applied. */
  editDelaySeconds: number;
  /** Wall-clock seconds the model took to run. */
  modelSeconds: number;
}

const ZONE = 'ZBULK00000000000001';
const EXISTING = 'existing.example.com';
const silent = new Logger({ logLevel: 'SILENT' });

function row(name: string, index: number): Record<string, unknown> {
  const ip = (tier: number) => `8.${8 + tier}.${Math.floor(index / 250) % 250}.${(index % 250) + 1}`;
  return {
    name,
    hostedZoneId: ZONE,
    recordType: 'CNAME',
    ttl: 60,
    tiers: [
      { id: 'primary', target: `primary.${name}`, healthCheck: { type: 'HTTP', ip: ip(0), port: 80 } },
      { id: 'secondary', target: `secondary.${name}`, healthCheck: { type: 'HTTP', ip: ip(1), port: 80 } },
      { id: 'tertiary', target: `tertiary.${name}` },
    ],
  };
}

/** Which shard a key lands in (DynamoDB hashes the partition key). */
function shardOf(name: string, shards: number): number {
  let h = 0;
  for (const c of name) h = (Math.imul(h, 31) + c.charCodeAt(0)) >>> 0;
  return h % shards;
}

let sequence = 0;
function streamRecord(name: string, newRow: unknown, oldRow?: unknown): DynamoDBRecord {
  const seq = String(++sequence).padStart(21, '0');
  return {
    eventID: seq,
    eventName: oldRow ? 'MODIFY' : 'INSERT',
    eventSource: 'aws:dynamodb',
    dynamodb: {
      Keys: { name: { S: name } },
      NewImage: marshall(newRow) as never,
      ...(oldRow ? { OldImage: marshall(oldRow) as never } : {}),
      SequenceNumber: seq,
    },
  };
}

class Timeout extends Error {}

/**
 * Write `count` new three-tier chains at once into a stream of `shards` shards, and 60 s later
 * drain a tier of a chain built before: run the real stream handler and builder, as Lambda would
 * (batches, timeouts, retries, record age), against the stand-ins behind one account's Route 53
 * buckets, in virtual time, until every chain is built and the drain is applied.
 */
export async function runBulkImport(
  count: number,
  shards: number,
  editAtMs = 60_000,
  options: { createIntervalMs?: number; quotas?: Partial<Route53Quotas> } = {},
): Promise<BulkResult> {
  const started = Date.now();
  const time = new VirtualTime();
  const clock = () => new Date(time.now);
  // An account whose quotas were raised for the import (by default 200 checks and 10,000 records
  // a zone: without this, chains past the 99th are BLOCKED and never built).
  const quotas = { healthChecks: 2 * (count + 1), recordsPerZone: 4 * (count + 1), ...options.quotas };
  const standIn = new Route53StandIn({ pageSize: 300, quotas });
  standIn.addZone(ZONE, 'example.com');
  const account = new AccountRoute53(time, standIn);
  const cloudwatch = new CloudWatchStandIn(clock);
  const sns = new SnsStandIn();
  sns.addTopic('arn:aws:sns:us-east-1:000000000000:alerts');
  const sqs = new SqsStandIn(() => time.now);
  const chains = new MemoryChainStore();
  const status = new MemoryStatusStore();
  let reference = 0;
  // Each execution environment has its own adapter, so its own CreateHealthCheck pacing.
  const environment = (): ReconcileDeps => ({
    route53: new Route53Adapter(account.client(), {
      now: () => time.now,
      sleep: time.sleep,
      ...(options.createIntervalMs === undefined
        ? {}
        : { createHealthCheckIntervalMs: options.createIntervalMs }),
    }),
    alarms: new CloudWatchAdapter(cloudwatch),
    chains,
    status,
    alerts: new SnsAdapter(sns, 'arn:aws:sns:us-east-1:000000000000:alerts'),
    history: new MemoryHistoryStore(),
    historyDays: 90,
    settings: { owner: 'default', allowedHostedZoneIds: [], allowedNameSuffixes: [] },
    clock,
    newReference: () => newCallerReference('default', `bulk-${++reference}`),
    sleep: time.sleep,
  });
  const queue = new SqsBuildQueue(
    { send: (command: object) => time.sleep(20).then(() => sqs.send(command)) },
    'https://sqs.us-east-1.amazonaws.com/000000000000/build.fifo',
  );

  // A chain built before the import, the one an operator drains during it.
  chains.rows.set(EXISTING, row(EXISTING, 99_999));
  let setupDone = false;
  void reconcile(EXISTING, environment()).then(() => (setupDone = true));
  await time.run(() => setupDone);
  const baseAttempts = account.traffic.attempts.CreateHealthCheck ?? 0;
  const t0 = time.now;

  const names = Array.from({ length: count }, (_, i) => `c${i}.example.com`);
  const shardRecords: { record: DynamoDBRecord; at: number }[][] = Array.from({ length: shards }, () => []);
  for (const [i, name] of names.entries()) {
    chains.rows.set(name, row(name, i));
    shardRecords[shardOf(name, shards)]!.push({ record: streamRecord(name, chains.rows.get(name)), at: t0 });
  }
  const drained = { ...row(EXISTING, 99_999), drain: ['primary'] };
  let editAt = Number.NaN;
  void time.sleep(editAtMs).then(() => {
    editAt = time.now;
    const before = chains.rows.get(EXISTING);
    chains.rows.set(EXISTING, drained);
    shardRecords[shardOf(EXISTING, shards)]!.push({
      record: streamRecord(EXISTING, drained, before),
      at: editAt,
    });
  });

  const result = { discarded: 0, timedOut: 0, builtAt: Number.NaN, editAppliedAt: Number.NaN };
  const finished = () => !Number.isNaN(result.builtAt) && !Number.isNaN(result.editAppliedAt);
  const noteEdit = () => {
    if (
      Number.isNaN(result.editAppliedAt) &&
      status.items.get(EXISTING)?.controls?.drain.includes('primary')
    ) {
      result.editAppliedAt = time.now;
    }
  };

  const pollShard = async (records: { record: DynamoDBRecord; at: number }[]) => {
    const deps = environment();
    const handler = makeChainStreamHandler(
      () => deps,
      silent,
      () => queue,
    );
    let retries = 0;
    while (!finished()) {
      const ready = records.filter((r) => r.at <= time.now).length;
      if (ready === 0) {
        await time.sleep(DEPLOYED.pollMs);
        continue;
      }
      while (records.length > 0 && time.now - records[0]!.at > DEPLOYED.maxRecordAgeMs) {
        records.shift();
        result.discarded++;
      }
      const batch = records.slice(0, Math.min(ready, DEPLOYED.streamBatchSize));
      await time.sleep(DEPLOYED.invokeOverheadMs);
      let failedFrom = batch.length;
      try {
        const event: DynamoDBStreamEvent = { Records: batch.map((r) => r.record) };
        const response = await Promise.race([
          handler(event),
          time.deadline(DEPLOYED.streamTimeoutMs, () => new Timeout()),
        ]);
        const first = response.batchItemFailures[0]?.itemIdentifier;
        if (first !== undefined)
          failedFrom = batch.findIndex((r) => r.record.dynamodb?.SequenceNumber === first);
      } catch (error) {
        if (error instanceof Timeout) result.timedOut++;
        failedFrom = 0;
      }
      records.splice(0, failedFrom);
      if (failedFrom < batch.length && ++retries > DEPLOYED.streamRetries) {
        result.discarded += batch.length - failedFrom;
        records.splice(0, batch.length - failedFrom);
        retries = 0;
      } else if (failedFrom === batch.length) retries = 0;
      noteEdit();
    }
  };

  const pollQueue = async () => {
    const deps = environment();
    // As deployed: a chain another reconcile holds is queued again at the back.
    const handler = makeBuilderHandler(
      () => deps,
      silent,
      {},
      () => ({ requests: queue }),
    );
    const built = () => names.filter((name) => status.items.get(name)?.state === 'IN_SYNC').length;
    while (!finished()) {
      const batch = sqs.receive(DEPLOYED.builderBatchSize);
      if (batch.length === 0) {
        await time.sleep(DEPLOYED.pollMs);
        continue;
      }
      await time.sleep(DEPLOYED.invokeOverheadMs);
      const start = time.now;
      const context = { getRemainingTimeInMillis: () => DEPLOYED.builderTimeoutMs - (time.now - start) };
      try {
        const response = await Promise.race([
          handler(sqsEvent(batch), context as Context),
          time.deadline(DEPLOYED.builderTimeoutMs, () => new Timeout()),
        ]);
        sqs.settle(batch, new Set(response.batchItemFailures.map((f) => f.itemIdentifier)));
      } catch (error) {
        if (error instanceof Timeout) result.timedOut++;
        // Nothing deleted: the batch is received again once its visibility timeout ends.
        await time.sleep(DEPLOYED.visibilityTimeoutMs - (time.now - start));
        sqs.expireInFlight();
      }
      if (Number.isNaN(result.builtAt) && built() === count) result.builtAt = time.now;
    }
  };

  void Promise.all([...shardRecords.map(pollShard), pollQueue()]);
  const checks = count * 2;
  // A model that cannot finish (a chain BLOCKED or in ERROR) stops at three times the bound and says why.
  await time.run(finished, t0 + 3 * checks * 2000 + 3600_000);
  if (!finished()) {
    const states = new Map<string, number>();
    for (const name of names) {
      const state = status.items.get(name)?.state ?? 'none';
      states.set(state, (states.get(state) ?? 0) + 1);
    }
    throw new Error(
      `bulk import of ${count} chains did not finish in ${((time.now - t0) / 3600_000).toFixed(1)} h of model time: ${[...states].map(([state, n]) => `${n} ${state}`).join(', ')}; drain ${Number.isNaN(result.editAppliedAt) ? 'not applied' : 'applied'}`,
    );
  }
  return {
    chains: count,
    shards,
    builtSeconds: (result.builtAt - t0) / 1000,
    boundSeconds: (checks * 2000) / 1000,
    createAttemptsPerCheck: ((account.traffic.attempts.CreateHealthCheck ?? 0) - baseAttempts) / checks,
    throttled: Object.values(account.traffic.throttled).reduce((a, b) => a + b, 0),
    throttledBy: { ...account.traffic.throttled },
    discarded: result.discarded,
    timedOut: result.timedOut,
    editDelaySeconds: (result.editAppliedAt - editAt) / 1000,
    modelSeconds: (Date.now() - started) / 1000,
  };
}
