import type { Chain } from '../core/chain.ts';
import { compareHealthCheck, healthCheckTags } from '../core/plan-health-checks.ts';
import type { HealthCheckConfig, ResourceRecordSet } from '../core/route53-types.ts';
import { CallerReferenceTaken, type ObservedHealthCheck, type ReconcileDeps } from '../ports.ts';
import type { ManagedCheckStatus } from '../core/chain-status.ts';
import { sharedFingerprint, sharedUser, sharesCheck } from '../core/shared-checks.ts';
import { adoptChecks } from './adopt-checks.ts';
import { NeedsBuilder } from './needs-builder.ts';
import { zonesOf } from './chain-zones.ts';
import { ensureSharedCheck, leaveShared } from './shared-checks.ts';
import type { StatusDraft } from './status-draft.ts';

/** How ensureHealthChecks may create checks. */
export interface CreateOptions {
  /** False: a check that must be created stops the reconcile with NeedsBuilder, before any write. */
  createChecks?: boolean;
  /** Save status right after each check is created, so a builder stopped mid-chunk loses no id. */
  saveEachCheck?: boolean;
}

/**
 * Make the chain's managed health checks exist as the row describes them; returns their ids by
 * tier. Every CallerReference is saved in status before it is used, so a retry finds or
 * recreates the same check and never makes a duplicate. Checks that must go are retired, to be
 * deleted once no record uses them.
 */
export async function ensureHealthChecks(
  chain: Chain,
  status: StatusDraft,
  deps: ReconcileDeps,
  observedRecords: readonly ResourceRecordSet[],
  options: CreateOptions = {},
): Promise<Record<string, string>> {
  const { route53, settings } = deps;
  const mayCreate = () => {
    if (options.createChecks === false) throw new NeedsBuilder(chain.name);
  };
  const draft = status.draft;
  const ids: Record<string, string> = {};

  // A check the row now names by id is the user's from now on: never retired, so never deleted.
  const named = new Set(
    chain.tiers.flatMap((tier) => (tier.healthCheck?.kind === 'existing' ? [tier.healthCheck.id] : [])),
  );
  const retire = (id: string) => {
    if (!named.has(id) && !draft.retiredHealthChecks.includes(id)) draft.retiredHealthChecks.push(id);
  };

  const create = async (tierId: string, config: HealthCheckConfig, retiring?: string): Promise<string> => {
    mayCreate();
    const callerReference = deps.newReference();
    draft.healthChecks[tierId] = { callerReference };
    if (retiring) retire(retiring);
    await status.save();
    return finishCreate(tierId, config, callerReference);
  };

  const finishCreate = async (
    tierId: string,
    config: HealthCheckConfig,
    callerReference: string,
  ): Promise<string> => {
    mayCreate();
    let id: string;
    try {
      id = await route53.createHealthCheck(callerReference, config);
    } catch (error) {
      if (!(error instanceof CallerReferenceTaken)) throw error;
      const existing = await route53.findHealthCheckByReference(callerReference);
      if (!existing) return create(tierId, config);
      id = existing.id;
    }
    await route53.tagHealthCheck(id, healthCheckTags(settings.owner, chain.name, tierId));
    // Recorded only once tagged: a check known by id is never tagged again. Stopped before this
    // save, the next run finds the same check again through its CallerReference.
    draft.healthChecks[tierId] = { callerReference, id };
    if (options.saveEachCheck) await status.save();
    return id;
  };

  const leave = (fp: string, tierId: string) => {
    const entry = `${fp}/${tierId}`;
    draft.leavingShared = [...new Set([...(draft.leavingShared ?? []), entry])];
  };
  // A tier that stops using a check it shared (or a check of its own) keeps it until the records move.
  const drop = async (tierId: string, known: ManagedCheckStatus) => {
    if (known.shared) {
      leave(known.shared, tierId);
      return;
    }
    const id = known.id ?? (await route53.findHealthCheckByReference(known.callerReference))?.id;
    if (id !== undefined) retire(id);
  };

  const forgotten = await adoptChecks(
    chain,
    chain.tiers
      .filter((tier) => tier.healthCheck?.kind === 'managed' && !draft.healthChecks[tier.id])
      .map((tier) => tier.id),
    observedRecords,
    deps,
    // Status knows no check of a chain that has records: it was lost (a new tier asks nothing).
    Object.keys(draft.healthChecks).length === 0 && observedRecords.length > 0,
  );
  for (const [tierId, found] of forgotten) {
    if (found.adopted) draft.healthChecks[tierId] = found.adopted.status;
    for (const id of found.ownExtra) retire(id);
    for (const fp of found.sharedExtra) leave(fp, tierId);
  }

  for (const tier of chain.tiers) {
    if (tier.healthCheck?.kind !== 'managed') continue;
    const config = tier.healthCheck.config;
    let known = draft.healthChecks[tier.id];
    // A failing tier's records keep its old check until the new one has a verdict (keep-old-checks.ts).
    if (deps.sharedChecks && sharesCheck(chain, tier, true)) {
      const before = known;
      const writeAhead = async (callerReference: string) => {
        if (before && before.shared !== sharedFingerprint(config)) await drop(tier.id, before);
        draft.healthChecks[tier.id] = { callerReference, shared: sharedFingerprint(config) };
        await status.save();
      };
      const use = await ensureSharedCheck(
        chain.name,
        tier.id,
        config,
        deps,
        deps.sharedChecks,
        mayCreate,
        writeAhead,
      );
      if (before && before.shared !== use.fingerprint) await drop(tier.id, before);
      draft.healthChecks[tier.id] = {
        callerReference: use.callerReference,
        id: use.id,
        shared: use.fingerprint,
      };
      draft.leavingShared = (draft.leavingShared ?? []).filter(
        (entry) => entry !== `${use.fingerprint}/${tier.id}`,
      );
      if (draft.leavingShared.length === 0) delete draft.leavingShared;
      ids[tier.id] = use.id;
      continue;
    }
    if (known?.shared) {
      // Opted out (or sharing is off): this tier gets a check of its own, then leaves the shared one.
      await drop(tier.id, known);
      Reflect.deleteProperty(draft.healthChecks, tier.id);
      known = undefined;
    }
    let current: ObservedHealthCheck | undefined;
    if (known?.id)
      current = forgotten.get(tier.id)?.adopted?.check ?? (await route53.getHealthCheck(known.id));
    else if (known) {
      // A reference was saved but its check never recorded: finish that creation first.
      const id = await finishCreate(tier.id, config, known.callerReference);
      current = await route53.getHealthCheck(id);
    }
    if (!current) {
      ids[tier.id] = await create(tier.id, config);
      continue;
    }
    const change = compareHealthCheck(config, current.config);
    if (change.kind === 'update') {
      await route53.updateHealthCheck(current.id, current.version, change.config, change.resetElements);
    }
    ids[tier.id] = change.kind === 'replace' ? await create(tier.id, config, current.id) : current.id;
  }

  for (const [tierId, known] of Object.entries(draft.healthChecks)) {
    if (ids[tierId] !== undefined) continue;
    await drop(tierId, known);
    Reflect.deleteProperty(draft.healthChecks, tierId);
  }
  return ids;
}

/**
 * After the records moved: leave the shared checks the chain's tiers stopped using; the last user
 * of one deletes it. A tier whose records keep its old check (`keptChecks`) stays a user of what
 * it leaves until they move, so the check stays, and its alarm still reaches the chain.
 */
export async function leaveUnusedShared(status: StatusDraft, deps: ReconcileDeps): Promise<void> {
  const registry = deps.sharedChecks;
  const leaving = status.draft.leavingShared ?? [];
  if (leaving.length === 0 || !registry) return;
  const kept = status.draft.keptChecks ?? {};
  const staying: string[] = [];
  for (const entry of leaving) {
    const slash = entry.indexOf('/');
    const tierId = entry.slice(slash + 1);
    if (kept[tierId] !== undefined) {
      staying.push(entry);
      continue;
    }
    await leaveShared(
      entry.slice(0, slash),
      sharedUser(status.draft.name, tierId),
      deps,
      registry,
      zonesOf(status),
    );
  }
  if (staying.length > 0) status.draft.leavingShared = staying;
  else delete status.draft.leavingShared;
}
/** Delete retired checks that no record of the chain still uses. */
export async function deleteRetiredHealthChecks(
  status: StatusDraft,
  stillUsed: ReadonlySet<string>,
  deps: ReconcileDeps,
): Promise<void> {
  const keep: string[] = [];
  for (const id of status.draft.retiredHealthChecks) {
    if (stillUsed.has(id)) keep.push(id);
    else await deps.route53.deleteHealthCheck(id);
  }
  status.draft.retiredHealthChecks = keep;
}
