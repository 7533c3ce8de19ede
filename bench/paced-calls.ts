import { seededRandom } from './account-buckets.ts';
import type { VirtualTime } from './virtual-time.ts';

/** A token bucket on virtual time: `perSecond` refill, `burst` capacity. */
export class VirtualBucket {
  private tokens: number;
  private updated = 0;
  constructor(
    private readonly time: VirtualTime,
    private readonly perSecond: number,
    private readonly burst: number,
  ) {
    this.tokens = burst;
  }

  /** Take `cost` tokens if there are enough now. */
  take(cost = 1): boolean {
    const now = this.time.now;
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.updated) / 1000) * this.perSecond);
    this.updated = now;
    // A hair of tolerance: a client pacing at exactly the refill rate finds its token there.
    if (this.tokens < Math.min(cost, this.burst) - 1e-9) return false;
    this.tokens -= cost;
    return true;
  }
}

/** Attempts, throttled attempts and capacity units by API, as a model run saw them. */
export interface CallLog {
  calls: Record<string, number>;
  throttled: Record<string, number>;
  units: Record<string, number>;
}

/**
 * Calls to AWS in virtual time: each attempt takes `latencyMs`, draws `units` from its bucket
 * (when it has one) and is refused as throttled when the bucket is empty; a refused attempt is
 * retried as the SDK's standard strategy does (full jitter from a 1 s wait doubling to at most
 * 20 s, 8 attempts: shared/aws/retry-strategy.ts), after which the call fails with `Throttling`.
 */
export class PacedCalls {
  readonly log: CallLog = { calls: {}, throttled: {}, units: {} };
  private readonly random = seededRandom(11);

  constructor(private readonly time: VirtualTime) {}

  async call<T>(
    api: string,
    latencyMs: number,
    run: () => Promise<T>,
    bucket?: { bucket: VirtualBucket; units: number },
  ): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      await this.time.sleep(latencyMs);
      this.log.calls[api] = (this.log.calls[api] ?? 0) + 1;
      if (!bucket || bucket.bucket.take(bucket.units)) {
        if (bucket) this.log.units[api] = (this.log.units[api] ?? 0) + bucket.units;
        return run();
      }
      this.log.throttled[api] = (this.log.throttled[api] ?? 0) + 1;
      if (attempt >= 8) throw Object.assign(new Error(`${api}: Rate exceeded`), { name: 'Throttling' });
      await this.time.sleep(this.random() * Math.min(20_000, 500 * 2 ** attempt));
    }
  }
}

/** DynamoDB's size of an item, near enough: its JSON (names and values) in bytes. */
export function itemBytes(item: unknown): number {
  return Buffer.byteLength(JSON.stringify(item ?? {}));
}
