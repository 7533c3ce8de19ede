import { StandardRetryStrategy } from '@smithy/core/retry';

// One retry layer: the SDK's. Its standard strategy already classifies Route 53's `Throttling`
// and `PriorRequestNotComplete`, CloudWatch's `Throttling`, SNS's `Throttled`, HTTP 429, 5xx and
// network errors as retryable, and backs off with full jitter (throttling from a 1 s base,
// doubling, at most 20 s a wait). Route 53 refills its request buckets at 10 a second (0.5 for
// CreateHealthCheck), so a reconcile should wait and go on rather than fail: more attempts than
// the SDK's default of 3. Adaptive mode was left out: its one client-wide send rate would let
// CreateHealthCheck's slow bucket slow every other Route 53 call of the process.

/** Attempts per call (first try included) unless AWS_MAX_ATTEMPTS says otherwise. */
export const DEFAULT_MAX_ATTEMPTS = 8;

/** How the SDK clients retry. */
export interface RetryOptions {
  /** Attempts per call, first try included (default AWS_MAX_ATTEMPTS, else 8). */
  maxAttempts?: number;
  /** A fixed wait between attempts instead of the SDK's jittered backoff (tests, local mode). */
  fixedDelayMs?: number;
}

/** AWS_MAX_ATTEMPTS when set to a positive whole number, else the default. */
export function maxAttemptsFrom(env: NodeJS.ProcessEnv = process.env): number {
  const value = Number(env.AWS_MAX_ATTEMPTS);
  return Number.isInteger(value) && value > 0 ? value : DEFAULT_MAX_ATTEMPTS;
}

/** The retry strategy every AWS client of the system is built with. */
export function retryStrategy(options: RetryOptions = {}): StandardRetryStrategy {
  const maxAttempts = options.maxAttempts ?? maxAttemptsFrom();
  if (options.fixedDelayMs === undefined) return new StandardRetryStrategy({ maxAttempts });
  const delay = options.fixedDelayMs;
  return new StandardRetryStrategy({
    maxAttempts,
    backoff: { computeNextBackoffDelay: () => delay, setDelayBase: () => undefined },
  });
}

/** Client configuration for one retry layer: pass it to every SDK client's constructor. */
export function clientRetryConfig(options: RetryOptions = {}): { retryStrategy: StandardRetryStrategy } {
  return { retryStrategy: retryStrategy(options) };
}
