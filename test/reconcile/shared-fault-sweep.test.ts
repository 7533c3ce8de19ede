import { describe, expect, it } from 'vitest';
import { FaultPlan, type FaultKind } from '../../local/faults.ts';
import type { LocalWorld } from '../../local/local-world.ts';
import { DynamoSharedCheckRegistry } from '../../shared/aws/shared-check-registry.ts';
import { DynamoStatusStore } from '../../shared/aws/status-store.ts';
import { reconcile } from '../../shared/reconcile/reconcile.ts';
import { makeSharedWorld, sharedCheckLines, sharingRow } from '../fixtures/shared-world.ts';
import { recordLines, ZONE } from '../fixtures/world.ts';

// Every AWS call (Route 53, CloudWatch, SNS, DynamoDB, the registry's too) of two changes fails
// in turn, refused or applied with its reply lost; the chain is then reconciled until quiet, as
// its trigger would. At every quiet point no record uses a deleted check, and the end matches the
// fault-free run: same records, checks, alarms, registry and states.

const A = 'a.example.com';
const B = 'b.example.com';
const kinds: FaultKind[] = ['refused', 'reply-lost'];
const WRITE = /^(Put|Update|Delete|Change|Create|Publish|TransactWrite|BatchWrite)/;

interface Scenario {
  name: string;
  /** Built fault-free before the change. */
  before: Record<string, unknown>[];
  change: (world: LocalWorld) => Promise<void>;
  /** The chain the change is about, reconciled until quiet. */
  chain: string;
}

const scenarios: Scenario[] = [
  {
    name: 'join an existing shared check',
    before: [sharingRow(A, '1.1.1.1')],
    change: (world) => world.chains.put({ ...sharingRow(A, '1.1.1.1'), name: B }),
    chain: B,
  },
  {
    name: 'the last user leaves',
    before: [sharingRow(A, '1.1.1.1')],
    change: async (world) => {
      await world.chains.remove(A);
    },
    chain: A,
  },
];

function assertNoDanglingCheck(world: LocalWorld, where: string): void {
  for (const record of world.route53.records(ZONE)) {
    if (record.HealthCheckId) {
      expect(world.route53.healthChecks.has(record.HealthCheckId), `${record.Name ?? ''}: ${where}`).toBe(
        true,
      );
    }
  }
}

async function outcome(world: LocalWorld) {
  // Read with clients no fault touches.
  const status = new DynamoStatusStore(world.dynamodb, world.tables.status);
  const items = await new DynamoSharedCheckRegistry(world.dynamodb, world.tables.status).list();
  const registry = items.map(({ users, userCount, deleting }) => ({ users, userCount, deleting }));
  return {
    records: recordLines(world),
    checks: sharedCheckLines(world),
    // A shared alarm's name ends in its (random) check id: compare by fingerprint.
    alarms: [...world.cloudwatch.alarms.keys()]
      .map((name) => name.replace(/(\/shared:[0-9a-f]{16})\/.*$/, '$1'))
      .sort(),
    registry,
    states: [(await status.get(A))?.state, (await status.get(B))?.state],
  };
}

/** Build `before`, make the change with `plan`, reconcile until a run writes nothing. */
async function play(scenario: Scenario, plan: FaultPlan) {
  const world = await makeSharedWorld({ faults: plan });
  for (const row of scenario.before) {
    await world.chains.put(row);
    await reconcile(row.name as string, world.deps);
  }
  const start = plan.callCount;
  await scenario.change(world);
  for (let run = 0; ; run++) {
    if (run >= 6) throw new Error(`${scenario.name}: did not settle in 6 runs`);
    const writes = plan.calls.filter((call) => WRITE.test(call.command)).length;
    let failed = false;
    try {
      await reconcile(scenario.chain, world.deps);
    } catch {
      failed = true; // the trigger retries: so do we
    }
    assertNoDanglingCheck(world, `run ${run}`);
    if (!failed && plan.calls.filter((call) => WRITE.test(call.command)).length === writes) break;
  }
  return { world, start };
}

const measured = await Promise.all(
  scenarios.map(async (scenario) => {
    const plan = new FaultPlan();
    const { world, start } = await play(scenario, plan);
    try {
      return { scenario, start, end: plan.callCount, expected: await outcome(world) };
    } finally {
      world.destroy();
    }
  }),
);

describe('fault sweep: shared health checks', () => {
  for (const { scenario, start, end, expected } of measured) {
    it(`${scenario.name}: ${(end - start) * kinds.length} injection points`, async () => {
      expect(end - start).toBeGreaterThan(3);
      for (let at = start; at < end; at++) {
        for (const kind of kinds) {
          const plan = new FaultPlan([{ at, kind }]);
          const { world } = await play(scenario, plan);
          try {
            expect(await outcome(world), `${kind} at call ${at}`).toEqual(expected);
          } finally {
            world.destroy();
          }
        }
      }
    }, 600_000);
  }
});
