import type { SharedCheckItem, SharedCheckListing, SharedCheckRegistry } from '../shared/ports.ts';

type Entry = Omit<SharedCheckItem, 'userCount'> & { users: Set<string> };

/**
 * The shared checks' registry in memory, with the conditions the DynamoDB one writes with
 * (shared/aws/shared-check-registry.ts), for benchmarks where DynamoDB Local would only add noise.
 */
export class MemorySharedCheckRegistry implements SharedCheckRegistry {
  readonly items = new Map<string, Entry>();
  writes = 0;
  reads = 0;

  get(fp: string): Promise<SharedCheckItem | undefined> {
    this.reads++;
    const entry = this.items.get(fp);
    return Promise.resolve(entry ? item(entry) : undefined);
  }

  isUser(fp: string, user: string): Promise<boolean> {
    this.reads++;
    return Promise.resolve(this.items.get(fp)?.users.has(user) ?? false);
  }

  users(fp: string): Promise<string[]> {
    this.reads++;
    return Promise.resolve([...(this.items.get(fp)?.users ?? [])].sort());
  }

  usesOf(chain: string): Promise<Map<string, string[]>> {
    this.reads++;
    const uses = new Map<string, string[]>();
    for (const [fp, entry] of this.items) {
      for (const user of entry.users) {
        const slash = user.lastIndexOf('/');
        if (user.slice(0, slash) === chain)
          uses.set(user.slice(slash + 1), [...(uses.get(user.slice(slash + 1)) ?? []), fp]);
      }
    }
    return Promise.resolve(uses);
  }

  reserve(
    fresh: Pick<SharedCheckItem, 'fingerprint' | 'callerReference' | 'config'>,
    user: string,
  ): Promise<boolean> {
    if (this.items.has(fresh.fingerprint)) return Promise.resolve(false);
    this.writes++;
    this.items.set(fresh.fingerprint, { ...structuredClone(fresh), users: new Set([user]) });
    return Promise.resolve(true);
  }

  join(fp: string, callerReference: string, user: string): Promise<boolean> {
    const entry = this.items.get(fp);
    if (entry?.callerReference !== callerReference || entry.deleting) return Promise.resolve(false);
    if (!entry.users.has(user)) {
      this.writes++;
      entry.users.add(user);
    }
    return Promise.resolve(true);
  }

  renew(fp: string, callerReference: string, newReference: string): Promise<boolean> {
    const entry = this.items.get(fp);
    if (entry?.callerReference !== callerReference || entry.deleting) return Promise.resolve(false);
    this.writes++;
    entry.callerReference = newReference;
    delete entry.id;
    return Promise.resolve(true);
  }

  setId(fp: string, callerReference: string, id: string): Promise<void> {
    const entry = this.items.get(fp);
    if (entry?.callerReference === callerReference) {
      this.writes++;
      entry.id = id;
    }
    return Promise.resolve();
  }

  leave(fp: string, user: string): Promise<void> {
    if (this.items.get(fp)?.users.delete(user)) this.writes++;
    return Promise.resolve();
  }

  markDeleting(fp: string, callerReference: string): Promise<boolean> {
    const entry = this.items.get(fp);
    if (entry?.callerReference !== callerReference || entry.users.size > 0) return Promise.resolve(false);
    this.writes++;
    entry.deleting = true;
    return Promise.resolve(true);
  }

  remove(fp: string, callerReference: string): Promise<void> {
    if (this.items.get(fp)?.callerReference === callerReference) {
      this.writes++;
      this.items.delete(fp);
    }
    return Promise.resolve();
  }

  list(): Promise<SharedCheckListing[]> {
    this.reads++;
    return Promise.resolve(
      [...this.items.values()].map((entry) => ({ ...item(entry), users: [...entry.users].sort() })),
    );
  }
}

function item({ users, ...rest }: Entry): SharedCheckItem {
  return { ...structuredClone(rest), userCount: users.size };
}
