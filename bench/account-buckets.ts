import { ThrottlingException } from '@aws-sdk/client-route-53';
import type { VirtualTime } from './virtual-time.ts';

/** Route 53's per-account limits in the bulk model (requests a second, burst). */
export const ACCOUNT_LIMITS = {
  /** CreateHealthCheck: 0.5 a second, and no burst assumed (the strictest reading). */
  create: { perSecond: 0.5, capacity: 1 },
  /** Every Route 53 call: the older, stricter account rate of 5 a second. */
  account: { perSecond: 5, capacity: 5 },
} as const;

/** Attempts and throttles seen by the model's Route 53. */
export interface Route53Traffic {
  attempts: Record<string, number>;
  throttled: Record<string, number>;
}

class Bucket {
  private tokens: number;
  private updated = 0;
  constructor(
    private readonly time: VirtualTime,
    private readonly perSecond: number,
    private readonly capacity: number,
  ) {
    this.tokens = capacity;
  }

  take(): boolean {
    const now = this.time.now;
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.updated) / 1000) * this.perSecond);
    this.updated = now;
    // A hair of tolerance: a client pacing at exactly the refill rate finds its token there.
    if (this.tokens < 1 - 1e-9) return false;
    this.tokens -= 1;
    return true;
  }
}

/** A small deterministic PRNG (mulberry32), so a model run is reproducible. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Route 53 as one account sees it: every call takes `latencyMs`, draws on the account bucket
 * (and CreateHealthCheck on its own), and an empty bucket answers `Throttling`. Throttled calls
 * are retried as the SDK's standard strategy does (full jitter, 500 ms base doubling, at most
 * 20 s a wait, 8 attempts), in virtual time. One instance is shared by every function of the account.
 */
export class AccountRoute53 {
  readonly traffic: Route53Traffic = { attempts: {}, throttled: {} };
  private readonly create: Bucket;
  private readonly account: Bucket;
  private readonly random = seededRandom(7);

  constructor(
    private readonly time: VirtualTime,
    private readonly standIn: { send(command: object): Promise<unknown> },
    private readonly latencyMs = 50,
  ) {
    this.create = new Bucket(time, ACCOUNT_LIMITS.create.perSecond, ACCOUNT_LIMITS.create.capacity);
    this.account = new Bucket(time, ACCOUNT_LIMITS.account.perSecond, ACCOUNT_LIMITS.account.capacity);
  }

  /** A client with `send`, as the Route 53 adapter takes. */
  client(): { send(command: object): Promise<unknown> } {
    return { send: (command) => this.send(command) };
  }

  private async send(command: object): Promise<unknown> {
    const name = command.constructor.name.replace(/Command$/, '');
    for (let attempt = 1; ; attempt++) {
      await this.time.sleep(this.latencyMs);
      this.traffic.attempts[name] = (this.traffic.attempts[name] ?? 0) + 1;
      const allowed = this.account.take() && (name !== 'CreateHealthCheck' || this.create.take());
      if (allowed) return this.standIn.send(command);
      this.traffic.throttled[name] = (this.traffic.throttled[name] ?? 0) + 1;
      if (attempt >= 8) {
        throw new ThrottlingException({ $metadata: { httpStatusCode: 400 }, message: 'Rate exceeded' });
      }
      await this.time.sleep(this.random() * Math.min(20_000, 500 * 2 ** attempt));
    }
  }
}
