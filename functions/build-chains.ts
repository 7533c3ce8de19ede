import { processPartialResponse, SqsFifoPartialProcessorAsync } from '@aws-lambda-powertools/batch';
import { Logger } from '@aws-lambda-powertools/logger';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { z } from 'zod';
import { servingDepsFromEnv } from '../shared/aws/deps-from-env.ts';
import { isLostRace, isThrottled, type ReconcileDeps } from '../shared/ports.ts';
import { QuotaGate } from '../shared/reconcile/quota-gate.ts';
import { reconcile } from '../shared/reconcile/reconcile.ts';

const logger = new Logger({ serviceName: 'failover-chains', logRecordOrder: ['level', 'message', 'chain'] });

/** The builder's time rules. */
export interface BuilderOptions {
  /**
   * Start a chain only while at least this much of the invocation is left: one chain takes two
   * paced creations (about 4 s) plus its reads and writes, far less even when throttled.
   */
  reserveMs?: number;
}

/** Default reserve: a minute of a five-minute timeout. */
export const BUILDER_RESERVE_MS = 60_000;

const message = z.object({ name: z.string().min(1) });

/** Left for the next invocation: not enough time to start another chain. */
class OutOfTime extends Error {
  override name = 'OutOfTime';
}

// Worth waiting for (the message goes back to the queue, in order): the SDK has already backed off.

/**
 * Build the builder: the one creator of health checks. Its FIFO queue has one message group, so
 * one batch is processed at a time across the account, in order; the Route 53 adapter paces
 * CreateHealthCheck to the account's rate; each check's id is saved the moment it exists. A chain
 * is built whole (checks, records, alarms, status) before the next starts, and none is started
 * without `reserveMs` left: the rest of the batch goes back to the queue (a partial batch
 * response), and a batch cut short anyway is delivered again and resumes without a duplicate
 * check (CallerReference). A chain that fails for good is recorded and alerted by reconcile and
 * left to the schedule, so it never holds the queue.
 */
export function makeBuilderHandler(
  deps: () => ReconcileDeps,
  log: Logger = logger,
  options: BuilderOptions = {},
) {
  const reserve = options.reserveMs ?? BUILDER_RESERVE_MS;
  return async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
    const processor = new SqsFifoPartialProcessorAsync();
    // One quota read per batch, as a full run reads once: the gate counts what each chain it
    // admits will create. Read per chain, the two reads burst past the account's request rate.
    let gate: QuotaGate | undefined;
    return processPartialResponse(
      event,
      async (record: SQSRecord) => {
        if (context.getRemainingTimeInMillis() < reserve) throw new OutOfTime('left for the next invocation');
        const { name } = message.parse(JSON.parse(record.body));
        try {
          const base = deps();
          const quotaGate = base.quotaGate ?? (gate ??= new QuotaGate(base.route53));
          const result = await reconcile(
            name,
            { ...base, quotaGate },
            { saveEachCheck: true, deferThrottled: true },
          );
          log.info('built', { chain: name, state: result.state, recordChanges: result.recordChanges });
        } catch (error) {
          const transient = isLostRace(error) || isThrottled(error);
          log.error(transient ? 'build deferred' : 'build failed', { chain: name, error: error as Error });
          if (transient) throw error;
        }
      },
      processor,
      { context },
    );
  };
}

let cached: ReconcileDeps | undefined;

/** Lambda entry point for the build queue's event source mapping. */
export const handler = makeBuilderHandler(() => (cached ??= servingDepsFromEnv()));
