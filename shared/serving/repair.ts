import type { ServingDeps } from '../ports.ts';
import { buildRequest, type BuildQueue } from '../reconcile/needs-builder.ts';
import { reconcile } from '../reconcile/reconcile.ts';

/** Reconcile a chain to repair drift; only the builder creates health checks, so one that needs one is handed to it. */
export async function repair(name: string, deps: ServingDeps, queue: BuildQueue | undefined): Promise<void> {
  const result = await reconcile(name, deps, queue ? { createChecks: false } : {});
  if (result.needsBuilder && queue) {
    const failed = await queue.request([buildRequest(name, await deps.chains.get(name))]);
    if (failed.length > 0) throw new Error(`${name}: could not be queued for the builder`);
  }
}

/** The id of a shared check the registry names and Route 53 no longer has (deleted by hand). */
export async function goneSharedCheck(fingerprint: string, deps: ServingDeps): Promise<string | undefined> {
  const id = (await deps.sharedChecks?.get(fingerprint))?.id;
  return id !== undefined && (await deps.route53.getHealthCheck(id)) === undefined ? id : undefined;
}

/**
 * Repair every user of a shared check deleted by hand (`goneId`). Deployed, they all go to the
 * builder in one request, in order: the first makes the new check and the others join it. So a
 * fleet of thousands costs the handler a few queue calls, not a reconcile each, which would not
 * fit its timeout at Route 53's request rate. A repeat of the same event is dropped by the
 * queue (same chain, same deleted check). Without a builder (local mode) each is repaired in turn.
 */
export async function repairUsers(
  names: readonly string[],
  goneId: string,
  deps: ServingDeps,
  queue: BuildQueue | undefined,
): Promise<void> {
  if (!queue) {
    for (const name of names) await repair(name, deps, undefined);
    return;
  }
  const failed = await queue.request(names.map((name) => buildRequest(name, { replaces: goneId })));
  if (failed.length > 0)
    throw new Error(`${failed.length} of ${names.length} chains could not be queued for the builder`);
}
