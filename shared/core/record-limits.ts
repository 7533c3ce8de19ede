import { batchCost, ROUTE53_BATCH_LIMITS } from './aws-limits.ts';
import type { Chain } from './chain.ts';
import { planChain } from './plan-records.ts';
import type { ValidationError } from './validation-error.ts';

/**
 * How many times a chain's records can count in the largest change batch the reconcile makes
 * for it: every record UPSERTed (twice), plus, in the same atomic request, the DELETE of the
 * records an earlier version of the row left at keys the new one no longer uses (once; a pin,
 * a drain or a removed tier). The earlier version passed the same rule, so it holds no more.
 */
export const WORST_CASE_FACTOR = 3;

/** The most values and characters a valid chain's records may hold, so every batch fits. */
export const CHAIN_RECORD_LIMITS = {
  values: Math.floor(ROUTE53_BATCH_LIMITS.maxValues / WORST_CASE_FACTOR),
  characters: Math.floor(ROUTE53_BATCH_LIMITS.maxCharacters / WORST_CASE_FACTOR),
} as const;

const VALUES_ARE = ' (addresses, host names, alias targets and the links between levels)';
const WORST_CASE =
  'a change that rewrites them all (UPSERT counts twice) and deletes an earlier version of the row in the same request';

/**
 * Errors for a chain whose largest change batch could exceed Route 53's per-request limits.
 * Drained, held and pinned chains serve a subset of the same records, so the chain with every
 * tier active is the largest it can be.
 */
export function recordLimitErrors(chain: Chain): ValidationError[] {
  const everyTier: Chain = { ...chain, drain: [] };
  delete everyTier.pin;
  const records = planChain(everyTier, { owner: 'limits' }).records;
  const held = batchCost(records.map((record) => ({ Action: 'CREATE' as const, ResourceRecordSet: record })));
  const errors: ValidationError[] = [];
  const check = (what: string, count: number, limit: number, max: number) => {
    const worst = count * WORST_CASE_FACTOR;
    if (count <= max) return;
    errors.push({
      path: 'tiers',
      message:
        `this chain's records hold ${n(count)} ${what}${what === 'values' ? VALUES_ARE : ''}; ${WORST_CASE} can send up to ${n(worst)} to Route 53, ` +
        `over its limit of ${n(limit)} per request: use at most ${n(max)} ${what} (${n(count - max)} fewer)`,
    });
  };
  check('values', held.values, ROUTE53_BATCH_LIMITS.maxValues, CHAIN_RECORD_LIMITS.values);
  check(
    'characters of values',
    held.characters,
    ROUTE53_BATCH_LIMITS.maxCharacters,
    CHAIN_RECORD_LIMITS.characters,
  );
  return errors;
}

function n(value: number): string {
  return value.toLocaleString('en-US');
}
