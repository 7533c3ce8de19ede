import { parseSharedAlarm, parseSharedUser, sharedTagFingerprint } from '../core/shared-checks.ts';
import type { ReconcileDeps, SharedCheckListing, SharedCheckRegistry } from '../ports.ts';
import { deleteSharedIfUnused } from './shared-checks.ts';

/**
 * The registry as a full run sees it: read once (one Query), then each item from that read until
 * this run writes to it, when the next read is fresh. A run where nothing changed reads nothing
 * more. Stale reads are safe: every write is conditional, and a user is removed only by its chain or, once its row is gone, by the clean-up.
 */
export function cachedRegistry(
  registry: SharedCheckRegistry,
  listed: readonly SharedCheckListing[],
): SharedCheckRegistry {
  const known = new Map<string, SharedCheckListing>(listed.map((item) => [item.fingerprint, item]));
  const stale = new Set<string>();
  const wrote = <R>(fp: string, write: () => Promise<R>): Promise<R> => {
    stale.add(fp);
    return write();
  };
  const fresh = <R>(
    fp: string,
    cached: (item: SharedCheckListing | undefined) => R,
    read: () => Promise<R>,
  ) => (stale.has(fp) ? read() : Promise.resolve(cached(known.get(fp))));
  return {
    get: (fp) =>
      fresh(
        fp,
        (item) => item,
        () => registry.get(fp),
      ),
    isUser: (fp, user) =>
      fresh(
        fp,
        (item) => item?.users.includes(user) ?? false,
        () => registry.isUser(fp, user),
      ),
    users: (fp) =>
      fresh(
        fp,
        (item) => item?.users ?? [],
        () => registry.users(fp),
      ),
    usesOf: (chain) => registry.usesOf(chain),
    reserve: (item, user) => wrote(item.fingerprint, () => registry.reserve(item, user)),
    join: (fp, ref, user) => wrote(fp, () => registry.join(fp, ref, user)),
    renew: (fp, ref, next) => wrote(fp, () => registry.renew(fp, ref, next)),
    setId: (fp, ref, id) => wrote(fp, () => registry.setId(fp, ref, id)),
    leave: (fp, user) => wrote(fp, () => registry.leave(fp, user)),
    markDeleting: (fp, ref) => wrote(fp, () => registry.markDeleting(fp, ref)),
    remove: (fp, ref) => wrote(fp, () => registry.remove(fp, ref)),
    list: () => registry.list(),
  };
}

/** What the shared clean-up looks at, read by the full run. */
export interface SharedGarbageInput {
  /** Checks tagged as this owner's, by id, with their tags (only those the run looked up). */
  tagged: ReadonlyMap<string, Record<string, string>>;
  /** Every check id a record in a listed zone uses. */
  referenced: ReadonlySet<string>;
  /** The chains that had a row when the run read the table. */
  rows: ReadonlySet<string>;
}

/**
 * Shared checks nobody uses: registry items with no user (or left half deleted) are deleted
 * through the same close-then-delete steps as a last user's, never while a record in a listed
 * zone uses the check; a check tagged shared that no registry item accounts for is deleted too.
 * Returns the deleted check ids.
 */
export async function collectSharedGarbage(
  deps: ReconcileDeps,
  input: SharedGarbageInput,
): Promise<{ deleted: string[]; failed: { name: string; error: string }[] }> {
  const registry = deps.sharedChecks;
  const deleted: string[] = [];
  const failed: { name: string; error: string }[] = [];
  const items = registry ? await registry.list() : [];
  const byFingerprint = new Map(items.map((item) => [item.fingerprint, item]));
  const attempt = async (name: string, step: () => Promise<void>) => {
    try {
      await step();
    } catch (error) {
      failed.push({ name, error: error instanceof Error ? error.message : String(error) });
    }
  };
  for (const item of items) {
    if (item.id !== undefined && input.referenced.has(item.id)) continue;
    // A user whose row is gone and whose status was lost is never removed by its teardown:
    // remove it here, after reading the row again (a chain made since joins again, or starts anew).
    const users = await staleUsersLeft(item, input.rows, deps, registry!).catch((error: unknown) => {
      failed.push({ name: `shared health check ${item.fingerprint}`, error: String(error) });
      return item.users;
    });
    if (users.length > 0) continue;
    await attempt(`shared health check ${item.fingerprint}`, async () => {
      if (await deleteSharedIfUnused(item.fingerprint, deps, registry!)) {
        if (item.id !== undefined) deleted.push(item.id);
      }
    });
  }
  for (const [id, tags] of input.tagged) {
    const fp = sharedTagFingerprint(deps.settings.owner, tags);
    if (fp === undefined || input.referenced.has(id)) continue;
    const item = byFingerprint.get(fp);
    // The registry's item for this check (an item without an id may be creating it): not garbage.
    if (item && (item.id === undefined || item.id === id)) continue;
    await attempt(`health check ${id}`, async () => {
      await deps.route53.deleteHealthCheck(id);
      deleted.push(id);
    });
  }
  return { deleted, failed };
}

/**
 * True when an alarm is the current generation's alarm of a registered shared check (its last
 * user deletes it); an older generation's alarm is garbage.
 */
export function isRegisteredSharedAlarm(
  owner: string,
  alarmName: string,
  checks: ReadonlyMap<string, string | undefined>,
): boolean {
  const alarm = parseSharedAlarm(owner, alarmName);
  if (alarm === undefined || !checks.has(alarm.fp)) return false;
  const id = checks.get(alarm.fp);
  return id === undefined || id === alarm.id;
}

/** The item's users once those whose chain has no row are removed. */
async function staleUsersLeft(
  item: SharedCheckListing,
  rows: ReadonlySet<string>,
  deps: ReconcileDeps,
  registry: SharedCheckRegistry,
): Promise<string[]> {
  const left: string[] = [];
  for (const user of item.users) {
    const { chain } = parseSharedUser(user);
    if (rows.has(chain) || (await deps.chains.get(chain)) !== undefined) left.push(user);
    else await registry.leave(item.fingerprint, user);
  }
  return left;
}
