import { ChangeResourceRecordSetsCommand } from '@aws-sdk/client-route-53';

/**
 * Route 53's API limits, simulated: `buckets` is the per-action token buckets of 2026 (burst
 * 50, 10 a second; CreateHealthCheck 0.5 a second; GetHealthCheckStatus 1 a second, burst 4;
 * record changes from an account bucket of 1,500 refilled at 100 a second, UPSERT costing 2);
 * `flat` the older 5 requests a second for everything. A call that finds its bucket empty
 * waits on the virtual clock, as a client pacing itself perfectly would: the clock then reads
 * the least time the run could take.
 */
export interface RateLimits {
  mode: 'buckets' | 'flat';
  clock: { now: number };
  /** Round trip added to the clock for every call (default 50 ms). */
  latencyMs?: number;
}

/** Token buckets on a virtual clock (benchmarks). */
export class RateLimiter {
  /** Calls that had to wait for a token. */
  throttled = 0;
  private readonly buckets = new Map<string, { tokens: number; updated: number }>();

  constructor(private readonly limits: RateLimits) {}

  /** Advance the clock by one round trip and whatever wait the call's buckets impose. */
  pace(name: string, command: object): void {
    this.limits.clock.now += this.limits.latencyMs ?? 50;
    if (this.limits.mode === 'flat') {
      this.take('account', 5, 5, 1);
      return;
    }
    if (name === 'CreateHealthCheckCommand') this.take(name, 1, 0.5, 1);
    else if (name === 'GetHealthCheckStatusCommand') this.take(name, 4, 1, 1);
    else this.take(name, 50, 10, 1);
    if (command instanceof ChangeResourceRecordSetsCommand) {
      const cost = (command.input.ChangeBatch?.Changes ?? []).reduce(
        (sum, c) => sum + (c.Action === 'UPSERT' ? 2 : 1),
        0,
      );
      this.take('record-changes', 1500, 100, cost);
    }
  }

  private take(key: string, capacity: number, perSecond: number, cost: number): void {
    const clock = this.limits.clock;
    const bucket = this.buckets.get(key) ?? { tokens: capacity, updated: clock.now };
    bucket.tokens = Math.min(capacity, bucket.tokens + ((clock.now - bucket.updated) / 1000) * perSecond);
    bucket.updated = clock.now;
    if (bucket.tokens < cost) {
      clock.now += ((cost - bucket.tokens) / perSecond) * 1000;
      bucket.tokens = cost;
      bucket.updated = clock.now;
      this.throttled++;
    }
    bucket.tokens -= cost;
    this.buckets.set(key, bucket);
  }
}
