import { DeleteItemCommand } from '@aws-sdk/client-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import { reconcile } from '../../shared/reconcile/reconcile.ts';
import { observeServing } from '../../shared/serving/observe-serving.ts';
import { seedRow } from '../fixtures/chains.ts';
import { makeRig, type Rig } from '../fixtures/alarm-rig.ts';

const NAME = 'resilient-site.example.com';

let rig: Rig;
afterEach(() => {
  rig.world.destroy();
});

describe('health alarm handler', () => {
  it("alerts each step of the seed's failover and recovery, and keeps the history", async () => {
    rig = await makeRig();
    rig.tick(60);
    await rig.setHealth('primary', false);
    await rig.deliver();
    const first = rig.world.sns.published[0]!;
    expect(first.subject).toBe('resilient-site.example.com: primary -> secondary');
    expect(first.text).toBe(
      [
        'Chain resilient-site.example.com now serves tier secondary (was primary).',
        'Why: health check of primary failed',
        'When: 2026-11-24T03:01:00.000Z',
        'Tiers: primary DOWN, secondary up (serving), tertiary unchecked',
        'What to check: primary at HTTP 1.1.1.1:8888/',
        'Status: chains status resilient-site.example.com',
        `Alert id: ${first.attributes.alertId ?? 'missing'}`,
      ].join('\n'),
    );
    expect(first.attributes).toEqual({
      chain: NAME,
      event: 'TIER_CHANGED',
      severity: 'warning',
      tier: 'secondary',
      alertId: expect.stringMatching(/^[0-9a-f]{16}$/) as string,
    });
    expect(first.json).toEqual({
      schema: 'failover-chains.alert/v1',
      id: first.attributes.alertId,
      event: 'TIER_CHANGED',
      severity: 'warning',
      chain: NAME,
      tier: 'secondary',
      at: '2026-11-24T03:01:00.000Z',
      subject: 'resilient-site.example.com: primary -> secondary',
      from: 'primary',
      to: 'secondary',
      failed: ['primary'],
      recovered: [],
      health: { primary: 'unhealthy', secondary: 'healthy', tertiary: 'unchecked' },
      allDown: false,
    });

    rig.tick(60);
    await rig.setHealth('secondary', false);
    await rig.deliver();
    rig.tick(60);
    await rig.setHealth('secondary', true);
    await rig.deliver();
    rig.tick(60);
    await rig.setHealth('primary', true);
    await rig.deliver();

    expect(rig.published()).toEqual([
      {
        subject: 'resilient-site.example.com: primary -> secondary',
        event: 'TIER_CHANGED',
        tier: 'secondary',
      },
      {
        subject: 'resilient-site.example.com: secondary -> tertiary',
        event: 'TIER_CHANGED',
        tier: 'tertiary',
      },
      {
        subject: 'resilient-site.example.com: tertiary -> secondary',
        event: 'TIER_CHANGED',
        tier: 'secondary',
      },
      {
        subject: 'resilient-site.example.com: secondary -> primary (recovered)',
        event: 'RECOVERED',
        tier: 'primary',
      },
    ]);
    expect(rig.world.sns.published[3]!.attributes.severity).toBe('info');
    const history = await rig.world.deps.history.list(NAME);
    expect(history.map((h) => `${h.at} ${h.event} ${h.from}->${h.to}`)).toEqual([
      '2026-11-24T03:04:00.000Z RECOVERED secondary->primary',
      '2026-11-24T03:03:00.000Z TIER_CHANGED tertiary->secondary',
      '2026-11-24T03:02:00.000Z TIER_CHANGED secondary->tertiary',
      '2026-11-24T03:01:00.000Z TIER_CHANGED primary->secondary',
    ]);
    expect(await rig.world.deps.status.get(NAME)).toMatchObject({ servingTier: 'primary', allDown: false });
    expect(JSON.parse(rig.world.metrics.at(-1)!)).toMatchObject({
      Chain: NAME,
      ServingTier: 'primary',
      ServingTierIndex: 0,
    });
  });

  it('sends ALL_TIERS_DOWN when the checked last tier is down too', async () => {
    const row = seedRow();
    row.tiers[2]!.healthCheck = { type: 'HTTP', ip: '3.3.3.3', port: 8888 };
    rig = await makeRig(row);
    for (const tier of ['primary', 'secondary', 'tertiary']) {
      rig.tick(60);
      await rig.setHealth(tier, false);
      await rig.deliver();
    }
    expect(rig.published().map((p) => p.subject)).toEqual([
      'resilient-site.example.com: primary -> secondary',
      'resilient-site.example.com: secondary -> tertiary',
      'resilient-site.example.com: all tiers down, serving tertiary blind',
    ]);
    expect(rig.world.sns.published[2]!.attributes).toMatchObject({
      event: 'ALL_TIERS_DOWN',
      severity: 'critical',
    });
    expect(rig.world.sns.published[2]!.text).toContain("every tier's health check is failing");
  });

  it('sends one alert for duplicate, late and concurrent deliveries of one change', async () => {
    rig = await makeRig();
    rig.tick(60);
    await rig.setHealth('primary', false);
    const [event] = rig.events.splice(0);
    await Promise.all([rig.handle(event), rig.handle(event), rig.handle(event)]);
    await rig.handle(event);
    expect(rig.published().map((p) => p.event)).toEqual(['TIER_CHANGED']);
    expect(await rig.world.deps.history.list(NAME)).toHaveLength(1);

    // Primary recovers; the old "failed" event arriving afterwards is no news.
    rig.tick(60);
    await rig.setHealth('primary', true);
    await rig.deliver();
    await rig.handle(event);
    expect(rig.published().map((p) => p.event)).toEqual(['TIER_CHANGED', 'RECOVERED']);
  });

  it('never lets an older observation overwrite a newer one', async () => {
    rig = await makeRig();
    rig.tick(60);
    await rig.setHealth('primary', false);
    await rig.deliver();
    const status = (await rig.world.deps.status.get(NAME))!;
    await rig.world.deps.status.save(
      { ...status, revision: status.revision + 1, healthObservedAt: '2026-11-25T00:00:00.000Z' },
      status.revision,
    );
    expect((await observeServing(NAME, rig.world.deps)).outcome).toBe('stale');
  });

  it('says nothing and does not fail for an alarm of a chain that was deleted', async () => {
    rig = await makeRig();
    rig.tick(60);
    await rig.setHealth('primary', false);
    const [event] = rig.events.splice(0);
    await rig.world.dynamodb.send(
      new DeleteItemCommand({ TableName: rig.world.tables.chains, Key: { name: { S: NAME } } }),
    );
    await reconcile(NAME, rig.world.deps);
    await expect(rig.handle(event)).resolves.toMatchObject({ outcome: 'no-chain' });
    expect(rig.world.sns.published).toEqual([]);
  });

  it('moves a 5-tier chain past two tiers that fail together, in one alert', async () => {
    const row = {
      name: 'five.example.com',
      hostedZoneId: 'Z0123456789EXAMPLE',
      recordType: 'A',
      tiers: [1, 2, 3, 4, 5].map((n) => ({
        id: `t${n}`,
        target: `3.3.3.${n}`,
        ...(n < 5 ? { healthCheck: { type: 'HTTP' } } : {}),
      })),
    };
    rig = await makeRig(row);
    const setHealth = async (tier: string, healthy: boolean) => {
      const status = (await rig.world.deps.status.get('five.example.com'))!;
      rig.world.cloudwatch.setState(
        status.alarms[tier]!,
        healthy ? 'OK' : 'ALARM',
        'x',
        new Date('2026-11-24T03:05:00.000Z'),
      );
    };
    await setHealth('t1', false);
    await rig.deliver();
    await setHealth('t2', false);
    await setHealth('t3', false);
    await rig.deliver();
    expect(rig.published().map((p) => p.subject)).toEqual([
      'five.example.com: t1 -> t2',
      'five.example.com: t2 -> t4',
    ]);
    expect(rig.world.sns.published[1]!.json).toMatchObject({ failed: ['t2', 't3'], from: 't2', to: 't4' });
  });

  it('sends one FLAPPING alert for a flapping tier, then one summary once it is stable', async () => {
    rig = await makeRig(seedRow(), { flap: { maxFlips: 3, windowSeconds: 600 } });
    for (let i = 0; i < 4; i++) {
      rig.tick(30);
      await rig.setHealth('primary', false);
      await rig.deliver();
      rig.tick(30);
      await rig.setHealth('primary', true);
      await rig.deliver();
    }
    expect(rig.published().map((p) => p.event)).toEqual([
      'TIER_CHANGED',
      'RECOVERED',
      'TIER_CHANGED',
      'FLAPPING',
    ]);
    expect(rig.world.sns.published[3]!.subject).toBe(
      'resilient-site.example.com: flapping (4 flips in 10 min)',
    );
    expect(await rig.world.deps.history.list(NAME)).toHaveLength(8);

    rig.tick(300);
    await observeServing(NAME, rig.world.deps);
    expect(rig.published()).toHaveLength(4);
    rig.tick(600);
    await observeServing(NAME, rig.world.deps);
    expect(rig.published().slice(4)).toEqual([
      { subject: 'resilient-site.example.com: settled on primary', event: 'SETTLED', tier: 'primary' },
    ]);
    await observeServing(NAME, rig.world.deps);
    expect(rig.published()).toHaveLength(5);
  });
});
