import { Logger } from '@aws-lambda-powertools/logger';
import { afterEach, describe, expect, it } from 'vitest';
import { makeResyncHandler } from '../../functions/resync.ts';
import { makeRig, type Rig } from '../fixtures/alarm-rig.ts';
import { seedRow } from '../fixtures/chains.ts';

const NAME = 'resilient-site.example.com';

let rig: Rig | undefined;
afterEach(() => {
  rig?.world.destroy();
  rig = undefined;
});

const events = (r: Rig) => r.published().map((p) => p.event);

/** Fail or recover a tier one minute from now and deliver its alarm event. */
async function step(r: Rig, tier: string, healthy: boolean) {
  r.tick(60);
  await r.setHealth(tier, healthy);
  await r.deliver();
}

const schedule = (r: Rig) => makeResyncHandler(() => r.world.deps, new Logger({ logLevel: 'SILENT' }))();

describe('review: alerts missing under manual failback', () => {
  // Issue item 4: a held tier's recovery "goes through the flap guard like every other flip", so
  // during flapping it is summarised, not dropped. Here the only recovery of a held tier happens
  // while the chain is flapping: its FAILBACK_PENDING is held back, and the SETTLED summary only
  // says "settled on tertiary". The operator is never told that primary is healthy again and
  // traffic waits for `chains failback`: the chain stays on its last resort indefinitely.
  it('tells the operator a failback is pending once a flapping manual-failback chain settles', async () => {
    rig = await makeRig({ ...seedRow(), failback: 'manual' }, { flap: { maxFlips: 2, windowSeconds: 600 } });
    await step(rig, 'primary', false);
    await step(rig, 'secondary', false);
    await step(rig, 'primary', true);
    expect(events(rig)).toEqual(['TIER_CHANGED', 'TIER_CHANGED', 'FLAPPING']);

    rig.tick(700);
    await schedule(rig);
    const status = await rig.world.deps.status.get(NAME);
    expect(status?.heldTiers).toContain('primary');
    expect(status?.tierHealth?.primary).toBe('healthy');
    expect(events(rig)).toContain('SETTLED');
    const told = rig.world.sns.published.some((m) => m.text.includes(`chains failback ${NAME}`));
    expect(told).toBe(true);
  });
});
