import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { Logger } from '@aws-lambda-powertools/logger';
import type { Context, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { buildQueueFromEnv, servingDepsFromEnv } from '../shared/aws/deps-from-env.ts';
import type { ReconcileDeps } from '../shared/ports.ts';
import { isHostedZoneId, normalizeZoneId } from '../shared/core/validate-chain.ts';
import { handOff, isNewWithChecks, requestFor } from '../shared/aws/hand-off.ts';
import type { BuildQueue } from '../shared/reconcile/needs-builder.ts';
import { reconcile } from '../shared/reconcile/reconcile.ts';

const logger = new Logger({ serviceName: 'failover-chains', logRecordOrder: ['level', 'message', 'chain'] });

/** The chain name (partition key) a stream record is about. */
function chainOf(record: DynamoDBRecord): string {
  const name = record.dynamodb?.Keys?.name?.S;
  if (name === undefined) throw new Error(`stream record ${record.eventID ?? '?'} has no name key`);
  return name;
}

/**
 * The zone a removed or edited row named before, so its records are found even if status lost
 * it. Only a zone id can have records: anything else a row held is no hint (asking Route 53 about
 * it would fail the record on every retry, and the row's correction with it).
 */
function zoneHintOf(record: DynamoDBRecord): { zoneHint?: string } {
  const zone = record.dynamodb?.OldImage?.hostedZoneId?.S;
  if (zone === undefined) return {};
  const zoneHint = normalizeZoneId(zone);
  return isHostedZoneId(zoneHint) ? { zoneHint } : {};
}

/** Whether a record goes straight to the builder; a record that cannot say is reconciled inline. */
function goesToBuilder(record: DynamoDBRecord): boolean {
  try {
    return isNewWithChecks(record);
  } catch {
    return false;
  }
}

/**
 * Build the Chains stream handler. Each chain in a batch is reconciled once: reconcile reads the
 * row itself, so the latest state wins and older events for the same key are skipped. A chain
 * that fails is reported as a batch item failure, so the others are neither blocked nor replayed.
 * With a build queue, nothing here waits behind health check creation: new rows with checks go
 * straight to the builder, every other change is applied inline without creating a check, and a
 * chain that turns out to need one is handed to the builder too.
 */
export function makeChainStreamHandler(
  deps: () => ReconcileDeps,
  log: Logger = logger,
  builder: () => BuildQueue | undefined = () => undefined,
) {
  return async (event: DynamoDBStreamEvent, context?: Context) => {
    // Nothing read here from one record may fail the batch: every record's own problem is
    // reported in its own processing below, so the others go on.
    const latest = new Map<string, DynamoDBRecord>();
    for (const record of event.Records) {
      const name = record.dynamodb?.Keys?.name?.S;
      if (name !== undefined) latest.set(name, record);
    }
    const queue = builder();
    const toBuilder = new Set(
      queue ? [...latest].filter(([, record]) => goesToBuilder(record)).map(([name]) => name) : [],
    );
    const notQueued = queue
      ? await handOff(
          queue,
          [...toBuilder].map((name) => requestFor(name, latest.get(name)!)),
        )
      : new Set<string>();
    const processor = new BatchProcessor(EventType.DynamoDBStreams);
    return processPartialResponse(
      event,
      async (record: DynamoDBRecord) => {
        const chain = chainOf(record);
        if (latest.get(chain) !== record) return;
        if (toBuilder.has(chain)) {
          if (notQueued.has(chain)) throw new Error(`${chain}: could not be queued for the builder`);
          log.info('handed to the builder', { chain });
          return;
        }
        try {
          const options = { ...zoneHintOf(record), ...(queue ? { createChecks: false } : {}) };
          const result = await reconcile(chain, deps(), options);
          log.info('reconciled', { chain, state: result.state, recordChanges: result.recordChanges });
          if (result.needsBuilder && queue && (await handOff(queue, [requestFor(chain, record)])).size > 0) {
            throw new Error(`${chain}: could not be queued for the builder`);
          }
        } catch (error) {
          log.error('reconcile failed', { chain, error: error as Error });
          throw error;
        }
      },
      processor,
      { ...(context ? { context } : {}), processInParallel: false },
    );
  };
}

let cached: ReconcileDeps | undefined;
let queue: BuildQueue | undefined;

/** Lambda entry point: clients are built on first use and kept for the container's life. */
export const handler = makeChainStreamHandler(
  () => (cached ??= servingDepsFromEnv()),
  logger,
  () => (queue ??= buildQueueFromEnv()),
);
