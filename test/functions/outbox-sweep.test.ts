import { Logger } from '@aws-lambda-powertools/logger';
import { afterEach, describe, expect, it } from 'vitest';
import { makeOutboxSweepHandler } from '../../functions/outbox-sweep.ts';
import { FaultPlan } from '../../local/faults.ts';
import type { ServingDeps } from '../../shared/ports.ts';
import { observeServing } from '../../shared/serving/observe-serving.ts';
import { makeRig, type Rig } from '../fixtures/alarm-rig.ts';
import { seedRow } from '../fixtures/chains.ts';

// The outbox sweep as the stack runs it, every minute, through its real handler over DynamoDB
// Local and the SNS stand-in: what a writer could not publish reaches the topic within a minute,
// what a writer may still be publishing is left to it, and nothing is sent twice by two sweeps.

const NAME = 'resilient-site.example.com';
const silent = new Logger({ logLevel: 'SILENT' });

let rig: Rig | undefined;
afterEach(() => {
  rig?.world.destroy();
  rig = undefined;
});

/** The outbox sweep's handler on the rig's world, as the minute's schedule invokes it. */
const sweeper = (r: Rig) => makeOutboxSweepHandler(() => r.world.deps, silent);

/** Fail the primary one minute from now, with the alerts topic gone (SNS answers NotFound). */
async function failoverWhileSnsRefuses(r: Rig): Promise<void> {
  r.world.sns.removeTopic(r.world.topicArn);
  r.tick(60);
  await r.setHealth('primary', false);
  await r.deliver();
  expect(r.world.sns.published).toHaveLength(0);
}

const outboxOf = async (r: Rig) => Object.values((await r.world.deps.status.get(NAME))?.outbox ?? {});

describe('the outbox sweep, every minute', () => {
  it('an alert whose publish failed reaches the topic within about a minute', async () => {
    rig = await makeRig();
    await failoverWhileSnsRefuses(rig);
    const [waiting] = await outboxOf(rig);
    expect(waiting?.alert?.event).toBe('TIER_CHANGED');

    // SNS takes messages again; the next minute's sweep delivers.
    rig.world.sns.addTopic(rig.world.topicArn);
    rig.tick(60);
    await sweeper(rig)();

    expect(rig.published().map((p) => `${p.event} ${p.tier}`)).toEqual(['TIER_CHANGED secondary']);
    expect(rig.world.sns.published[0]!.attributes.alertId).toBe(waiting!.id);
    expect(await outboxOf(rig)).toEqual([]);
    expect(await rig.world.deps.status.outboxesDue(rig.world.deps.clock().toISOString())).toEqual([]);
    // Nothing is left to send twice.
    rig.tick(60 * 60);
    await sweeper(rig)();
    expect(rig.world.sns.published).toHaveLength(1);
  });

  it('leaves an entry to a writer that may still be publishing it, for Lambda’s longest timeout', async () => {
    rig = await makeRig();
    rig.tick(60);
    await rig.setHealth('primary', false);
    // A writer whose publish never returns (it hangs until its Lambda times out).
    let publishing = 0;
    const hung: ServingDeps = {
      ...rig.world.deps,
      alerts: {
        publish: () => {
          publishing += 1;
          return new Promise<void>(() => undefined);
        },
      },
    };
    void observeServing(NAME, hung);
    await expect.poll(() => publishing).toBe(1);
    // Recorded with its history entry (written already, but not yet cleared: the writer hangs).
    expect((await outboxOf(rig)).flatMap((e) => e.alert?.event ?? [])).toEqual(['TIER_CHANGED']);

    rig.tick(60);
    await sweeper(rig)();
    rig.tick(13 * 60);
    await sweeper(rig)();
    expect(rig.world.sns.published).toHaveLength(0);

    rig.tick(60 + 60);
    await sweeper(rig)();
    expect(rig.published().map((p) => p.event)).toEqual(['TIER_CHANGED']);
    expect(await outboxOf(rig)).toEqual([]);
  });

  it('sends an alert once when two sweeps run at once', async () => {
    rig = await makeRig();
    await failoverWhileSnsRefuses(rig);
    rig.world.sns.addTopic(rig.world.topicArn);
    rig.tick(60);

    await Promise.all([sweeper(rig)(), sweeper(rig)(), sweeper(rig)()]);

    expect(rig.published().map((p) => p.event)).toEqual(['TIER_CHANGED']);
    expect(await outboxOf(rig)).toEqual([]);
  });

  it('backs off while SNS refuses, fails so the operations alarm hears of it, and delivers once SNS is back', async () => {
    rig = await makeRig();
    const attempts = () => rig!.world.sns.calls.length;
    await failoverWhileSnsRefuses(rig);
    expect(attempts()).toBe(1);

    let failedSweeps = 0;
    for (let minute = 1; minute <= 60; minute++) {
      rig.tick(60);
      await sweeper(rig)().catch((error: unknown) => {
        expect(error).toMatchObject({
          name: 'UndeliveredError',
          message: expect.stringContaining('NotFoundException') as unknown,
        });
        failedSweeps += 1;
      });
    }
    // After the writer's try: minute 1, then 1, 2, 4, 8 and 15 minutes apart, not every minute.
    expect(attempts()).toBe(1 + 7);
    expect(failedSweeps).toBe(7);

    rig.world.sns.addTopic(rig.world.topicArn);
    for (let minute = 1; minute <= 15 && rig.world.sns.published.length === 0; minute++) {
      rig.tick(60);
      await sweeper(rig)().catch(() => undefined);
    }
    expect(rig.published().map((p) => p.event)).toEqual(['TIER_CHANGED']);
  });

  it('costs one scan of the outbox index on a minute with nothing due', async () => {
    const faults = new FaultPlan();
    rig = await makeRig(seedRow(), { faults });
    rig.tick(60);
    await rig.setHealth('primary', false);
    await rig.deliver();
    expect(rig.published().map((p) => p.event)).toEqual(['TIER_CHANGED']);

    const before = faults.calls.length;
    rig.tick(60);
    await sweeper(rig)();
    expect(faults.calls.slice(before).map((c) => `${c.service} ${c.command}`)).toEqual([
      'dynamodb ScanCommand',
    ]);
  });
});
