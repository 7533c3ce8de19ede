import { processPartialResponse, SqsFifoPartialProcessorAsync } from '@aws-lambda-powertools/batch';
import { Logger } from '@aws-lambda-powertools/logger';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { z } from 'zod';
import { builderQueuesFromEnv, servingDepsFromEnv } from '../shared/aws/deps-from-env.ts';
import { isLostRace, isThrottled, type ReconcileDeps } from '../shared/ports.ts';
import { buildRequest, type BuilderQueues } from '../shared/reconcile/needs-builder.ts';
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

/** The chain a message asks the builder for; undefined when the message is not a build request. */
function chainOf(body: string): string | undefined {
  try {
    const parsed = message.safeParse(JSON.parse(body));
    return parsed.success ? parsed.data.name : undefined;
  } catch {
    return undefined;
  }
}

/** Left for the next invocation: not enough time to start another chain. */
class OutOfTime extends Error {
  override name = 'OutOfTime';
}

/**
 * Build the builder: the one creator of health checks. Its FIFO queue has one message group, so
 * one batch is processed at a time across the account, in order; the Route 53 adapter paces
 * CreateHealthCheck to the account's rate; each check's id is saved the moment it exists. A chain
 * is built whole (checks, records, alarms, status) before the next starts, and none is started
 * without `reserveMs` left: the rest of the batch goes back to the queue (a partial batch
 * response), and a batch cut short anyway is delivered again and resumes without a duplicate
 * check (CallerReference). A chain that fails for good is recorded and alerted by reconcile and
 * left to the schedule, so it never holds the queue. A chain that must wait for another reconcile
 * to let go of it is queued again at the back (`queues.requests`) and the chains behind it go on;
 * throttling, which every chain would meet, stops the batch. A message that is not a build
 * request is parked in the failures queue (`queues.failures`) at once.
 */
export function makeBuilderHandler(
  deps: () => ReconcileDeps,
  log: Logger = logger,
  options: BuilderOptions = {},
  queues: () => BuilderQueues | undefined = () => undefined,
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
        const name = chainOf(record.body);
        if (name === undefined) {
          // Never readable however often it is received: parked now, not after 20 receives.
          const failures = queues()?.failures;
          if (!failures) throw new Error(`message ${record.messageId} is not a build request`);
          await failures.park({ messageId: record.messageId, body: record.body });
          log.error('parked a message that is not a build request', { messageId: record.messageId });
          return;
        }
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
          if (isLostRace(error) && (await queuedAgain(name, record.messageId))) {
            log.info('build queued again: another reconcile holds the chain', { chain: name });
            return;
          }
          const transient = isLostRace(error) || isThrottled(error);
          log.error(transient ? 'build deferred' : 'build failed', { chain: name, error: error as Error });
          // Worth waiting for (the message goes back to the queue, in order): the SDK has already backed off.
          if (transient) throw error;
        }
      },
      processor,
      { context },
    );
  };

  /**
   * Queue the chain again at the back of the queue, so the chains behind it are not held back; the
   * id is this message's, so a redelivery of it queues the chain once. False if it could not be.
   */
  async function queuedAgain(name: string, messageId: string): Promise<boolean> {
    const requests = queues()?.requests;
    if (!requests) return false;
    const failed = await requests.request([buildRequest(name, `again:${messageId}`)]).catch(() => [name]);
    return failed.length === 0;
  }
}

let cached: ReconcileDeps | undefined;
let sendTo: BuilderQueues | undefined;

/** Lambda entry point for the build queue's event source mapping. */
export const handler = makeBuilderHandler(
  () => (cached ??= servingDepsFromEnv()),
  logger,
  {},
  () => (sendTo ??= builderQueuesFromEnv()),
);
