import { chainInvalidAlert, reconcileFailedAlert, type Alert } from '../core/alerts.ts';
import type { ChainStatus } from '../core/chain-status.ts';
import { quotaBlockedAlert } from '../core/quotas.ts';
import type { RecordChange, ResourceRecordSet } from '../core/route53-types.ts';
import { isLostRace, isThrottled, type ReconcileDeps } from '../ports.ts';
import { ensureAlarms } from './alarms.ts';
import { leasedDeps, LEASE_MS } from './chain-lease.ts';
import { leaveOldZones, outOfScope, zonesOf } from './chain-zones.ts';
import { decideInSync, decideRecords, type Build, type ChainDecision } from './decide-chain.ts';
import { deleteRetiredHealthChecks, ensureHealthChecks, leaveUnusedShared } from './health-checks.ts';
import { keepOldChecks } from './keep-old-checks.ts';
import { NeedsBuilder } from './needs-builder.ts';
import { admitChain, blockedProblemKey, quotaReachedProblem } from './quota-gate.ts';
import type { PreparedReconcile, ReconcileOptions, ReconcileResult } from './reconcile-types.ts';
import { StatusDraft } from './status-draft.ts';
import { withRoute53Verdicts } from './route53-verdicts.ts';
import { checksOf, emitServing, flapOf, readingsOf } from './decide-serving.ts';
import { prepareTeardown } from './teardown.ts';

type Stop = 'INVALID' | 'CONFLICT' | 'BLOCKED';
type Extra = Pick<ReconcileResult, 'needsBuilder' | 'rebuild'>;

/**
 * Carries out one chain's decision: the status draft, the lease, the alerts. Every write goes
 * through the lease (taken on the revision read, so a reconcile that read an older row or older
 * records never writes), in the safe order: write-ahead status, health checks, the record batch
 * (the caller's), then alarms, clean-up, status and the outbox.
 */
export class ChainRun {
  readonly status: StatusDraft;
  private readonly alerts: Alert[] = [];
  /** The deps whose every write first takes or renews the lease. */
  private readonly leased: ReconcileDeps;

  constructor(
    private readonly name: string,
    private readonly stored: ChainStatus | undefined,
    private readonly deps: ReconcileDeps,
    private readonly options: ReconcileOptions & { holder: string },
  ) {
    this.status = new StatusDraft(deps.status, stored, name, this.now);
    this.leased = leasedDeps(deps, this.hold);
  }

  readonly now = (): string => this.deps.clock().toISOString();

  readonly hold = (): Promise<void> =>
    this.status.hold(this.options.holder, this.deps.clock().getTime(), LEASE_MS);

  /** Act on the decision, up to the record batch, which the returned value leaves to its caller. */
  execute(decision: ChainDecision, observed: readonly ResourceRecordSet[] = []): Promise<PreparedReconcile> {
    switch (decision.kind) {
      case 'absent':
        return Promise.resolve(this.settled('ABSENT'));
      case 'stop':
        return this.stop(decision.state, decision.messages, decision.alert);
      case 'teardown':
        return this.teardown();
      case 'build':
        return this.build(decision, observed);
    }
  }

  /** A failure before the batch: a quota that ran out is BLOCKED, anything else fails (throws). */
  failedBeforeBatch(error: unknown): Promise<PreparedReconcile> {
    const blocked = quotaReachedProblem(error);
    if (blocked) this.deps.quotaGate?.healthChecksFull?.();
    return blocked ? this.block(blocked) : this.fail(error);
  }

  /** Record the failure and alert it (once per distinct error), then throw it for a retry. */
  readonly fail = async (error: unknown): Promise<never> => {
    const { status, options } = this;
    if (options.deferThrottled && isThrottled(error)) {
      // The caller retries later (the builder's queue): give the chain back, record nothing wrong.
      status.release();
      await status.save().catch(() => false);
    } else if (!isLostRace(error)) {
      // A lost race is retried by reconcile with the same holder, which keeps any lease taken.
      const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      status.release();
      status.discardUnsaved();
      Object.assign(status.draft, { state: 'ERROR', errors: [message] });
      try {
        this.alertOnce(['ERROR', message], reconcileFailedAlert(this.name, message, this.now()));
        await status.saveAndDeliver(this.deps);
      } catch {
        // The original error matters more; the retry will record it.
      }
    }
    throw error;
  };

  private alertOnce(problem: unknown, alert: Alert): void {
    if (this.status.alertOnce(problem, alert)) this.alerts.push(alert);
  }

  private result(state: ReconcileResult['state'], recordChanges: number, extra: Extra = {}): ReconcileResult {
    return { name: this.name, state, recordChanges, alerts: this.alerts, ...extra };
  }

  /** Nothing for the caller to apply. */
  private settled(state: ReconcileResult['state'], extra: Extra = {}): PreparedReconcile {
    return this.proceed(undefined, [], () => Promise.resolve(this.result(state, 0, extra)));
  }

  /** The caller applies `changes`, then calls finish; whatever fails after is recorded like a failed batch. */
  private proceed(
    zoneId: string | undefined,
    changes: RecordChange[],
    finish: () => Promise<ReconcileResult>,
  ): PreparedReconcile {
    return {
      name: this.name,
      zoneId,
      changes,
      hold: this.hold,
      finish: () => finish().catch(this.fail),
      fail: this.fail,
    };
  }

  /** A permanent problem: record it, alert it once, change nothing live. */
  private async stop(state: Stop, messages: string[], alert: Alert, key: unknown = [state, messages]) {
    this.status.release();
    Object.assign(this.status.draft, { state, errors: messages });
    this.alertOnce(key, alert);
    await this.status.saveAndDeliver(this.deps);
    return this.settled(state);
  }

  /** An AWS quota has no room: wait for it (the next full run retries), alerted once per quota. */
  private block(problem: string): Promise<PreparedReconcile> {
    const alert = quotaBlockedAlert(this.name, problem, this.now());
    return this.stop('BLOCKED', [problem], alert, blockedProblemKey(problem));
  }

  private async teardown(): Promise<PreparedReconcile> {
    const { name, status, deps } = this;
    const removal = await prepareTeardown(name, status, this.leased, this.options.zoneHint);
    return this.proceed(removal.zoneId, removal.changes, async () => {
      const { leftIn } = await removal.finish();
      const recordChanges = removal.changes.length;
      if (leftIn.length > 0) {
        const messages = [outOfScope(leftIn, deps)];
        await this.stop('INVALID', messages, chainInvalidAlert(name, messages, this.now()));
        return this.result('INVALID', recordChanges);
      }
      status.release();
      const { state, errors } = status.draft;
      // A check kept because a record still uses it: said once; a later run deletes it once unused.
      if (state === 'ERROR')
        this.alertOnce(['ERROR', errors], reconcileFailedAlert(name, errors.join('; '), this.now()));
      await status.saveAndDeliver(deps);
      return this.result(state === 'ERROR' ? 'ERROR' : 'DELETED', recordChanges);
    });
  }

  private async build(build: Build, observed: readonly ResourceRecordSet[]): Promise<PreparedReconcile> {
    const { chain } = build;
    const { status, deps, leased } = this;
    const blocked = await admitChain(chain, status.draft, build.preview, deps);
    if (blocked) return this.block(blocked);

    // Write-ahead: whichever write comes first saves this with the lease, before any batch.
    status.draft.zoneIds = [...new Set([...zonesOf(status), chain.hostedZoneId])];
    let ids: Record<string, string>;
    try {
      ids = await ensureHealthChecks(chain, status, leased, observed, this.options);
    } catch (error) {
      if (!(error instanceof NeedsBuilder)) throw error;
      // Not applied yet: PENDING until the builder has made the checks and the records exist.
      status.release();
      Object.assign(status.draft, { state: 'PENDING', errors: [] });
      await status.save();
      return this.settled('PENDING', { needsBuilder: true });
    }
    const { owner } = deps.settings;
    // A failing tier's records keep its old check until the new one has a verdict.
    ids = await keepOldChecks(chain, build.held, ids, observed, this.stored, status, leased);
    const { plan, changes } = decideRecords(build, ids, observed, owner);
    return this.proceed(chain.hostedZoneId, changes, async () => {
      const leftIn = await leaveOldZones(chain, status, leased, this.options.zoneHint);
      const alarms = await ensureAlarms(chain, plan.healthChecks, ids, status, leased);
      const used = new Set(plan.records.flatMap((record) => record.HealthCheckId ?? []));
      await deleteRetiredHealthChecks(status, used, leased);
      await leaveUnusedShared(status, leased);

      // What Route 53 serves now, from the records just built and the health of their checks.
      const at = this.now();
      const checks = checksOf(chain, ids);
      const next = decideInSync(
        build,
        status.draft,
        this.stored,
        {
          records: plan.records,
          checks,
          readings: await withRoute53Verdicts(
            checks,
            readingsOf(status.draft.alarms, alarms),
            this.stored,
            leased,
            at,
            new Set([
              ...chain.tiers.flatMap((t) => (t.healthCheck?.kind === 'existing' ? [t.healthCheck.id] : [])),
              ...Object.values(status.draft.keptChecks ?? {}),
            ]),
          ),
        },
        {
          owner,
          at,
          flap: flapOf(deps),
          ...(leftIn.length > 0 ? { leftIn: outOfScope(leftIn, deps) } : {}),
        },
      );
      const moved = next.to !== this.stored?.servingTier;
      status.become(next.next);
      for (const content of next.outbox) status.enqueue(content);
      this.alerts.push(...next.alerts);
      const wrote = await status.saveAndDeliver(deps);
      if (moved) emitServing(deps, chain, next, wrote, new Date(at));
      return this.result(next.next.state, changes.length, next.rebuild ? { rebuild: true } : {});
    });
  }
}
