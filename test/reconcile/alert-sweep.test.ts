import { Logger } from '@aws-lambda-powertools/logger';
import { describe, expect, it } from 'vitest';
import { makeHealthAlarmHandler } from '../../functions/health-alarm.ts';
import { alarmStateChangeEvent } from '../../local/alarm-events.ts';
import { FaultPlan, type FaultKind } from '../../local/faults.ts';
import type { LocalWorld } from '../../local/local-world.ts';
import { DynamoStatusStore } from '../../shared/aws/status-store.ts';
import { OUTBOX_SWEEP_AFTER_MS, sweepDueOutboxes, sweepOutbox } from '../../shared/reconcile/outbox.ts';
import { reconcile } from '../../shared/reconcile/reconcile.ts';
import { observeServing } from '../../shared/serving/observe-serving.ts';
import { seedRow } from '../fixtures/chains.ts';
import { makeWorld, ZONE } from '../fixtures/world.ts';
import { readmeCount } from '../fixtures/readme.ts';

// The alert path under faults: for each scenario that alerts, a failure is injected at each
// DynamoDB and SNS call the trigger makes (status write, history write, publish, the outbox
// clear), as refused, throttled past every retry, and applied-with-the-reply-lost; the trigger
// is then delivered again (as Lambda retries it), the outbox sweep runs a minute later and the
// schedule's sweep once its time comes; a refused publish must be out after the minute's sweep. Exactly the alerts of a fault-free run must reach the topic (same ids, same content),
// each once, except after a lost reply or a failure between publishing and clearing the outbox
// (then the same id twice), and the history must be the fault-free run's.

const NAME = 'resilient-site.example.com';
const START = Date.parse('2026-11-24T03:00:00.000Z');

interface Run {
  world: LocalWorld;
  tick: (seconds: number) => void;
  /** Set a tier's health and return the alarm events it raised. */
  setHealth: (tier: string, healthy: boolean) => Promise<unknown[]>;
  handle: (event: unknown) => Promise<unknown>;
}

interface Scenario {
  name: string;
  row?: () => Record<string, unknown>;
  /** Brings the world to just before the trigger, fault-free. */
  prepare: (run: Run) => Promise<void>;
  /** What happens (never faulty); returns the delivery of its event, which may be repeated. */
  trigger: (run: Run) => Promise<() => Promise<unknown>>;
}

const down = (tier: string) => async (run: Run) => {
  run.tick(60);
  for (const event of await run.setHealth(tier, false)) await run.handle(event);
};
const alarmTrigger = (tier: string, healthy: boolean) => async (run: Run) => {
  run.tick(60);
  const events = await run.setHealth(tier, healthy);
  return async () => {
    for (const event of events) await run.handle(event);
  };
};
const reconcileTrigger = (edit: (run: Run) => Promise<void>) => async (run: Run) => {
  await edit(run);
  return () => reconcile(NAME, run.world.deps);
};
const checkedLastTier = () => {
  const row = seedRow();
  row.tiers[2]!.healthCheck = { type: 'HTTP', ip: '3.3.3.3', port: 8888 };
  return row;
};

const SCENARIOS: Scenario[] = [
  { name: 'flip', prepare: async () => {}, trigger: alarmTrigger('primary', false) },
  { name: 'recovery', prepare: down('primary'), trigger: alarmTrigger('primary', true) },
  {
    name: 'all down',
    row: checkedLastTier,
    prepare: async (run) => {
      await down('primary')(run);
      await down('secondary')(run);
    },
    trigger: alarmTrigger('tertiary', false),
  },
  {
    name: 'flap',
    prepare: async (run) => {
      for (const healthy of [false, true]) {
        run.tick(60);
        for (const event of await run.setHealth('primary', healthy)) await run.handle(event);
      }
    },
    trigger: alarmTrigger('primary', false),
  },
  {
    name: 'settle',
    prepare: async (run) => {
      for (const healthy of [false, true, false]) {
        run.tick(60);
        for (const event of await run.setHealth('primary', healthy)) await run.handle(event);
      }
      run.tick(FLAP_WINDOW_SECONDS + 60);
    },
    trigger: (run) => Promise.resolve(() => observeServing(NAME, run.world.deps)),
  },
  {
    name: 'failback pending',
    row: () => ({ ...seedRow(), failback: 'manual' }),
    prepare: down('primary'),
    trigger: alarmTrigger('primary', true),
  },
  {
    name: 'invalid row',
    prepare: async () => {},
    trigger: reconcileTrigger(async ({ world }) => {
      await world.chains.put({ ...seedRow(), ttl: -1 });
    }),
  },
  {
    name: 'conflict',
    row: () => ({ ...seedRow(), name: `other.${NAME}` }),
    prepare: async ({ world }) => {
      await world.deps.route53.changeRecords(
        ZONE,
        [
          {
            Action: 'CREATE',
            ResourceRecordSet: {
              Name: `${NAME}.`,
              Type: 'A',
              TTL: 60,
              ResourceRecords: [{ Value: '9.9.9.9' }],
            },
          },
        ],
        'made by hand',
      );
    },
    trigger: reconcileTrigger(async ({ world }) => {
      await world.chains.put(seedRow());
    }),
  },
  {
    name: 'control change',
    prepare: async () => {},
    trigger: reconcileTrigger(async ({ world }) => {
      await world.chains.put({ ...seedRow(), drain: ['primary'], changedBy: 'alice' });
    }),
  },
];

const FLAP_WINDOW_SECONDS = 600;
const KINDS: { kind: FaultKind; attempts: number }[] = [
  { kind: 'refused', attempts: 1 },
  { kind: 'throttle', attempts: 99 },
  { kind: 'reply-lost', attempts: 1 },
];

interface Outcome {
  /** Each published alert document (its identity), in order. */
  alerts: string[];
  history: string[];
  outboxLeft: number;
  serving: string | undefined;
  state: string | undefined;
}

async function play(
  scenario: Scenario,
  faults: FaultPlan,
  from?: number,
): Promise<Outcome & { base: number; end: number; withinAMinute: string[] }> {
  let now = START;
  const world = await makeWorld({
    clock: () => new Date(now),
    faults,
    flap: { maxFlips: 2, windowSeconds: FLAP_WINDOW_SECONDS },
  });
  try {
    // The test's own reads stay apart from the faults.
    const statuses = new DynamoStatusStore(world.dynamodb, world.tables.status);
    const log = new Logger({ logLevel: 'SILENT' });
    const handler = makeHealthAlarmHandler(() => world.deps, log);
    const events: unknown[] = [];
    world.cloudwatch.onStateChange((change) => events.push(alarmStateChangeEvent(change)));
    const run: Run = {
      world,
      tick: (seconds) => {
        now += seconds * 1000;
      },
      setHealth: async (tier, healthy) => {
        const status = (await statuses.get(NAME))!;
        const id = status.healthChecks[tier]!.id!;
        if (healthy) world.route53.unhealthy.delete(id);
        else world.route53.unhealthy.add(id);
        world.cloudwatch.setState(status.alarms[tier]!, healthy ? 'OK' : 'ALARM', 'test', new Date(now));
        return events.splice(0);
      },
      handle: (event) => handler(event),
    };
    const row = (scenario.row ?? seedRow)();
    await world.chains.put(row);
    await reconcile(row.name as string, world.deps);
    await scenario.prepare(run);
    const base = faults.callCount;
    const before = world.sns.published.length;
    if (from !== undefined && from !== base) throw new Error(`prepare made ${base} calls, expected ${from}`);
    // The event, then its redelivery (the event source retries a failed invocation).
    const deliver = await scenario.trigger(run);
    await deliver().catch(() => undefined);
    await deliver().catch(() => undefined);
    const end = faults.callCount;
    // The outbox sweep, a minute later: it takes what the writer released.
    run.tick(60);
    await sweepDueOutboxes(world.deps);
    const withinAMinute = world.sns.published.slice(before).map((m) => canonical(m.json));
    // The schedule, once the writer has surely gone.
    run.tick(OUTBOX_SWEEP_AFTER_MS / 1000);
    await sweepOutbox(await world.deps.status.list(), world.deps);
    const status = await statuses.get(NAME);
    return {
      base,
      end,
      withinAMinute,
      alerts: world.sns.published.slice(before).map((m) => canonical(m.json)),
      history: (await world.deps.history.list(NAME)).map((h) => JSON.stringify(h)),
      outboxLeft: Object.keys(status?.outbox ?? {}).length,
      serving: status?.servingTier,
      state: status?.state,
    };
  } finally {
    world.destroy();
  }
}

/** JSON with sorted keys: an alert read back from the outbox has its keys in another order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => a.localeCompare(b)))
      : inner,
  );
}

/** The fault-free run of a scenario and the calls of its alert path, where faults go. */
async function cleanRun(scenario: Scenario) {
  const counting = new FaultPlan();
  const clean = await play(scenario, counting);
  const points = counting.calls.filter(
    (call) =>
      call.attempt === 1 &&
      call.index >= clean.base &&
      call.index < clean.end &&
      (call.service === 'sns' || call.service === 'dynamodb'),
  );
  return { clean, points };
}

// Run fault-free first, so each test's name can say how many faults it injects.
const runs: ({ scenario: Scenario } & Awaited<ReturnType<typeof cleanRun>>)[] = [];
for (const scenario of SCENARIOS) runs.push({ scenario, ...(await cleanRun(scenario)) });

describe('every alert reaches the topic once, whatever fails on the alert path', () => {
  it('the README states how many cases', () => {
    const total = runs.reduce((sum, run) => sum + run.points.length * KINDS.length, 0);
    expect(readmeCount('**{n} cases**')).toBe(total);
  });
  for (const { scenario, clean, points } of runs) {
    const cases = points.length * KINDS.length;
    it(`${scenario.name}: ${cases} injected faults`, { timeout: 300_000 }, async () => {
      expect(clean.alerts.length, 'the scenario alerts').toBeGreaterThan(0);
      expect(clean.outboxLeft).toBe(0);
      const publishAt = points.filter((p) => p.command === 'PublishCommand').map((p) => p.index);
      expect(publishAt.length).toBeGreaterThan(0);
      for (const point of points) {
        for (const { kind, attempts } of KINDS) {
          const faulty = await play(
            scenario,
            new FaultPlan([{ at: point.index, kind, attempts }]),
            clean.base,
          );
          const where = `${kind} at call ${point.index} (${point.command})`;
          // Every alert of the fault-free run, each once; twice only if the topic took it and
          // its sender never knew. The one other alert allowed: the failure itself, when a write
          // the reconcile needed was refused.
          const mayRepeat = kind === 'reply-lost' || publishAt.some((at) => at <= point.index);
          for (const alert of clean.alerts) {
            const copies = faulty.alerts.filter((a) => a === alert).length;
            expect(copies, `${where}: ${alert}`).toBeGreaterThanOrEqual(1);
            expect(copies, `${where}: ${alert}`).toBeLessThanOrEqual(mayRepeat ? 2 : 1);
          }
          const others = faulty.alerts.filter((a) => !clean.alerts.includes(a));
          expect(
            others.map((a) => (JSON.parse(a) as { event: string }).event),
            where,
          ).toEqual(kind === 'reply-lost' || others.length === 0 ? [] : ['RECONCILE_FAILED']);
          // A publish SNS refused (or throttled past every retry) is out a minute later.
          if (point.command === 'PublishCommand' && kind !== 'reply-lost') {
            for (const alert of clean.alerts)
              expect(faulty.withinAMinute, `${where}: ${alert}`).toContain(alert);
          }
          expect(faulty.history, where).toEqual(clean.history);
          expect(faulty.outboxLeft, where).toBe(0);
          expect([faulty.serving, faulty.state], where).toEqual([clean.serving, clean.state]);
        }
      }
    });
  }
});
