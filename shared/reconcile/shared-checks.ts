import { compareHealthCheck } from '../core/plan-health-checks.ts';
import type { HealthCheckConfig } from '../core/route53-types.ts';
import {
  normaliseHealthCheckConfig,
  sharedAlarmName,
  sharedCheckTags,
  sharedFingerprint,
  sharedUser,
} from '../core/shared-checks.ts';
import {
  CallerReferenceTaken,
  StaleStatusError,
  type ReconcileDeps,
  type SharedCheckItem,
  type SharedCheckRegistry,
} from '../ports.ts';

// A shared check's life, all of it through conditional writes on its registry item (users come
// and go in transactions with the item's count of them, see shared-check-registry.ts):
//   reserve (write-ahead: reference and first user, before CreateHealthCheck) → create → tag →
//   setId; a chain joins (adds its tier) before its records reference the check, and leaves
//   after they stop; the user that finds no user left closes the item to joins (`deleting`,
//   conditional on a count of none), deletes the alarm and the check, then drops the item. A join is
//   conditional on "not deleting", so it either lands before the close (and the close fails) or
//   after it (and the joiner helps finish the deletion, then starts a new generation with a new
//   CallerReference): no record ever points at a check being deleted.

/** A tier's place in a shared check. */
export interface SharedCheckUse {
  fingerprint: string;
  callerReference: string;
  id: string;
}

const ATTEMPTS = 5;

/**
 * Join (or start) the shared check for these settings as `chain`/`tier`; returns its id.
 * `mayCreate` throws before any write when this reconcile may not call CreateHealthCheck: joining
 * an existing check never needs it. `writeAhead` records the membership in the chain's status
 * before the registry says so, so a teardown always knows what to leave. A chain already among
 * the users makes no write at all.
 */
export async function ensureSharedCheck(
  chainName: string,
  tierId: string,
  config: HealthCheckConfig,
  deps: ReconcileDeps,
  registry: SharedCheckRegistry,
  mayCreate: () => void,
  writeAhead: (callerReference: string) => Promise<void>,
): Promise<SharedCheckUse> {
  const fp = sharedFingerprint(config);
  const user = sharedUser(chainName, tierId);
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    let item = await registry.get(fp);
    if (item?.deleting) {
      // The last user is deleting this generation: finish it (every step is idempotent), start anew.
      await finishSharedDelete(item, deps, registry);
      continue;
    }
    if (!item) {
      mayCreate();
      const fresh = {
        fingerprint: fp,
        callerReference: deps.newReference(),
        config: normaliseHealthCheckConfig(config),
      };
      await writeAhead(fresh.callerReference);
      if (!(await registry.reserve(fresh, user))) continue;
      item = { ...fresh, userCount: 1 };
    } else if (item.id === undefined || !(await registry.isUser(fp, user))) {
      if (item.id === undefined) mayCreate();
      await writeAhead(item.callerReference);
      if (!(await registry.join(fp, item.callerReference, user))) continue;
    }
    const id = item.id ?? (await createShared(item, deps, registry));
    const current = id === undefined ? undefined : await deps.route53.getHealthCheck(id);
    if (id === undefined || !current) {
      // The check was deleted by hand (or its reference lately): its users get a new one.
      mayCreate();
      if (id !== undefined) await deleteAlarmIfPresent(sharedAlarmName(deps.settings.owner, fp, id), deps);
      await registry.renew(fp, item.callerReference, deps.newReference());
      continue;
    }
    const change = compareHealthCheck(item.config, current.config);
    if (change.kind === 'update') {
      // Changed or disabled by hand: any user puts it back as its settings say.
      await deps.route53.updateHealthCheck(id, current.version, change.config, change.resetElements);
    }
    return { fingerprint: fp, callerReference: item.callerReference, id };
  }
  // Other chains kept changing the item: a lost race, retried quietly by reconcile.
  throw new StaleStatusError(`shared health check ${fp} changed while ${user} joined it`);
}

/**
 * Create, tag and record the check of a reserved item (any user may finish what another began);
 * undefined when Route 53 refuses its reference and holds no check with it (deleted lately).
 */
async function createShared(
  item: SharedCheckItem,
  deps: ReconcileDeps,
  registry: SharedCheckRegistry,
): Promise<string | undefined> {
  let id: string;
  try {
    id = await deps.route53.createHealthCheck(item.callerReference, item.config);
  } catch (error) {
    if (!(error instanceof CallerReferenceTaken)) throw error;
    const existing = await deps.route53.findHealthCheckByReference(item.callerReference);
    if (!existing) return undefined;
    id = existing.id;
  }
  await deps.route53.tagHealthCheck(id, sharedCheckTags(deps.settings.owner, item.fingerprint, item.config));
  await registry.setId(item.fingerprint, item.callerReference, id);
  return id;
}

/**
 * Leave a shared check as `chain`/`tier` (its records no longer use it); the last user deletes
 * it, unless a record in one of `zones` (the leaver's) still references it: a record made by
 * hand, or a chain the registry lost. Then the item stays without users, for the full run's
 * clean-up, which deletes it once no record in a listed zone references it.
 */
export async function leaveShared(
  fingerprint: string,
  user: string,
  deps: ReconcileDeps,
  registry: SharedCheckRegistry,
  zones: readonly string[],
): Promise<void> {
  await registry.leave(fingerprint, user);
  const item = await registry.get(fingerprint);
  if (!item || item.userCount > 0) return;
  if (item.id !== undefined && !item.deleting && (await referencedIn(zones, item.id, deps))) return;
  await deleteSharedIfUnused(fingerprint, deps, registry);
}

/** True when a record in one of the zones uses the check (a whole-zone read: the last leave is rare). */
async function referencedIn(zones: readonly string[], id: string, deps: ReconcileDeps): Promise<boolean> {
  for (const zoneId of zones) {
    if (!(await deps.route53.getZone(zoneId))) continue;
    if ((await deps.route53.listZone(zoneId)).some((record) => record.HealthCheckId === id)) return true;
  }
  return false;
}

/** Delete a shared check and its alarm if no chain uses it; true when it was deleted. */
export async function deleteSharedIfUnused(
  fingerprint: string,
  deps: ReconcileDeps,
  registry: SharedCheckRegistry,
): Promise<boolean> {
  const item = await registry.get(fingerprint);
  if (!item || item.userCount > 0) return false;
  if (!item.deleting && !(await registry.markDeleting(fingerprint, item.callerReference))) return false;
  await finishSharedDelete(item, deps, registry);
  return true;
}

/** The steps after an item is closed to joins: alarm, check, then the item itself. */
async function finishSharedDelete(
  item: SharedCheckItem,
  deps: ReconcileDeps,
  registry: SharedCheckRegistry,
): Promise<void> {
  const id = item.id ?? (await deps.route53.findHealthCheckByReference(item.callerReference))?.id;
  // The alarm's name holds this generation's check id: a newer generation's alarm is never hit.
  if (id !== undefined)
    await deleteAlarmIfPresent(sharedAlarmName(deps.settings.owner, item.fingerprint, id), deps);
  if (id !== undefined) await deps.route53.deleteHealthCheck(id);
  await registry.remove(item.fingerprint, item.callerReference);
}

/** Delete one generation's alarm if it is there; another user finishing the same deletion may have deleted it first. */
async function deleteAlarmIfPresent(name: string, deps: ReconcileDeps): Promise<void> {
  if (!(await deps.alarms.describe([name])).has(name)) return;
  await deps.alarms.delete([name]).catch((error: unknown) => {
    if (!(error instanceof Error && error.name === 'ResourceNotFound')) throw error;
  });
}
