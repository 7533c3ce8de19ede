import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { convertToNative } from '@aws-sdk/util-dynamodb';
import { readStoredNumber } from '../core/stored-number.ts';

const TYPE_KEYS = new Set(['S', 'N', 'B', 'SS', 'NS', 'BS', 'M', 'L', 'NULL', 'BOOL']);

/** True for DynamoDB JSON (`{"name": {"S": "..."}}`), the console's other view of an item. */
function isDynamoDbJson(value: unknown): value is Record<string, AttributeValue> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const entries = Object.values(value as Record<string, unknown>);
  return (
    entries.length > 0 &&
    entries.every((entry) => {
      if (typeof entry !== 'object' || entry === null) return false;
      const keys = Object.keys(entry);
      return keys.length === 1 && TYPE_KEYS.has(keys[0]!);
    })
  );
}

/**
 * An item as plain attributes, whatever a person stored in it. Unlike the SDK's `unmarshall`,
 * it never throws and never rounds: a number a JavaScript number cannot hold is kept as its text
 * (a StoredNumber, through the documented `wrapNumbers` hook), and an attribute named
 * `__proto__` stays an attribute (unmarshall's assignment makes it the prototype, dropping the
 * field, or throws on it). Sets stay Sets and binary stays binary, for validation to name.
 */
export function fromItem(item: Record<string, AttributeValue | undefined>): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(item)) {
    Object.defineProperty(row, key, {
      value: toNative(value),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return row;
}

/** One attribute's value; null (which no field accepts) for one the SDK gave no readable value. */
function toNative(value: unknown): unknown {
  // The SDK reads a top-level attribute named `__proto__` as undefined.
  if (!isAttributeValue(value)) return null;
  if (value.M !== undefined) return fromItem(value.M);
  if (value.L !== undefined) return value.L.map(toNative);
  try {
    return convertToNative(value, { wrapNumbers: readStoredNumber });
  } catch {
    return null;
  }
}

function isAttributeValue(value: unknown): value is AttributeValue {
  return typeof value === 'object' && value !== null;
}

/** A row in plain attributes, whichever JSON form it came in. */
export function toPlainRow(value: unknown): unknown {
  return isDynamoDbJson(value) ? fromItem(value) : value;
}
