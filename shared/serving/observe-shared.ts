import { parseSharedUser } from '../core/shared-checks.ts';
import type { ServingDeps } from '../ports.ts';
import { observeServing, type ServingObservation } from './observe-serving.ts';

/** What one shared alarm's state change did to the chains that use its check. */
export interface SharedObservation {
  fingerprint: string;
  observations: ServingObservation[];
}

/** Chains observed at once: enough to finish a large fan-out in one invocation, few enough for DynamoDB. */
const CONCURRENCY = 16;

/**
 * A shared check's alarm names no chain: observe every chain whose tier uses the check, each on
 * its own status as for its own alarm, so each chain whose serving tier moved is alerted once,
 * in its own words. A chain that fails to be observed does not stop the others; the event is
 * then failed, and its redelivery alerts nobody twice (each status already records what it saw).
 */
export async function observeSharedUsers(fingerprint: string, deps: ServingDeps): Promise<SharedObservation> {
  const users = (await deps.sharedChecks?.users(fingerprint)) ?? [];
  const chains = [...new Set(users.map((user) => parseSharedUser(user).chain))].sort();
  const observations: ServingObservation[] = [];
  const errors: unknown[] = [];
  let next = 0;
  const worker = async () => {
    while (next < chains.length) {
      const name = chains[next++]!;
      try {
        observations.push(await observeServing(name, deps));
      } catch (error) {
        errors.push(error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, chains.length) }, worker));
  if (errors.length > 0) {
    throw new AggregateError(
      errors,
      `${errors.length} of ${chains.length} chains sharing ${fingerprint} not observed`,
    );
  }
  observations.sort((a, b) => a.name.localeCompare(b.name));
  return { fingerprint, observations };
}
