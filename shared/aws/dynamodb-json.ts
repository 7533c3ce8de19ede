import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';

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

/** A row in plain attributes, whichever JSON form it came in. */
export function toPlainRow(value: unknown): unknown {
  return isDynamoDbJson(value) ? unmarshall(value) : value;
}

/** A row as DynamoDB JSON, for `chains get --dynamodb-json` (the console's JSON view). */
export function toDynamoDbJson(row: Record<string, unknown>): Record<string, AttributeValue> {
  return marshall(row, { removeUndefinedValues: true });
}
