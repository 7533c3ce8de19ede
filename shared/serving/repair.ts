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

/** True when a shared check's registry names a check Route 53 no longer has. */
export async function sharedCheckGone(fingerprint: string, deps: ServingDeps): Promise<boolean> {
  const id = (await deps.sharedChecks?.get(fingerprint))?.id;
  return id !== undefined && (await deps.route53.getHealthCheck(id)) === undefined;
}
