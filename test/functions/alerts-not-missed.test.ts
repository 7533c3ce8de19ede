import { Logger } from '@aws-lambda-powertools/logger';
import { afterEach, describe, expect, it } from 'vitest';
import { makeResyncHandler } from '../../functions/resync.ts';
import type { LocalWorld } from '../../local/local-world.ts';
import { formatChainTree, formatStatusTable } from '../../cli/format-status.ts';
import type { ServingDeps } from '../../shared/ports.ts';
import { reconcile } from '../../shared/reconcile/reconcile.ts';
import { makeRig, type Rig } from '../fixtures/alarm-rig.ts';
import { elbTier, seedRow } from '../fixtures/chains.ts';
import { makeWorld, markFlapping } from '../fixtures/world.ts';

const NAME = 'resilient-site.example.com';

let world: LocalWorld | undefined;
let rig: Rig | undefined;
afterEach(() => {
  rig?.world.destroy();
  world?.destroy();
  rig = world = undefined;
});

const events = (r: Rig) => r.published().map((p) => p.event);

/** Fail or recover a tier one minute from now and deliver its alarm event. */
async function step(r: Rig, tier: string, healthy: boolean) {
  r.tick(60);
  await r.setHealth(tier, healthy);
  await r.deliver();
}

describe('failovers nobody was told about', () => {
  it('alerts a failover at once when a chain that flapped has been quiet for a whole window', async () => {
    rig = await makeRig(seedRow(), { flap: { maxFlips: 2, windowSeconds: 600 } });
    for (const healthy of [false, true, false]) await step(rig, 'primary', healthy);
    expect(events(rig)).toEqual(['TIER_CHANGED', 'RECOVERED', 'FLAPPING']);

    // Quiet for longer than the window, and no schedule ran the settle check: then primary
    // comes back, a real change the operator must hear about now, after the summary.
    rig.tick(700);
    await step(rig, 'primary', true);
    expect(events(rig).slice(3)).toEqual(['SETTLED', 'RECOVERED']);
    expect(rig.published().at(-2)!.subject).toBe(`${NAME}: settled on secondary`);
    expect((await rig.world.deps.status.get(NAME))?.flappingSince).toBeUndefined();
  });

  it('goes on observing a live chain whose row became invalid, from the build Route 53 still has', async () => {
    rig = await makeRig();
    await rig.world.chains.put({ ...seedRow(), ttl: -1 });
    await reconcile(NAME, rig.world.deps);
    expect((await rig.world.deps.status.get(NAME))?.state).toBe('INVALID');

    await step(rig, 'primary', false);
    expect(events(rig)).toEqual(['CHAIN_INVALID', 'TIER_CHANGED']);
    expect(await rig.world.deps.status.get(NAME)).toMatchObject({
      state: 'INVALID',
      servingTier: 'secondary',
    });
    const history = await rig.world.deps.history.list(NAME);
    expect(history.map((h) => `${h.event} ${h.from}->${h.to}`)).toEqual(['TIER_CHANGED primary->secondary']);
  });

  it('sends a held tier\u2019s recoveries through the flap guard: a few, then FLAPPING, not one per recovery', async () => {
    rig = await makeRig({ ...seedRow(), failback: 'manual' });
    await step(rig, 'primary', false);
    for (let i = 0; i < 8; i++) {
      await step(rig, 'primary', true);
      await step(rig, 'primary', false);
    }
    // Defaults: more than 4 flips in 15 minutes is flapping.
    expect(events(rig)).toEqual([
      'TIER_CHANGED',
      'FAILBACK_PENDING',
      'FAILBACK_PENDING',
      'FAILBACK_PENDING',
      'FLAPPING',
    ]);
    expect((await rig.world.deps.status.get(NAME))?.heldTiers).toEqual(['primary']);
  });
});

describe('the schedule', () => {
  it("sends each settled chain's summary even when another chain's settle check fails", async () => {
    let now = Date.parse('2026-11-24T03:00:00.000Z');
    world = await makeWorld({ clock: () => new Date(now), flap: { maxFlips: 1, windowSeconds: 600 } });
    const names = [`a.${NAME}`, `b.${NAME}`];
    for (const name of names) {
      await world.chains.put({ ...seedRow(), name });
      await reconcile(name, world.deps);
      await markFlapping(world, name);
    }
    now += 15 * 60_000;
    // CloudWatch fails for the first chain's alarms only.
    const base = world.deps;
    const deps: ServingDeps = {
      ...base,
      alarms: {
        ...base.alarms,
        describe: (alarmNames) =>
          alarmNames.some((n) => n.includes(`a.${NAME}`))
            ? Promise.reject(new Error('ServiceUnavailable'))
            : base.alarms.describe(alarmNames),
        listByPrefix: (prefix) => base.alarms.listByPrefix(prefix),
        put: (spec, tags) => base.alarms.put(spec, tags),
        delete: (alarmNames) => base.alarms.delete(alarmNames),
      },
    };
    await makeResyncHandler(() => deps, new Logger({ logLevel: 'SILENT' }))();
    expect(world.sns.published.map((m) => m.subject)).toEqual([`b.${NAME}: settled on primary`]);
  });
});

describe('edits that move traffic', () => {
  const edited = (edit: (row: ReturnType<typeof seedRow>) => void) => {
    const row = seedRow();
    edit(row);
    return { ...row, changedBy: 'bob' };
  };

  for (const [what, edit, line, serving] of [
    [
      'reordering the tiers',
      (row: ReturnType<typeof seedRow>) => {
        row.tiers = [row.tiers[1]!, row.tiers[0]!, row.tiers[2]!];
      },
      '- reordered tiers primary, secondary, tertiary -> secondary, primary, tertiary',
      'secondary',
    ],
    [
      "changing the serving tier's target",
      (row: ReturnType<typeof seedRow>) => {
        row.tiers[0]!.target = 'new-primary.resilient-site.example.com';
      },
      '- primary now points at new-primary.resilient-site.example.com (was primary.resilient-site.example.com)',
      'primary',
    ],
    [
      'removing the serving tier',
      (row: ReturnType<typeof seedRow>) => {
        row.tiers = row.tiers.slice(1);
      },
      '- removed tier primary',
      'secondary',
    ],
  ] as const) {
    it(`alerts ${what}: what changed, who, what serves now; and records it in history`, async () => {
      rig = await makeRig();
      await rig.world.chains.put(edited(edit));
      await reconcile(NAME, rig.world.deps);
      const [alert] = rig.world.sns.published;
      expect(alert?.attributes).toMatchObject({ event: 'EDIT_MOVED_TRAFFIC', tier: serving });
      expect(alert?.text.split('\n')).toEqual(
        expect.arrayContaining([
          line,
          'By: bob',
          expect.stringMatching(`^Now serving: ${serving} \\(was primary\\)`),
        ]),
      );
      const [entry] = await rig.world.deps.history.list(NAME);
      expect(entry).toMatchObject({ event: 'EDIT_MOVED_TRAFFIC', from: 'primary', to: serving, by: 'bob' });
      expect(entry?.changes).toContain(line.slice(2));
    });
  }

  it('stays quiet for an edit that does not move traffic', async () => {
    rig = await makeRig();
    await rig.world.chains.put(
      edited((row) => {
        row.ttl = 30;
        row.tiers[2]!.target = 'elsewhere.resilient-site.example.com';
      }),
    );
    await reconcile(NAME, rig.world.deps);
    expect(rig.world.sns.published).toEqual([]);
    expect(await rig.world.deps.history.list(NAME)).toEqual([]);
  });
});

describe('a tier the system cannot observe', () => {
  it('never claims for certain that an alias tier judged by its target health serves', async () => {
    const row = {
      name: 'shop.example.com',
      hostedZoneId: 'Z0123456789EXAMPLE',
      recordType: 'A',
      tiers: [
        { id: 'eu', target: '3.3.3.1', healthCheck: { type: 'HTTP', ip: '3.3.3.1' } },
        elbTier('lb'),
        { id: 'static', target: '3.3.3.9' },
      ],
    };
    rig = await makeRig(row);
    rig.tick(60);
    const status = (await rig.world.deps.status.get('shop.example.com'))!;
    rig.world.cloudwatch.setState(
      status.alarms.eu!,
      'ALARM',
      'test',
      new Date(Date.parse(status.updatedAt) + 60_000),
    );
    await rig.deliver();
    const [alert] = rig.world.sns.published;
    expect(alert?.subject).toBe('shop.example.com: eu -> lb');
    expect(alert?.text).toContain('Tiers: eu DOWN, lb not observed (serving), static unchecked');
    expect(alert?.text).toContain(
      "Not observed: lb is an alias whose target's health Route 53 evaluates and this system cannot see; if that target is unhealthy, Route 53 serves a later tier.",
    );
    expect(alert?.json).toMatchObject({ to: 'lb', servingObserved: false });
    const [entry] = await rig.world.deps.history.list('shop.example.com');
    expect(entry).toMatchObject({ to: 'lb', toUnobserved: true });
    const after = (await rig.world.deps.status.get('shop.example.com'))!;
    expect(formatStatusTable([after]).split('\n')[1]).toMatch(/^shop\.example\.com\s+IN_SYNC\s+lb\?\s/);
    expect(formatChainTree(after.applied, after).split('\n')[1]).toMatch(/^ {2}\? lb is not observed/);
  });
});
