import type { ChainStatus } from '../core/chain-status.ts';
import { normalizeName } from '../core/dns-name.ts';
import { parseSharedUser } from '../core/shared-checks.ts';
import type { ServingDeps } from '../ports.ts';
import { observeServing, type ServingObservation } from './observe-serving.ts';

/** What one shared alarm's state change did to the chains that use its check. */
export interface SharedObservation {
  fingerprint: string;
  observations: ServingObservation[];
}

/**
 * Calls in flight at once. The fan-out's time is its chains' status reads and writes (the
 * alarms are read once for all of them): 32 at a time observe 10,000 chains in a few seconds
 * of DynamoDB time (see the README's scale section), without queueing behind the SDK's 50 sockets.
 */
const CONCURRENCY = 32;

/** The chains that use a shared check, each once, in name order: the one place that asks the registry. */
export async function sharedUsers(fingerprint: string, deps: ServingDeps): Promise<string[]> {
  const users = (await deps.sharedChecks?.users(fingerprint)) ?? [];
  return [...new Set(users.map((user) => normalizeName(parseSharedUser(user).chain)))].sort();
}

/**
 * A shared check's alarm names no chain: observe every chain whose tier uses the check, each on
 * its own status as for its own alarm, so each chain whose serving tier moved is alerted once,
 * in its own words. Every user's status is read first, then the alarms they all name at once
 * (DescribeAlarms takes 100 names a call, and CloudWatch allows 9 calls a second per account:
 * one call per chain would take 18 minutes for 10,000 chains). A failure of that read fails the
 * event before anything is written. A chain that fails to be observed does not stop the others;
 * the event is then failed, and its redelivery alerts nobody twice (each status already records
 * what it saw).
 */
export async function observeSharedUsers(fingerprint: string, deps: ServingDeps): Promise<SharedObservation> {
  const chains = await sharedUsers(fingerprint, deps);
  const statuses = await settleEach(chains, (name) => deps.status.get(name));
  const names = new Set(
    statuses.flatMap((read) => (read.status === 'fulfilled' ? Object.values(read.value?.alarms ?? {}) : [])),
  );
  const alarms = await deps.alarms.describe([...names]);
  const reads: (PromiseSettledResult<ChainStatus | undefined> | undefined)[] = statuses;
  const results = await settleEach(chains, (name, i) => {
    const read = reads[i]!;
    // Each status is needed once: let it go, rather than hold 10,000 to the end.
    reads[i] = undefined;
    if (read.status === 'rejected') throw read.reason;
    return observeServing(name, deps, { stored: read.value, alarms });
  });
  const observations = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const errors = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
  if (errors.length > 0) {
    throw new AggregateError(
      errors,
      `${errors.length} of ${chains.length} chains sharing ${fingerprint} not observed`,
    );
  }
  observations.sort((a, b) => a.name.localeCompare(b.name));
  return { fingerprint, observations };
}

/** `work` for every item, CONCURRENCY at a time; one failing does not stop the others. */
async function settleEach<T, R>(
  items: readonly T[],
  work: (item: T, index: number) => Promise<R>,
): Promise<PromiseSettledResult<R>[]> {
  const results: PromiseSettledResult<R>[] = new Array<PromiseSettledResult<R>>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      try {
        results[index] = { status: 'fulfilled', value: await work(items[index]!, index) };
      } catch (reason) {
        results[index] = { status: 'rejected', reason };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, items.length) }, worker));
  return results;
}
