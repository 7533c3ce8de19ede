import type { ServingDeps } from '../ports.ts';
import { observeSharedUsers, sharedUsers, type SharedObservation } from './observe-shared.ts';
import { buildRequest, type BuildQueue } from '../reconcile/needs-builder.ts';
import { reconcile } from '../reconcile/reconcile.ts';

/**
 * Reconcile a chain to repair drift; only the builder creates health checks, so one that needs
 * one is handed to it. `eventId` names the event that asked (its EventBridge id): the queue drops
 * a redelivery of that event, never another request (a check deleted by hand minutes after its
 * chain was built, or deleted again after it was replaced, still gets its new check).
 */
export async function repair(
  name: string,
  deps: ServingDeps,
  queue: BuildQueue | undefined,
  eventId: string,
): Promise<void> {
  const result = await reconcile(name, deps, queue ? { createChecks: false } : {});
  if (result.needsBuilder && queue) {
    const failed = await queue.request([buildRequest(name, eventId)]);
    if (failed.length > 0) throw new Error(`${name}: could not be queued for the builder`);
  }
}

/**
 * Repair every user of a shared check deleted by hand. Deployed, they all go to the
 * builder in one request, in order: the first makes the new check and the others join it. So a
 * fleet of thousands costs the handler a few queue calls, not a reconcile each, which would not
 * fit its timeout at Route 53's request rate. A redelivery of the same event (`eventId`) is
 * dropped by the queue. Without a builder (local mode) each is repaired in turn.
 */
export async function repairUsers(
  names: readonly string[],
  deps: ServingDeps,
  queue: BuildQueue | undefined,
  eventId: string,
): Promise<void> {
  if (!queue) {
    for (const name of names) await repair(name, deps, undefined, eventId);
    return;
  }
  const failed = await queue.request(names.map((name) => buildRequest(name, eventId)));
  if (failed.length > 0)
    throw new Error(`${failed.length} of ${names.length} chains could not be queued for the builder`);
}

/**
 * A shared check's alarm changed: observe every chain that uses the check, and if the check (its
 * id is in the alarm's name) was deleted by hand, repair every user now, even when one could not
 * be observed, as a chain's own alarm does. Otherwise, each chain whose manual failback now holds
 * a tier its records still include is rebuilt without it, as its own alarm would: the records
 * change, not only the status. Other drift is left to each chain's next reconcile (its stream or
 * the schedule), not redone here for every chain at once. `cause` names the event.
 */
export async function onSharedAlarm(
  fingerprint: string,
  checkId: string,
  deps: ServingDeps,
  queue: BuildQueue | undefined,
  eventId: string,
): Promise<SharedObservation & { repaired: boolean; rebuilt: string[] }> {
  const gone = !(await deps.route53.getHealthCheck(checkId));
  const observed = await observeSharedUsers(fingerprint, deps).then(
    (result) => ({ result }),
    (error: unknown) => ({ error }),
  );
  if (gone) await repairUsers(await sharedUsers(fingerprint, deps), deps, queue, eventId);
  if ('error' in observed) throw observed.error;
  const holding = gone ? [] : observed.result.observations.filter((o) => o.rebuild).map((o) => o.name);
  await rebuildHolding(holding, deps, queue, eventId);
  return { ...observed.result, repaired: gone, rebuilt: holding };
}

/**
 * Reconcile each chain whose manual failback holds a tier its records still include, one after
 * another (each is a few Route 53 calls); one failing does not stop the others, and the event then
 * fails, so its redelivery tries again (the status still says which tier must leave the records).
 */
async function rebuildHolding(
  names: readonly string[],
  deps: ServingDeps,
  queue: BuildQueue | undefined,
  cause: string,
): Promise<void> {
  const errors: unknown[] = [];
  for (const name of names) {
    try {
      await repair(name, deps, queue, `held:${cause}`);
    } catch (error) {
      errors.push(error);
    }
  }
  if (errors.length > 0)
    throw new AggregateError(errors, `${errors.length} of ${names.length} chains holding a tier not rebuilt`);
}
