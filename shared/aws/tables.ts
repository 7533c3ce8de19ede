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

/** Status: the system's own items per chain (status and flip history, which expires by TTL). */
export function statusTable(name: string): CreateTableCommandInput {
  return {
    TableName: name,
    AttributeDefinitions: [
      { AttributeName: 'name', AttributeType: 'S' },
      { AttributeName: 'sk', AttributeType: 'S' },
    ],
    KeySchema: [
      { AttributeName: 'name', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ],
    BillingMode: 'PAY_PER_REQUEST',
  };
}
