import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LocalWorld } from '../../local/local-world.ts';
import { reconcile } from '../../shared/reconcile/reconcile.ts';
import { seedRow } from '../fixtures/chains.ts';
import { makeWorld, recordLines } from '../fixtures/world.ts';

const NAME = 'resilient-site.example.com';

let world: LocalWorld;
beforeEach(async () => {
  world = await makeWorld();
});
afterEach(() => {
  world.destroy();
});

async function apply(row: Record<string, unknown>) {
  await world.chains.put(row);
  return reconcile(NAME, world.deps);
}

const subjects = () => world.sns.published.map((m) => m.subject);

describe('review: reconcile read-decide-act', () => {
  // README, step 3: an invalid row is INVALID with one CHAIN_INVALID alert, "nothing live
  // touched"; a drain that leaves only failing tiers is such a row (operator-controls.test.ts).
  // The old code refused it before reading Route 53; readChain now lists the zone first, so
  // while ListResourceRecordSets is refused (AccessDenied, or throttled past the SDK's retries)
  // the operator gets RECONCILE_FAILED about Route 53 and an ERROR state instead of being told
  // the drain is refused, though the refusal never needs Route 53.
  it('refuses a drain that leaves only failing tiers even while Route 53 refuses to list the zone', async () => {
    const row = seedRow();
    row.tiers[2]!.healthCheck = { type: 'HTTP', ip: '3.3.3.3', port: 8888 };
    await apply(row);
    const status = (await world.deps.status.get(NAME))!;
    await world.deps.status.save(
      {
        ...status,
        revision: status.revision + 1,
        tierHealth: { primary: 'healthy', secondary: 'unhealthy', tertiary: 'unhealthy' },
      },
      status.revision,
    );
    const before = recordLines(world);
    world.route53.failNext(
      'ListResourceRecordSetsCommand',
      () => Object.assign(new Error('User is not authorized'), { name: 'AccessDenied' }),
      100,
    );
    const result = await apply({ ...row, drain: ['primary'] }).catch((error: unknown) => ({
      state: `thrown ${String(error)}`,
    }));
    expect(result.state).toBe('INVALID');
    expect((await world.deps.status.get(NAME))?.errors).toEqual([
      'drain: leaves no healthy tier serving (secondary, tertiary are down); add "force": true to the row to drain anyway',
    ]);
    expect(subjects()).toEqual(['resilient-site.example.com: chain row rejected']);
    expect(recordLines(world)).toEqual(before);
  });
});
