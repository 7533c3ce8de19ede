import type { Alert } from '../core/alerts.ts';
import {
  fingerprint,
  newStatus,
  statusChanged,
  type ChainStatus,
  type HistoryEntry,
} from '../core/chain-status.ts';
import { randomUUID } from 'node:crypto';
import { SHORTEN_LEVELS, shortenAlert } from '../core/shorten-alert.ts';
import { boundOutbox } from '../core/outbox-rules.ts';
import { ChainBusyError, StaleStatusError, type StatusStore } from '../ports.ts';
import { deliverOutbox, outboxEntry } from './outbox.ts';

/**
 * The status being built by one reconcile. `save` writes only when something changed, and
 * only if nobody else wrote since this reconcile read it (conditional on the revision).
 */
export class StatusDraft {
  readonly draft: ChainStatus;
  private saved: ChainStatus;
  /** Outbox entries this draft added, to deliver once saved. */
  private readonly added: string[] = [];
  /** Marks this draft's writes, to recognise one whose reply was lost. */
  private readonly token = randomUUID();

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
    this.draft.errors = clipErrors(this.draft.errors);
    this.bound();
    this.draft.revision = expected + 1;
    this.draft.updatedAt = this.now();
    this.draft.writtenBy = this.token;
    try {
      await this.store.save(this.draft, expected);
    } catch (error) {
      if (!(error instanceof StaleStatusError) || !(await this.landed())) throw error;
    }
    this.saved = structuredClone(this.draft);
    return true;
  }

  /**
   * After a refused conditional write: true if it was this draft's own write, applied with its
   * reply lost and refused when the SDK sent it again. Only then may this draft deliver what it
   * enqueued; another writer's identical entries are theirs to deliver.
   */
  private async landed(): Promise<boolean> {
    const now = await this.store.get(this.draft.name);
    return now?.revision === this.draft.revision && now.writtenBy === this.token;
  }

  /**
   * Hold the chain for `ms` before changing AWS. The write is conditional on the revision this
   * reconcile read before it read the row and AWS, and every holder bumps it: so taking the
   * lease proves no other reconcile changed anything since, and none can until it is released or
   * lapses. A lease this draft holds is renewed once less than half of it is left.
   */
  async hold(holder: string, nowMs: number, ms: number): Promise<void> {
    const mine = this.draft.lease;
    if (mine?.holder === holder && Date.parse(mine.until) - nowMs > ms / 2) return;
    const other = this.saved.lease;
    if (other && other.holder !== holder && Date.parse(other.until) > nowMs) {
      throw new ChainBusyError(other.until);
    }
    this.draft.lease = { holder, until: new Date(nowMs + ms).toISOString() };
    await this.save();
  }

  /**
   * Keep the outbox within OUTBOX_MAX_BYTES, however long SNS has refused its alerts: the oldest
   * are dropped for one summary alert (see boundOutbox), which this draft delivers with the rest.
   */
  private bound(): void {
    if (!this.draft.outbox) return;
    const { outbox, added } = boundOutbox(this.draft.outbox, this.draft.name, this.now());
    this.draft.outbox = outbox;
    for (const id of added) if (!this.added.includes(id)) this.added.push(id);
  }

  /** Record an alert and/or history entry, to be written with this status (see outbox.ts). */
  enqueue(content: { alert?: Alert; history?: HistoryEntry }): void {
    const alert = content.alert && fitForStatus(content.alert);
    const entry = outboxEntry({ ...content, ...(alert ? { alert } : {}) }, this.now());
    this.draft.outbox = { ...this.draft.outbox, [entry.id]: entry };
    if (!this.added.includes(entry.id)) this.added.push(entry.id);
  }

  /**
   * Forget alerts enqueued since the last save, and the controls and serving tier they announce,
   * so the next reconcile sees the change again and announces it from where it started.
   */
  discardUnsaved(): void {
    for (const key of ['controls', 'servingTier', 'applied'] as const) {
      if (this.saved[key] === undefined) Reflect.deleteProperty(this.draft, key);
      else Object.assign(this.draft, { [key]: structuredClone(this.saved[key]) });
    }
    const saved = this.saved.outbox;
    if (saved) this.draft.outbox = structuredClone(saved);
    else delete this.draft.outbox;
    if (this.saved.alertedProblem) this.draft.alertedProblem = this.saved.alertedProblem;
    else delete this.draft.alertedProblem;
    this.added.length = 0;
  }

  /** Enqueue `alert` unless `problem` is the one last alerted; true when it was enqueued. */
  alertOnce(problem: unknown, alert: Alert): boolean {
    const key = fingerprint(problem);
    if (this.draft.alertedProblem === key) return false;
    this.enqueue({ alert });
    this.draft.alertedProblem = key;
    return true;
  }

  /**
   * The last write of a reconcile or observation: save, then deliver what this draft enqueued.
   * Delivery bumps the revision, so nothing may be saved from this draft afterwards.
   */
  async saveAndDeliver(deps: Parameters<typeof deliverOutbox>[2]): Promise<boolean> {
    const wrote = await this.save();
    try {
      await deliverOutbox(this.draft.name, this.added.splice(0), deps, this.saved);
    } catch {
      // Recorded, so not lost: the sweep delivers it (within 15 minutes, the writer's grace, as
      // this failure may have left it unreleased). Failing here would only retry a done job.
    }
    return wrote;
  }

  /** Make the draft `next`, field for field (fields `next` lacks are removed). */
  become(next: ChainStatus): void {
    for (const key of Object.keys(this.draft)) Reflect.deleteProperty(this.draft, key);
    Object.assign(this.draft, structuredClone(next));
  }

  /** Give the chain back with the next save. */
  release(): void {
    delete this.draft.lease;
  }
}

// A status item must stay well under DynamoDB's 400 KB item limit whatever an error says
// (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html).
// An alert takes at most half the outbox (OUTBOX_MAX_BYTES), so the newest always fits.
const MAX_ALERT_BYTES = 32_000;
const MAX_ERRORS = 50;
const MAX_ERROR_CHARS = 2_000;

/** An alert small enough to keep in the status item's outbox, shortened as for SNS. */
function fitForStatus(alert: Alert): Alert {
  const size = (a: Alert) => new TextEncoder().encode(JSON.stringify(a)).length;
  if (size(alert) <= MAX_ALERT_BYTES) return alert;
  for (const limits of SHORTEN_LEVELS) {
    const short = shortenAlert(alert, limits);
    if (size(short) <= MAX_ALERT_BYTES) return short;
  }
  return shortenAlert(alert, SHORTEN_LEVELS.at(-1)!);
}

/** The first errors, each cut to a readable length, saying how much is not shown. */
function clipErrors(errors: readonly string[]): string[] {
  const kept = errors
    .slice(0, MAX_ERRORS)
    .map((e) =>
      e.length > MAX_ERROR_CHARS
        ? `${e.slice(0, MAX_ERROR_CHARS)}... (${String(e.length - MAX_ERROR_CHARS)} more characters)`
        : e,
    );
  if (errors.length > MAX_ERRORS) kept.push(`... ${String(errors.length - MAX_ERRORS)} more errors`);
  return kept;
}
