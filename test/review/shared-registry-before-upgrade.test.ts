import { QueryCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import type { LocalWorld } from '../../local/local-world.ts';
import { SHARED_CHECKS_KEY } from '../../shared/aws/shared-check-registry.ts';
import { sharedFingerprint } from '../../shared/core/shared-checks.ts';
import { reconcile } from '../../shared/reconcile/reconcile.ts';
import { reconcileAll } from '../../shared/reconcile/reconcile-all.ts';
import { forgetStatus, makeSharedWorld, sharingRow } from '../fixtures/shared-world.ts';

// A chain whose status was lost finds its last tier's shared check through the registry's
// `usesOf`, a Query filtered on a `chain` attribute of the user items. Only user items written
// from this version on carry that attribute: every user item a deployment already holds (written
// by join or reserve before) has only its key, so the Query finds none of them, and the chain
// never gives up its place: the check it moved away from is billed for ever.

const A = 'a.example.com';
const PAGE = { Type: 'HTTP', IPAddress: '3.3.3.3', Port: 8888 } as const;

let world: LocalWorld;
afterEach(() => {
  world.destroy();
});

/** The registry's user items as the version before wrote them: the key alone. */
async function asWrittenBeforeTheUpgrade(): Promise<void> {
  const page = await world.dynamodb.send(
    new QueryCommand({
      TableName: world.tables.status,
      KeyConditionExpression: '#n = :n',
      ExpressionAttributeNames: { '#n': 'name' },
      ExpressionAttributeValues: { ':n': { S: SHARED_CHECKS_KEY } },
      ConsistentRead: true,
    }),
  );
  for (const item of page.Items ?? []) {
    if (item.chain === undefined) continue;
    await world.dynamodb.send(
      new UpdateItemCommand({
        TableName: world.tables.status,
        Key: { name: item.name!, sk: item.sk! },
        UpdateExpression: 'REMOVE chain',
      }),
    );
  }
}

function rowWithWatchedPage(extra: Record<string, unknown> = {}): Record<string, unknown> {
  const row = sharingRow(A, '1.1.1.1');
  const tiers = row.tiers as Record<string, unknown>[];
  tiers[2] = { ...tiers[2], healthCheck: { type: 'HTTP', ip: '3.3.3.3', port: 8888, ...extra } };
  return row;
}

describe('review: a registry written before the upgrade, then a chain’s status was lost', () => {
  it('the last tier’s old shared check is deleted once the page probes with other settings', async () => {
    world = await makeSharedWorld();
    await world.chains.put(rowWithWatchedPage());
    await reconcile(A, world.deps);
    await asWrittenBeforeTheUpgrade();

    await forgetStatus(world, A);
    await world.chains.put(rowWithWatchedPage({ path: '/health' }));
    await reconcile(A, world.deps);
    await reconcileAll(world.deps);
    await reconcileAll(world.deps);

    // Nothing probes 3.3.3.3:8888/ any more: only the /health check should be left on 3.3.3.3.
    const paths = [...world.route53.healthChecks.values()]
      .filter((c) => c.HealthCheckConfig.IPAddress === '3.3.3.3')
      .map((c) => c.HealthCheckConfig.ResourcePath);
    expect(paths).toEqual(['/health']);
    expect(await world.deps.sharedChecks!.get(sharedFingerprint(PAGE))).toBeUndefined();
  });
});
