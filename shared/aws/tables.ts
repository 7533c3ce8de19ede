import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

// Table layouts, shared by the stack, local mode and the tests so all three make the same tables.

/** Chains: the user's rows, one per served name, streamed with old and new images. */
export function chainsTable(name: string): CreateTableCommandInput {
  return {
    TableName: name,
    AttributeDefinitions: [{ AttributeName: 'name', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'name', KeyType: 'HASH' }],
    BillingMode: 'PAY_PER_REQUEST',
    StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
  };
}

/** Sort key of a chain's status item; history items use `HISTORY#<time>`. */
export const STATUS_SORT_KEY = 'STATUS';

/**
 * The sparse index of chains with alerts waiting: only a status item whose outbox holds an entry
 * carries `outboxDue` (when its first entry is due), so only those items are in the index, and
 * the minute's sweep reads that handful instead of the table.
 */
export const OUTBOX_INDEX = 'outbox-due';

/** The status item's attribute the outbox index is keyed on (see outboxDue in outbox-rules.ts). */
export const OUTBOX_DUE_ATTRIBUTE = 'outboxDue';

/** Status: the system's own items per chain (status and flip history, which expires by TTL). */
export function statusTable(name: string): CreateTableCommandInput {
  return {
    TableName: name,
    AttributeDefinitions: [
      { AttributeName: 'name', AttributeType: 'S' },
      { AttributeName: 'sk', AttributeType: 'S' },
      { AttributeName: OUTBOX_DUE_ATTRIBUTE, AttributeType: 'S' },
    ],
    KeySchema: [
      { AttributeName: 'name', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: OUTBOX_INDEX,
        KeySchema: [
          { AttributeName: 'name', KeyType: 'HASH' },
          { AttributeName: OUTBOX_DUE_ATTRIBUTE, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'KEYS_ONLY' },
      },
    ],
    BillingMode: 'PAY_PER_REQUEST',
  };
}
