import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { Logger } from '@aws-lambda-powertools/logger';
import type { Context, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { depsFromEnv } from '../shared/aws/deps-from-env.ts';
import type { ReconcileDeps } from '../shared/ports.ts';
import { normalizeZoneId } from '../shared/core/validate-chain.ts';
import { reconcile } from '../shared/reconcile/reconcile.ts';

const logger = new Logger({ serviceName: 'failover-chains', logRecordOrder: ['level', 'message', 'chain'] });

/** The chain name (partition key) a stream record is about. */
function chainOf(record: DynamoDBRecord): string {
  const name = record.dynamodb?.Keys?.name?.S;
  if (name === undefined) throw new Error(`stream record ${record.eventID ?? '?'} has no name key`);
  return name;
}

/** The zone a removed or edited row named before, so its records are found even if status lost it. */
function zoneHintOf(record: DynamoDBRecord): { zoneHint?: string } {
  const zone = record.dynamodb?.OldImage?.hostedZoneId?.S;
  return zone === undefined ? {} : { zoneHint: normalizeZoneId(zone) };
}

/**
 * Build the Chains stream handler. Each chain in a batch is reconciled once: reconcile reads the
 * row itself, so the latest state wins and older events for the same key are skipped. A chain
 * that fails is reported as a batch item failure, so the others are neither blocked nor replayed.
 */
export function makeChainStreamHandler(deps: () => ReconcileDeps, log: Logger = logger) {
  return async (event: DynamoDBStreamEvent, context?: Context) => {
    const latest = new Map<string, DynamoDBRecord>();
    for (const record of event.Records) latest.set(chainOf(record), record);
    const processor = new BatchProcessor(EventType.DynamoDBStreams);
    return processPartialResponse(
      event,
      async (record: DynamoDBRecord) => {
        const chain = chainOf(record);
        if (latest.get(chain) !== record) return;
        try {
          const result = await reconcile(chain, deps(), zoneHintOf(record));
          log.info('reconciled', { chain, state: result.state, recordChanges: result.recordChanges });
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

/** Lambda entry point: clients are built on first use and kept for the container's life. */
export const handler = makeChainStreamHandler(() => (cached ??= depsFromEnv()));
