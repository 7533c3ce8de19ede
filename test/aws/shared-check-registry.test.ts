import { PutItemCommand, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import type { LocalWorld } from '../../local/local-world.ts';
import { DynamoSharedCheckRegistry, SHARED_CHECKS_KEY } from '../../shared/aws/shared-check-registry.ts';
import { StaleStatusError, type SharedCheckRegistry } from '../../shared/ports.ts';
import { makeSharedWorld } from '../fixtures/shared-world.ts';

const FP = '0123456789abcdef';
const CONFIG = { Type: 'HTTP', IPAddress: '2.2.2.2', Port: 80 } as const;
const A = 'a.example.com/secondary';
const B = 'b.example.com/secondary';

let world: LocalWorld | undefined;
let registry: SharedCheckRegistry;
afterEach(() => {
  world?.destroy();
  world = undefined;
});

async function fresh(): Promise<void> {
  world = await makeSharedWorld();
  registry = world.deps.sharedChecks!;
  expect(await registry.reserve({ fingerprint: FP, callerReference: 'ref-1', config: CONFIG }, A)).toBe(true);
}

describe('the shared checks registry in DynamoDB', () => {
  it('counts each user once, however often it joins or leaves', async () => {
    await fresh();
    expect(await registry.reserve({ fingerprint: FP, callerReference: 'ref-2', config: CONFIG }, B)).toBe(
      false,
    );
    expect(await registry.join(FP, 'ref-1', B)).toBe(true);
    expect(await registry.join(FP, 'ref-1', B)).toBe(true);
    expect(await registry.get(FP)).toMatchObject({ callerReference: 'ref-1', userCount: 2 });
    expect(await registry.users(FP)).toEqual([A, B]);
    expect(await registry.isUser(FP, B)).toBe(true);

    await registry.leave(FP, B);
    await registry.leave(FP, B);
    await registry.leave(FP, 'never.example.com/primary');
    expect(await registry.get(FP)).toMatchObject({ userCount: 1 });
    expect(await registry.isUser(FP, B)).toBe(false);
    expect(await registry.users(FP)).toEqual([A]);
  });

  it('refuses a join to another generation, or to one being deleted', async () => {
    await fresh();
    expect(await registry.join(FP, 'ref-old', B)).toBe(false);
    expect(await registry.join('fedcba9876543210', 'ref-1', B)).toBe(false);
    expect(await registry.users(FP)).toEqual([A]);

    expect(await registry.markDeleting(FP, 'ref-1')).toBe(false);
    await registry.leave(FP, A);
    expect(await registry.markDeleting(FP, 'ref-old')).toBe(false);
    expect(await registry.markDeleting(FP, 'ref-1')).toBe(true);
    expect(await registry.join(FP, 'ref-1', B)).toBe(false);
    expect(await registry.get(FP)).toMatchObject({ userCount: 0, deleting: true });
    expect(await registry.users(FP)).toEqual([]);
  });

  it('lists every check with its own users', async () => {
    await fresh();
    const other = 'fedcba9876543210';
    await registry.reserve({ fingerprint: other, callerReference: 'ref-9', config: CONFIG }, B);
    await registry.join(FP, 'ref-1', B);
    await registry.setId(FP, 'ref-1', 'check-1');
    const listed = await registry.list();
    expect(
      listed.map(({ fingerprint, id, users, userCount }) => ({ fingerprint, id, users, userCount })),
    ).toEqual([
      { fingerprint: FP, id: 'check-1', users: [A, B], userCount: 2 },
      { fingerprint: other, id: undefined, users: [B], userCount: 1 },
    ]);
  });

  it('finds the checks each tier of one chain uses, and no other chain’s', async () => {
    await fresh();
    const other = 'fedcba9876543210';
    await registry.reserve(
      { fingerprint: other, callerReference: 'ref-9', config: CONFIG },
      'a.example.com/page',
    );
    // Names that end or start like a.example.com, and a tier whose name starts like another's.
    await registry.join(FP, 'ref-1', 'b.a.example.com/secondary');
    await registry.join(FP, 'ref-1', 'a.example.com.example.net/secondary');
    await registry.join(other, 'ref-9', 'a.example.com/secondary-2');
    expect(Object.fromEntries(await registry.usesOf('a.example.com'))).toEqual({
      secondary: [FP],
      page: [other],
      'secondary-2': [other],
    });
    expect(await registry.usesOf('c.example.com')).toEqual(new Map());
  });

  it('reads the previous format (users in a set on the check’s item) and moves each user out as it joins or leaves', async () => {
    world = await makeSharedWorld();
    registry = world.deps.sharedChecks!;
    await world.dynamodb.send(
      new PutItemCommand({
        TableName: world.tables.status,
        Item: {
          name: { S: SHARED_CHECKS_KEY },
          sk: { S: FP },
          ...marshall({ callerReference: 'ref-1', config: CONFIG, id: 'check-1' }),
          users: { SS: [A, B] },
        },
      }),
    );
    expect(await registry.get(FP)).toMatchObject({ id: 'check-1', userCount: 2 });
    expect(await registry.users(FP)).toEqual([A, B]);
    expect(await registry.markDeleting(FP, 'ref-1')).toBe(false);

    expect(await registry.join(FP, 'ref-1', A)).toBe(true);
    expect(await registry.get(FP)).toMatchObject({ userCount: 2 });
    expect(await registry.isUser(FP, A)).toBe(true);
    await registry.leave(FP, B);
    expect(await registry.get(FP)).toMatchObject({ userCount: 1 });
    expect((await registry.list()).map((check) => check.users)).toEqual([[A]]);
    expect(await registry.markDeleting(FP, 'ref-1')).toBe(false);
    await registry.leave(FP, A);
    expect(await registry.get(FP)).toMatchObject({ userCount: 0 });
    expect(await registry.markDeleting(FP, 'ref-1')).toBe(true);
  });

  it('reports a transaction that lost a race with another as a lost race, to be read again', async () => {
    // DynamoDB cancels a transaction that conflicts with another on the same item:
    // https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactWriteItems.html
    const conflicted = new DynamoSharedCheckRegistry(
      {
        send: () =>
          Promise.reject(
            new TransactionCanceledException({
              message: 'Transaction cancelled',
              $metadata: {},
              CancellationReasons: [{ Code: 'TransactionConflict' }, { Code: 'None' }],
            }),
          ),
      },
      'status',
    );
    await expect(conflicted.join(FP, 'ref-1', B)).rejects.toBeInstanceOf(StaleStatusError);
  });
});
