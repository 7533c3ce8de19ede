import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { outboxDepsFromEnv } from '../shared/aws/deps-from-env.ts';
import { sweepDueOutboxes, type OutboxDeps, type SweepSummary } from '../shared/reconcile/outbox.ts';

const logger = new Logger({ serviceName: 'failover-chains' });

/** Time the sweep leaves itself after it starts its last chain: one chain's delivery, retries included. */
export const SWEEP_RESERVE_MS = 30_000;

/** Some of what was due could not be delivered: it stays in the outbox and is retried. */
export class UndeliveredError extends Error {
  override name = 'UndeliveredError';
}

/**
 * Build the minute's outbox sweep: deliver the alerts and history entries their writer could not
 * (SNS refused them, or the writer died), from the chains the outbox index lists as due. It
 * starts no chain `reserveMs` before its timeout; the next minute's sweep goes on. What still
 * fails makes the invocation fail, so the function's error alarm tells the operations topic that
 * alerts are not getting through.
 */
export function makeOutboxSweepHandler(
  deps: () => OutboxDeps,
  log: Logger = logger,
  reserveMs: number = SWEEP_RESERVE_MS,
) {
  return async (
    _event?: unknown,
    context?: Pick<Context, 'getRemainingTimeInMillis'>,
  ): Promise<SweepSummary> => {
    const d = deps();
    const deadline = context
      ? d.clock().getTime() + context.getRemainingTimeInMillis() - reserveMs
      : undefined;
    const summary = await sweepDueOutboxes(d, deadline);
    if (summary.delivered + summary.failed > 0) log.info('outbox swept', { ...summary });
    if (summary.failed > 0) {
      throw new UndeliveredError(
        `${String(summary.failed)} outbox entries could not be delivered (${summary.error ?? 'no error given'}); they stay in the outbox and are retried`,
      );
    }
    return summary;
  };
}

let cached: OutboxDeps | undefined;

/** Lambda entry point for the outbox sweep's schedule (every minute). */
export const handler = makeOutboxSweepHandler(() => (cached ??= outboxDepsFromEnv()));
