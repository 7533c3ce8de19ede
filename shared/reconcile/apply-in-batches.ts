import { batchCost, ROUTE53_BATCH_LIMITS, type BatchLimits } from '../core/aws-limits.ts';
import type { Route53Port } from '../ports.ts';
import type { PreparedReconcile } from './reconcile-types.ts';

export type { BatchLimits } from '../core/aws-limits.ts';

/**
 * Apply many chains' record changes in as few ChangeResourceRecordSets calls as Route 53
 * allows, each chain's changes kept whole in one call. If Route 53 refuses a shared batch, it is
 * split in halves until the chain at fault stands alone, so one bad chain cannot block the rest.
 * Returns the chains whose changes failed, with the error.
 */
export async function applyInBatches(
  route53: Route53Port,
  prepared: readonly PreparedReconcile[],
  limits: BatchLimits = ROUTE53_BATCH_LIMITS,
): Promise<Map<PreparedReconcile, unknown>> {
  const failures = new Map<PreparedReconcile, unknown>();
  const byZone = new Map<string, PreparedReconcile[]>();
  for (const chain of prepared) {
    if (chain.changes.length === 0 || chain.zoneId === undefined) continue;
    byZone.set(chain.zoneId, [...(byZone.get(chain.zoneId) ?? []), chain]);
  }

  const apply = async (zoneId: string, group: PreparedReconcile[]): Promise<void> => {
    try {
      const names = group.map((chain) => chain.name);
      await route53.changeRecords(
        zoneId,
        group.flatMap((chain) => chain.changes),
        `failover-chains: ${names.length === 1 ? names[0]! : `${names.length} chains`}`,
      );
    } catch (error) {
      // Refused for what it holds (one chain's change, or one chain's name outside what IAM
      // allows): split until the chain at fault stands alone, so the others still apply.
      const refused =
        error instanceof Error &&
        ['InvalidChangeBatch', 'InvalidInput', 'AccessDenied', 'AccessDeniedException'].includes(error.name);
      if (group.length === 1 || !refused) {
        for (const chain of group) failures.set(chain, error);
        return;
      }
      const middle = Math.ceil(group.length / 2);
      await apply(zoneId, group.slice(0, middle));
      await apply(zoneId, group.slice(middle));
    }
  };

  for (const [zoneId, chains] of byZone) {
    let batch: PreparedReconcile[] = [];
    let used = { changes: 0, values: 0, characters: 0 };
    for (const chain of chains) {
      const size = batchCost(chain.changes);
      const fits =
        used.changes + size.changes <= limits.maxChanges &&
        used.values + size.values <= limits.maxValues &&
        used.characters + size.characters <= limits.maxCharacters;
      if (!fits && batch.length > 0) {
        await apply(zoneId, batch);
        batch = [];
        used = { changes: 0, values: 0, characters: 0 };
      }
      batch.push(chain);
      used = {
        changes: used.changes + size.changes,
        values: used.values + size.values,
        characters: used.characters + size.characters,
      };
    }
    if (batch.length > 0) await apply(zoneId, batch);
  }
  return failures;
}
