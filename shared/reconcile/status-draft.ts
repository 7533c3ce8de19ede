import { newStatus, statusChanged, type ChainStatus } from '../core/chain-status.ts';
import type { StatusStore } from '../ports.ts';

/**
 * The status being built by one reconcile. `save` writes only when something changed, and
 * only if nobody else wrote since this reconcile read it (conditional on the revision).
 */
export class StatusDraft {
  readonly draft: ChainStatus;
  private saved: ChainStatus;

  constructor(
    private readonly store: StatusStore,
    stored: ChainStatus | undefined,
    name: string,
    private readonly now: () => string,
  ) {
    this.saved = stored ?? newStatus(name, now());
    this.draft = structuredClone(this.saved);
  }

  /** True when the chain was known to the system before this reconcile. */
  get known(): boolean {
    return this.saved.revision > 0;
  }

  async save(): Promise<boolean> {
    if (this.known && !statusChanged(this.saved, this.draft)) return false;
    const expected = this.saved.revision;
    this.draft.revision = expected + 1;
    this.draft.updatedAt = this.now();
    await this.store.save(this.draft, expected);
    this.saved = structuredClone(this.draft);
    return true;
  }
}
