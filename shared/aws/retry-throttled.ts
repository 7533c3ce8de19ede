import pRetry from 'p-retry';

/** How hard to retry when AWS throttles. */
export interface ThrottleRetry {
  /** Retries after the first attempt (default 8). */
  retries?: number;
  /** First wait in ms, doubled each time, randomised (default 250). */
  minTimeoutMs?: number;
  /** Longest wait in ms (default 20 s). */
  maxTimeoutMs?: number;
}

const THROTTLING = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'PriorRequestNotComplete',
]);

/** Throttling, Route 53's PriorRequestNotComplete, and server-side failures are worth another try. */
export function isRetryable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const meta = error as Error & {
    $retryable?: { throttling?: boolean };
    $metadata?: { httpStatusCode?: number };
  };
  return (
    THROTTLING.has(error.name) ||
    meta.$retryable?.throttling === true ||
    (meta.$metadata?.httpStatusCode ?? 0) === 429 ||
    (meta.$metadata?.httpStatusCode ?? 0) >= 500
  );
}

/**
 * Wrap a client's `send` so throttled calls back off exponentially with jitter and try again.
 * Route 53's request buckets (10 a second, CreateHealthCheck 0.5) empty fast when thousands of
 * chains reconcile at once: a run should slow down, not fail.
 */
export function retryThrottled<C extends { send: (...args: never[]) => Promise<unknown> }>(
  client: C,
  options: ThrottleRetry = {},
): C {
  const send = ((...args: Parameters<C['send']>) =>
    pRetry(() => client.send(...args), {
      retries: options.retries ?? 8,
      factor: 2,
      minTimeout: options.minTimeoutMs ?? 250,
      maxTimeout: options.maxTimeoutMs ?? 20_000,
      randomize: true,
      shouldRetry: ({ error }) => isRetryable(error),
    })) as C['send'];
  return { ...client, send };
}
