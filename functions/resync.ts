import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { buildQueueFromEnv, servingDepsFromEnv } from '../shared/aws/deps-from-env.ts';
import { DynamoFullRunCursor } from '../shared/aws/full-run-cursor.ts';
import { clientRetryConfig } from '../shared/aws/retry-strategy.ts';
import type { ServingDeps } from '../shared/ports.ts';
import type { BuildQueue } from '../shared/reconcile/needs-builder.ts';
import type { FullRunCursor } from '../shared/reconcile/reconcile-all.ts';
import { scheduledRun } from '../shared/serving/scheduled-run.ts';
import { settingsFromEnv } from '../shared/settings.ts';

const logger = new Logger({ serviceName: 'failover-chains' });

/** Time a run leaves itself after its last chunk starts: a chunk of 100 chains takes well under this. */
export const FULL_RUN_RESERVE_MS = 180_000;

/** What the full run keeps between runs, and where it sends chains that need new checks. */
export interface ResyncParts {
  cursor?: () => FullRunCursor;
  builder?: () => BuildQueue | undefined;
  reserveMs?: number;
}

/**
 * Build the scheduled full reconcile: repairs drift made by hand and cleans up what the stream
 * missed. It works in chunks and stops starting them `reserveMs` before its timeout; the cursor
 * lets the next run continue where this one stopped.
 */
export function makeResyncHandler(deps: () => ServingDeps, log: Logger = logger, parts: ResyncParts = {}) {
  return async (_event?: unknown, context?: Pick<Context, 'getRemainingTimeInMillis'>) => {
    const d = deps();
    const builder = parts.builder?.();
    return scheduledRun(
      d,
      {
        ...(context
          ? {
              deadline:
                d.clock().getTime() +
                context.getRemainingTimeInMillis() -
                (parts.reserveMs ?? FULL_RUN_RESERVE_MS),
            }
          : {}),
        ...(parts.cursor ? { cursor: parts.cursor() } : {}),
        ...(builder ? { builder } : {}),
      },
      log,
    );
  };
}

let cached: ServingDeps | undefined;
let cursor: FullRunCursor | undefined;
let queue: BuildQueue | undefined;

/** Lambda entry point for the schedule. */
export const handler = makeResyncHandler(() => (cached ??= servingDepsFromEnv()), logger, {
  cursor: () =>
    (cursor ??= new DynamoFullRunCursor(
      new DynamoDBClient(clientRetryConfig()),
      settingsFromEnv().statusTable,
    )),
  builder: () => (queue ??= buildQueueFromEnv()),
});
