import type { SharedCheckItem, SharedCheckRegistry } from '../shared/ports.ts';

/**
 * The shared checks' registry in memory, with the conditions the DynamoDB one writes with
 * (shared/aws/shared-check-registry.ts), for benchmarks where DynamoDB Local would only add noise.
 */
export class MemorySharedCheckRegistry implements SharedCheckRegistry {
  readonly items = new Map<string, SharedCheckItem>();
  writes = 0;
  reads = 0;

  get(fp: string): Promise<SharedCheckItem | undefined> {
    this.reads++;
    const item = this.items.get(fp);
    return Promise.resolve(item ? structuredClone(item) : undefined);
  }

  reserve(
    item: Pick<SharedCheckItem, 'fingerprint' | 'callerReference' | 'config'>,
    user: string,
  ): Promise<boolean> {
    if (this.items.has(item.fingerprint)) return Promise.resolve(false);
    this.writes++;
    this.items.set(item.fingerprint, { ...structuredClone(item), users: [user] });
    return Promise.resolve(true);
  }

  join(fp: string, callerReference: string, user: string): Promise<boolean> {
    const item = this.items.get(fp);
    if (item?.callerReference !== callerReference || item.deleting) return Promise.resolve(false);
    this.writes++;
    if (!item.users.includes(user)) item.users = [...item.users, user].sort();
    return Promise.resolve(true);
  }

  renew(fp: string, callerReference: string, newReference: string): Promise<boolean> {
    const item = this.items.get(fp);
    if (item?.callerReference !== callerReference || item.deleting) return Promise.resolve(false);
    this.writes++;
    item.callerReference = newReference;
    delete item.id;
    return Promise.resolve(true);
  }

  setId(fp: string, callerReference: string, id: string): Promise<void> {
    const item = this.items.get(fp);
    if (item?.callerReference === callerReference) {
      this.writes++;
      item.id = id;
    }
    return Promise.resolve();
  }

  leave(fp: string, user: string): Promise<void> {
    const item = this.items.get(fp);
    if (item) {
      this.writes++;
      item.users = item.users.filter((u) => u !== user);
    }
    return Promise.resolve();
  }

  markDeleting(fp: string, callerReference: string): Promise<boolean> {
    const item = this.items.get(fp);
    if (item?.callerReference !== callerReference || item.users.length > 0) return Promise.resolve(false);
    this.writes++;
    item.deleting = true;
    return Promise.resolve(true);
  }

  remove(fp: string, callerReference: string): Promise<void> {
    if (this.items.get(fp)?.callerReference === callerReference) {
      this.writes++;
      this.items.delete(fp);
    }
    return Promise.resolve();
  }

  list(): Promise<SharedCheckItem[]> {
    this.reads++;
    return Promise.resolve([...this.items.values()].map((item) => structuredClone(item)));
  }
}
