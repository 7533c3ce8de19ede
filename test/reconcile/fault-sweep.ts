import { expect } from 'vitest';
import { FaultPlan, type FaultKind } from '../../local/faults.ts';
import type { LocalWorld } from '../../local/local-world.ts';
import { DynamoStatusStore } from '../../shared/aws/status-store.ts';
import { toFqdn } from '../../shared/core/dns-name.ts';
import { answer } from '../../shared/core/route53-answer.ts';
import type { ResourceRecordSet } from '../../shared/core/route53-types.ts';
import { reconcile } from '../../shared/reconcile/reconcile.ts';
import { checkLines, makeWorld, recordLines, writeCalls, ZONE } from '../fixtures/world.ts';

export const NAME = 'resilient-site.example.com';
export const OTHER_ZONE = 'Z0OTHERZONE000000';

/** One change a user makes: the row before (built without faults) and the row after, or its removal. */
export interface Scenario {
  name: string;
  before?: Record<string, unknown>;
  after: Record<string, unknown> | 'delete';
  /** Every tier id either row has, to try each combination of healthy tiers. */
  tiers: readonly string[];
}

/** What Route 53, CloudWatch and the status table hold once a run is quiet. */
interface Outcome {
  records: string[];
  checks: string[];
  alarms: string[];
  state: string | undefined;
}

/** Which target Route 53 answers for each combination of healthy tiers (key: the healthy tiers). */
function answers(world: LocalWorld, tiers: readonly string[], zone = ZONE): Map<string, string> {
  const byTier = new Map<string, string[]>();
  for (const [id, check] of world.route53.healthChecks) {
    const tier = check.tags.get('failover-chains:tier') ?? '';
    byTier.set(tier, [...(byTier.get(tier) ?? []), id]);
  }
  const result = new Map<string, string>();
  for (let mask = 0; mask < 1 << tiers.length; mask++) {
    const up = tiers.filter((_, i) => mask & (1 << i));
    const healthy = new Set(up.flatMap((tier) => byTier.get(tier) ?? []));
    const path = answer(
      world.route53.records(zone) as ResourceRecordSet[],
      healthy,
      toFqdn(NAME),
      'CNAME',
    ).path;
    const last = path.at(-1);
    result.set(up.join(','), last?.ResourceRecords?.[0]?.Value ?? last?.AliasTarget?.DNSName ?? '(none)');
  }
  return result;
}

async function outcome(world: LocalWorld): Promise<Outcome> {
  return {
    records: [...recordLines(world), ...recordLines(world, OTHER_ZONE)],
    checks: checkLines(world).map((line) => line.replace(/ v\d+$/, '')),
    alarms: [...world.cloudwatch.alarms.keys()].sort(),
    // Read with the test's own client, which no fault touches.
    state: (await new DynamoStatusStore(world.dynamodb, world.tables.status).get(NAME))?.state,
  };
}

/** Reconcile until a run writes nothing (a fault may fail the first runs). */
async function untilQuiet(world: LocalWorld, check: () => void): Promise<void> {
  for (let run = 0; run < 6; run++) {
    const before = writeCalls(world).length;
    let failed = false;
    try {
      await reconcile(NAME, world.deps);
    } catch {
      failed = true; // the trigger retries: so do we
    }
    check();
    if (!failed && writeCalls(world).length === before) return;
  }
  throw new Error('reconcile did not settle in 6 runs');
}

async function world(plan: FaultPlan): Promise<LocalWorld> {
  return makeWorld({
    faults: plan,
    zones: [
      { id: ZONE, name: 'example.com' },
      { id: OTHER_ZONE, name: 'example.com' },
    ],
  });
}

/** Run a scenario with `plan`; returns the world (the caller destroys it) and the first call of the change. */
async function play(
  scenario: Scenario,
  plan: FaultPlan,
  check: (w: LocalWorld) => void,
  beforeChange: (w: LocalWorld) => void = () => undefined,
) {
  const w = await world(plan);
  if (scenario.before) {
    await w.chains.put(scenario.before);
    await untilQuiet(w, () => undefined);
  }
  beforeChange(w);
  const start = plan.callCount;
  if (scenario.after === 'delete') await w.chains.remove(NAME);
  else await w.chains.put(scenario.after);
  await untilQuiet(w, () => {
    check(w);
  });
  return { w, start };
}

/** The calls a scenario's change makes when nothing fails: `[start, end)` of a run's call numbers. */
export async function measure(scenario: Scenario): Promise<Measured> {
  const plan = new FaultPlan();
  let before = new Map<string, string>();
  const { w, start } = await play(
    scenario,
    plan,
    () => undefined,
    (current) => {
      before = answers(current, scenario.tiers);
    },
  );
  try {
    return {
      start,
      end: plan.callCount,
      expected: await outcome(w),
      before,
      after: answers(w, scenario.tiers),
    };
  } finally {
    w.destroy();
  }
}

/** A fault-free run of a scenario: its change's call numbers, final state and answers before and after. */
export interface Measured {
  start: number;
  end: number;
  expected: Outcome;
  before: Map<string, string>;
  after: Map<string, string>;
}

/**
 * Fail every AWS call of a scenario's change in turn, with each kind of fault, then reconcile
 * until quiet. At every state a fault leaves, Route 53 answers for each combination of healthy
 * tiers as before the change or as after it; at the end everything matches the fault-free run,
 * with no orphan and no duplicate, and no problem was alerted twice.
 */
export async function sweep(
  scenario: Scenario,
  measured: Measured,
  kinds: readonly FaultKind[],
): Promise<void> {
  for (let at = measured.start; at < measured.end; at++) {
    for (const kind of kinds) {
      const plan = new FaultPlan([{ at, kind }]);
      const { w } = await play(scenario, plan, (current) => {
        for (const [healthy, target] of answers(current, scenario.tiers)) {
          const allowed = [measured.before.get(healthy), measured.after.get(healthy)];
          expect(allowed, `${kind} at call ${at}, healthy [${healthy}]`).toContain(target);
        }
      });
      try {
        expect(await outcome(w), `${kind} at call ${at}`).toEqual(measured.expected);
        // Only a publish whose reply was lost may reach subscribers twice (SNS took it; the SDK
        // could not know): the alert's id lets them drop the copy.
        const lostPublish = plan.injected.some(
          (call) => call.service === 'sns' && call.fault === 'reply-lost',
        );
        const subjects = w.sns.published.map((m) => m.subject);
        const duplicates = subjects.length - new Set(subjects).size;
        expect(duplicates, `${kind} at call ${at}: ${subjects.join(' | ')}`).toBe(lostPublish ? 1 : 0);
      } finally {
        w.destroy();
      }
    }
  }
}
