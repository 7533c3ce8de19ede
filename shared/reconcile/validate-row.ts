import type { Chain } from '../core/chain.ts';
import { checkScope, checkZone } from '../core/check-zone.ts';
import { validateChain } from '../core/validate-chain.ts';
import { formatPath, type ValidationError } from '../core/validation-error.ts';
import type { ReconcileDeps } from '../ports.ts';

/** Validate a row as reconcile must: its schema, the deployment's scope, its zone, and any `{ id }` check it names. */
export async function validateRow(
  row: unknown,
  deps: ReconcileDeps,
): Promise<{ ok: true; chain: Chain } | { ok: false; errors: ValidationError[] }> {
  const result = validateChain(row, {
    allowReservedAddresses: deps.settings.allowReservedAddresses ?? false,
  });
  if (!result.ok) return result;
  const chain = result.chain;
  const scopeErrors = checkScope(chain, deps.settings);
  if (scopeErrors.length > 0) return { ok: false, errors: scopeErrors };
  const zoneErrors = checkZone(chain, await deps.route53.getZone(chain.hostedZoneId));
  if (zoneErrors.length > 0) return { ok: false, errors: zoneErrors };
  const missing: ValidationError[] = [];
  for (const [index, tier] of chain.tiers.entries()) {
    if (tier.healthCheck?.kind !== 'existing') continue;
    if (!(await deps.route53.getHealthCheck(tier.healthCheck.id))) {
      missing.push({
        path: formatPath(['tiers', index, 'healthCheck', 'id']),
        message: `no health check ${tier.healthCheck.id} exists in this account`,
      });
    }
  }
  return missing.length > 0 ? { ok: false, errors: missing } : result;
}
