import { controlChangedAlert } from '../core/control-alerts.ts';
import { normalizeName } from '../core/dns-name.ts';
import { validateChain } from '../core/validate-chain.ts';
import type { ServingDeps } from '../ports.ts';
import { reconcile } from '../reconcile/reconcile.ts';
import { StatusDraft } from '../reconcile/status-draft.ts';
import { answerWithHealthyTiers } from '../core/serving-tier.ts';
import { completeHealth, healthyTierIds } from '../core/tier-health.ts';

/** The operator asked for something that cannot be done; the message says why. */
export class FailbackRefused extends Error {
  override name = 'FailbackRefused';
}

/**
 * Manual failback: return held tiers (all, or the named ones) to the chain, rebuild its records
 * in one batch, and alert who did it and what serves now.
 */
export async function failback(
  rawName: string,
  tiers: readonly string[] | undefined,
  by: string | undefined,
  deps: ServingDeps,
): Promise<{ released: string[]; serving: string | undefined }> {
  const name = normalizeName(rawName);
  const [row, stored] = await Promise.all([deps.chains.get(name), deps.status.get(name)]);
  const result = row === undefined ? undefined : validateChain(row, { allowReservedAddresses: true });
  if (!stored || !result?.ok) throw new FailbackRefused(`no valid chain ${name}`);
  const held = stored.heldTiers ?? [];
  const release = tiers ?? held;
  if (release.length === 0) throw new FailbackRefused(`${name} holds no tier: there is nothing to fail back`);
  const unknown = release.filter((id) => !held.includes(id));
  if (unknown.length > 0) {
    throw new FailbackRefused(
      `${unknown.join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not held; held: ${held.join(', ') || 'none'}`,
    );
  }
  const status = new StatusDraft(deps.status, stored, name, () => deps.clock().toISOString());
  const stillHeld = held.filter((id) => !release.includes(id));
  status.draft.heldTiers = stillHeld;
  // What serves once the records are rebuilt, from the health last seen: the alert is recorded
  // with the release, in one write, so neither can happen without the other.
  const serving = answerWithHealthyTiers(
    result.chain,
    healthyTierIds(completeHealth(result.chain, stored.tierHealth)),
    deps.settings.owner,
    stillHeld,
  ).tier?.id;
  const at = deps.clock().toISOString();
  const changes = [`failed back ${release.join(', ')}`];
  status.enqueue({
    alert: controlChangedAlert(result.chain, changes, serving, by, [], at),
    history: {
      chain: name,
      at,
      event: 'CONTROL_CHANGED',
      from: stored.servingTier ?? '',
      to: serving ?? '',
      failed: [],
      recovered: [...release],
      changes,
      ...(by ? { by } : {}),
    },
  });
  await status.saveAndDeliver(deps);
  await reconcile(name, deps);
  return { released: [...release], serving: (await deps.status.get(name))?.servingTier };
}
