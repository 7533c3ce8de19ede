import { afterEach, describe, expect, it } from 'vitest';
import type { ServingDeps } from '../../shared/ports.ts';
import { observeServing } from '../../shared/serving/observe-serving.ts';
import { makeRig, type Rig } from '../fixtures/alarm-rig.ts';

const NAME = 'resilient-site.example.com';

let rig: Rig | undefined;
afterEach(() => {
  rig?.world.destroy();
  rig = undefined;
});

/** A promise and the function that settles it. */
function gate(): { open: () => void; opened: Promise<void> } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

describe('review: concurrent alarm handlers', () => {
  // Two alarm handlers see one flip (EventBridge redelivers, or two alarms change together). The
  // issue: "the system itself never publishes one alert id twice except after a lost reply from
  // SNS"; the README: "of duplicate or concurrent handlers only the one whose write wins alerts".
  // Here nothing fails and no reply is lost, yet the subscriber receives the TIER_CHANGED twice:
  // the handler whose write lost the race retries, finds the winner's outbox entry (same content,
  // so same id) still pending, and publishes it too while the winner is publishing it.
  it('publishes one flip once when two handlers observe it together and nothing fails', async () => {
    rig = await makeRig();
    const world = rig.world;
    rig.tick(60);
    await rig.setHealth('primary', false);

    const bRead = gate();
    const aSaved = gate();
    const bDone = gate();
    let bReads = 0;
    // Handler A: writes after B has read, publishes once B has finished.
    const a: ServingDeps = {
      ...world.deps,
      status: {
        ...world.deps.status,
        get: (name) => world.deps.status.get(name),
        list: () => world.deps.status.list(),
        save: async (status, expected) => {
          await bRead.opened;
          await world.deps.status.save(status, expected);
          aSaved.open();
        },
      },
      alerts: {
        publish: async (alert) => {
          await bDone.opened;
          await world.deps.alerts.publish(alert);
        },
      },
    };
    // Handler B: reads before A writes, writes after A did.
    const b: ServingDeps = {
      ...world.deps,
      status: {
        ...world.deps.status,
        get: async (name) => {
          const stored = await world.deps.status.get(name);
          if (++bReads === 1) bRead.open();
          return stored;
        },
        list: () => world.deps.status.list(),
        save: async (status, expected) => {
          await aSaved.opened;
          await world.deps.status.save(status, expected);
        },
      },
    };
    const first = observeServing(NAME, a);
    await observeServing(NAME, b).finally(bDone.open);
    await first;

    const ids = world.sns.published.map((m) => m.attributes.alertId);
    expect(rig.published().map((p) => p.event)).toEqual(['TIER_CHANGED']);
    expect(ids).toHaveLength(1);
  });
});
