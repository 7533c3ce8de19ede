import { createHash } from 'node:crypto';
import type { RecordChange } from './route53-types.ts';

// The AWS limits on what the planner produces, from each API's reference, so that every valid
// row can be built: a value over a limit is refused on every retry, and the chain never builds.

/** Tag keys and values, the same for Route 53 (ChangeTagsForResource) and CloudWatch (PutMetricAlarm). */
export const TAG_LIMITS = { key: 128, value: 256 } as const;

/** CloudWatch PutMetricAlarm: AlarmName and AlarmDescription lengths. */
export const ALARM_LIMITS = { name: 255, description: 1024 } as const;

/** Route 53 CreateHealthCheck: CallerReference length. */
export const CALLER_REFERENCE_MAX = 64;

/** What one ChangeResourceRecordSets call may hold. */
export interface BatchLimits {
  maxChanges: number;
  /** ResourceRecord values, an UPSERT counting twice. */
  maxValues: number;
  /** Characters of all values, an UPSERT counting twice. */
  maxCharacters: number;
}

/** Route 53's documented limits per change batch. */
export const ROUTE53_BATCH_LIMITS: BatchLimits = { maxChanges: 1000, maxValues: 1000, maxCharacters: 32_000 };

/** What a list of changes counts against BatchLimits. */
export interface BatchCost {
  changes: number;
  values: number;
  characters: number;
}

/**
 * The size of a change batch as Route 53 counts it: every ResourceRecord value, and the
 * characters of every value, an UPSERT counting twice. An alias target counts as one value of
 * its DNS name, which overstates it a little and never understates it.
 */
export function batchCost(changes: readonly RecordChange[]): BatchCost {
  let values = 0;
  let characters = 0;
  for (const change of changes) {
    const times = change.Action === 'UPSERT' ? 2 : 1;
    const items = change.ResourceRecordSet.ResourceRecords ?? [
      { Value: change.ResourceRecordSet.AliasTarget?.DNSName ?? '' },
    ];
    values += items.length * times;
    characters += items.reduce((sum, item) => sum + item.Value.length, 0) * times;
  }
  return { changes: changes.length, values, characters };
}

const HASH_LENGTH = 16;

/**
 * `text` when it has at most `max` characters; otherwise its start, `separator` and 16 hex
 * characters of its SHA-256, exactly `max` long. Deterministic, and two texts that differ stay
 * different, so a shortened name still names one thing.
 */
export function fitWithHash(text: string, max: number, separator: string): string {
  if (text.length <= max) return text;
  const hash = createHash('sha256').update(text).digest('hex').slice(0, HASH_LENGTH);
  return `${text.slice(0, max - separator.length - HASH_LENGTH)}${separator}${hash}`;
}
