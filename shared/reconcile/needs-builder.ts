import { fingerprint } from '../core/chain-status.ts';

/**
 * A reconcile run with `createChecks: false` reached a CreateHealthCheck: it stops before any
 * write for that check, and the chain goes to the builder, the one paced creator of checks.
 */
export class NeedsBuilder extends Error {
  override name = 'NeedsBuilder';
  constructor(readonly chain: string) {
    super(`${chain} needs a new health check: handed to the builder`);
  }
}

/** One chain for the builder: its name, and an id that drops a repeat of the same request. */
export interface BuildRequest {
  name: string;
  /** Same chain and same row: the same id (a FIFO queue drops repeats for 5 minutes). */
  deduplicationId: string;
}

/** Where chains that need new health checks wait for the builder. */
export interface BuildQueue {
  /** Queue the requests in order; resolves with the names that could not be queued. */
  request(requests: readonly BuildRequest[]): Promise<string[]>;
}

/** The builder's request for a chain, identified by its row as last seen (undefined: removed). */
export function buildRequest(name: string, row: unknown): BuildRequest {
  return { name, deduplicationId: `${fingerprint(name)}-${fingerprint(row ?? null)}` };
}
