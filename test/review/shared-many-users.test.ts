import { BatchWriteItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import type { LocalWorld } from '../../local/local-world.ts';
import { SHARED_CHECKS_KEY } from '../../shared/aws/shared-check-registry.ts';
import { sharedFingerprint } from '../../shared/core/shared-checks.ts';
import { reconcile } from '../../shared/reconcile/reconcile.ts';
import { makeSharedWorld, sharingRow } from '../fixtures/shared-world.ts';
import { ZONE } from '../fixtures/world.ts';

const A = 'a.example.com';
const LATE = 'late.example.com';
const SITE2 = { Type: 'HTTP', IPAddress: '2.2.2.2', Port: 8888 } as const;
/** Twice what one item could hold (400 KB), and more than one page of a Query (1 MB). */
const FLEET = 20_000;

let world: LocalWorld;
afterEach(() => {
  world.destroy();
});

/** Registers `count` more users of a check, as that many chains joining it would. */
async function addFleet(fp: string, count: number): Promise<void> {
  const users = Array.from(
    { length: count },
    (_, i) => `chain-${String(i).padStart(5, '0')}.customers.fleet.example.com/secondary`,
  );
  for (let i = 0; i < users.length; i += 25) {
    await world.dynamodb.send(
      new BatchWriteItemCommand({
        RequestItems: {
          [world.tables.status]: users.slice(i, i + 25).map((user) => ({
            PutRequest: { Item: { name: { S: SHARED_CHECKS_KEY }, sk: { S: `${fp}/${user}` } } },
          })),
        },
      }),
    );
  }
  await world.dynamodb.send(
    new UpdateItemCommand({
      TableName: world.tables.status,
      Key: { name: { S: SHARED_CHECKS_KEY }, sk: { S: fp } },
      UpdateExpression: 'ADD userCount :n',
      ExpressionAttributeValues: { ':n': { N: String(count) } },
    }),
  );
}

describe('review: a shared endpoint used by a whole fleet', () => {
  it('still builds the next chain once 20,000 chain tiers share one check, and lists them all', async () => {
    world = await makeSharedWorld();
    await world.chains.put(sharingRow(A, '1.1.1.1'));
    await reconcile(A, world.deps);
    const fp = sharedFingerprint(SITE2);
    await addFleet(fp, FLEET);

    await world.chains.put(sharingRow(LATE, '1.1.1.9'));
    await reconcile(LATE, world.deps);

    expect((await world.deps.status.get(LATE))?.state).toBe('IN_SYNC');
    const secondary = world.route53
      .records(ZONE)
      .find((r) => r.Name === `backup.${LATE}.` && r.HealthCheckId)?.HealthCheckId;
    expect(secondary && world.route53.healthChecks.has(secondary)).toBe(true);
    const registry = world.deps.sharedChecks!;
    expect(await registry.get(fp)).toMatchObject({ id: secondary, userCount: FLEET + 2 });
    const users = await registry.users(fp);
    expect(users).toHaveLength(FLEET + 2);
    expect(users).toContain(`${LATE}/secondary`);
    const listed = (await registry.list()).find((item) => item.fingerprint === fp);
    expect(listed?.users).toEqual(users);
    // Nobody may close a check so many use.
    expect(await registry.markDeleting(fp, listed!.callerReference)).toBe(false);
  }, 120_000);
});
