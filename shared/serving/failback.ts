import { normalizeName } from '../core/dns-name.ts';
import { validateChain } from '../core/validate-chain.ts';
import type { ServingDeps } from '../ports.ts';
import { reconcile } from '../reconcile/reconcile.ts';
import { StatusDraft } from '../reconcile/status-draft.ts';

/** The operator asked for something that cannot be done; the message says why. */
export class FailbackRefused extends Error {
  override name = 'FailbackRefused';
}

/**
 * Manual failback: return held tiers (all, or the named ones) to the chain and rebuild its records
 * in one batch. The release is recorded first, with who asked (`failedBack` in status); the build
 * that returns the tiers to the records announces it, with what Route 53 then serves, in the same
 * write as the status that says so: one CONTROL_CHANGED, and a failed build leaves it to the next.
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
  if (stillHeld.length > 0) status.draft.heldTiers = stillHeld;
  else delete status.draft.heldTiers;
  const earlier = stored.failedBack?.tiers ?? [];
  status.draft.failedBack = {
    tiers: [...earlier, ...release.filter((id) => !earlier.includes(id))],
    ...(by ? { by } : {}),
    at: deps.clock().toISOString(),
  };
  await status.save();
  await reconcile(name, deps);
  return { released: [...release], serving: (await deps.status.get(name))?.servingTier };
}
