import type { ReconcileDeps } from '../ports.ts';
import type { RowSeen } from './decide-chain.ts';
import { observeChainRecords } from './observe-records.ts';
import type { ResourceRecordSet } from '../core/route53-types.ts';
import { validateRow } from './validate-row.ts';

/**
 * Read what the decision needs beyond status and the row: the row's validation (its zone and any
 * `{ id }` check it names) and, for a valid row, the zone's records that may be the chain's.
 */
export async function readChain(
  row: unknown,
  deps: ReconcileDeps,
): Promise<{ row: RowSeen; observed: ResourceRecordSet[] }> {
  if (row === undefined) return { row: { kind: 'absent' }, observed: [] };
  const validated = await validateRow(row, deps);
  if (!validated.ok) return { row: { kind: 'invalid', errors: validated.errors }, observed: [] };
  const chain = validated.chain;
  return {
    row: { kind: 'valid', chain },
    observed: await observeChainRecords(deps.route53, chain, deps.settings.owner),
  };
}
