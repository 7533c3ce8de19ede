import type { ChainStatus } from '../shared/core/chain-status.ts';
import { outboxDue } from '../shared/core/outbox-rules.ts';
import {
  StaleStatusError,
  type ChainStore,
  type FlipRecord,
  type HistoryStore,
  type StatusStore,
} from '../shared/ports.ts';

// In-memory tables with DynamoDB's conditional-write rule, for benchmarks of Route 53 traffic
// at 10,000 chains where DynamoDB Local's own speed would only add noise. Tests use DynamoDB Local.

/** Chains rows in memory. */
export class MemoryChainStore implements ChainStore {
  readonly rows = new Map<string, Record<string, unknown>>();

  get(name: string): Promise<unknown> {
    return Promise.resolve(structuredClone(this.rows.get(name)));
  }

  scan(): Promise<Map<string, unknown>> {
    return Promise.resolve(new Map([...this.rows].map(([name, row]) => [name, structuredClone(row)])));
  }
}

/** Status items in memory, written only if the revision read is still current. */
export class MemoryStatusStore implements StatusStore {
  readonly items = new Map<string, ChainStatus>();
  writes = 0;

  get(name: string): Promise<ChainStatus | undefined> {
    const item = this.items.get(name);
    return Promise.resolve(item ? structuredClone(item) : undefined);
  }

  save(status: ChainStatus, expectedRevision: number): Promise<void> {
    if ((this.items.get(status.name)?.revision ?? 0) !== expectedRevision) {
      return Promise.reject(new StaleStatusError(`status of ${status.name} changed since it was read`));
    }
    this.writes++;
    this.items.set(status.name, structuredClone(status));
    return Promise.resolve();
  }

  list(): Promise<ChainStatus[]> {
    return Promise.resolve([...this.items.values()].map((item) => structuredClone(item)));
  }

  outboxesDue(at: string): Promise<string[]> {
    return Promise.resolve(
      [...this.items.values()]
        .filter((item) => {
          const due = outboxDue(item.outbox);
          return due !== undefined && due <= at;
        })
        .map((item) => item.name),
    );
  }
}

/** History in memory, keyed like the table: the same entry written twice is one entry. */
export class MemoryHistoryStore implements HistoryStore {
  private readonly byKey = new Map<string, FlipRecord>();

  get entries(): FlipRecord[] {
    return [...this.byKey.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, entry]) => entry);
  }

  append(record: FlipRecord, id: string): Promise<void> {
    this.byKey.set(`${record.chain}#${record.at}#${id}`, structuredClone(record));
    return Promise.resolve();
  }

  list(chain: string, limit = 50): Promise<FlipRecord[]> {
    return Promise.resolve(
      this.entries
        .filter((e) => e.chain === chain)
        .reverse()
        .slice(0, limit),
    );
  }
}
