import { Logger } from '@aws-lambda-powertools/logger';
import { afterEach, describe, expect, it } from 'vitest';
import { makeHealthAlarmHandler } from '../../functions/health-alarm.ts';
import { alarmStateChangeEvent } from '../../local/alarm-events.ts';
import type { LocalWorld } from '../../local/local-world.ts';
import { sharedFingerprint } from '../../shared/core/shared-checks.ts';
import { buildRequest, type BuildQueue, type BuildRequest } from '../../shared/reconcile/needs-builder.ts';
import { bindMethods } from '../../shared/reconcile/bind-methods.ts';
import { reconcile } from '../../shared/reconcile/reconcile.ts';
import { danglingChecks, makeSharedWorld, sharedAlarmOf, sharingRow } from '../fixtures/shared-world.ts';
import { ZONE } from '../fixtures/world.ts';

// A shared check deleted by hand: the alarm handler hands every user to the builder (deployed)
// or reconciles each (local). The deleted check is the one the alarm's name holds, whatever the
// registry names now, and every user is handed over even when one could not be observed, so no
// user is left on a check Route 53 no longer has until the next scheduled full run.

const A = 'a.example.com';
const B = 'b.example.com';
const C = 'c.example.com';
const SITE2 = { Type: 'HTTP', IPAddress: '2.2.2.2', Port: 8888 } as const;
const fp = sharedFingerprint(SITE2);

let world: LocalWorld;
afterEach(() => {
  world.destroy();
});

/** Check ids the zone's records use that Route 53 no longer has. */
const dangling = () => danglingChecks(world, ZONE);

/** A and B share the 2.2.2.2 check; its alarm has data. Returns the alarm events sent from now on. */
async function twoUsers(): Promise<Record<string, unknown>[]> {
  world = await makeSharedWorld();
  const events: Record<string, unknown>[] = [];
  world.cloudwatch.onStateChange((change) => events.push(alarmStateChangeEvent(change)));
  for (const row of [sharingRow(A, '1.1.1.1'), sharingRow(B, '1.1.1.2')]) {
    await world.chains.put(row);
    await reconcile(row.name as string, world.deps);
  }
  world.cloudwatch.setState(sharedAlarmOf(world, fp), 'OK', 'healthy', new Date());
  events.length = 0;
  return events;
}

/** Delete the shared check by hand; its alarm then reports missing data. */
async function deleteByHand(): Promise<string> {
  const gone = (await world.deps.sharedChecks!.get(fp))!.id!;
  world.route53.healthChecks.delete(gone);
  world.cloudwatch.setState(sharedAlarmOf(world, fp), 'INSUFFICIENT_DATA', 'no data', new Date());
  return gone;
}

/** A build queue that keeps what it accepted; `refuse` names entries it reports as failed. */
function recordingQueue(refuse: Set<string> = new Set()): BuildQueue & { accepted: BuildRequest[] } {
  const accepted: BuildRequest[] = [];
  return {
    accepted,
    request: (batch) => {
      const failed = batch.filter((r) => refuse.has(r.name)).map((r) => r.name);
      accepted.push(...batch.filter((r) => !refuse.has(r.name)));
      for (const name of failed) refuse.delete(name);
      return Promise.resolve(failed);
    },
  };
}

/** The builder: reconcile every accepted request once, in order. */
async function runBuilder(queue: { accepted: BuildRequest[] }): Promise<void> {
  for (const { name } of queue.accepted.splice(0)) await reconcile(name, world.deps);
}

describe('review: a shared check deleted by hand, its users repaired by the alarm handler', () => {
  it('moves every user off the deleted check when another chain joined first and replaced it', async () => {
    const events = await twoUsers();
    await deleteByHand();
    // While the alarm's event is on its way, a new chain with the same secondary joins: its
    // reconcile finds the check gone and makes the next generation (README, "Drift").
    await world.chains.put(sharingRow(C, '1.1.1.3'));
    await reconcile(C, world.deps);

    const handle = makeHealthAlarmHandler(() => world.deps, new Logger({ logLevel: 'SILENT' }));
    for (const event of events.splice(0)) await handle(event);

    // A and B still fail over on a check Route 53 does not have, until the next full run.
    expect(dangling()).toEqual([]);
  });

  it('moves every user off the deleted check when one entry of the builder request failed', async () => {
    const events = await twoUsers();
    await deleteByHand();
    // SendMessageBatch reports one entry failed (B's): the handler fails, the event is delivered again.
    const queue = recordingQueue(new Set([B]));
    const handle = makeHealthAlarmHandler(
      () => world.deps,
      new Logger({ logLevel: 'SILENT' }),
      () => queue,
    );
    const event = events.splice(0).at(-1)!;
    await expect(handle(event)).rejects.toThrow();
    // The builder works through what was queued (A makes the new check) before the retry runs.
    await runBuilder(queue);
    await handle(event).catch(() => undefined);
    await runBuilder(queue);

    // B's records are left on the deleted check: the retry found the registry already renewed.
    const onGone = world.route53
      .records(ZONE)
      .filter((r) => r.HealthCheckId && !world.route53.healthChecks.has(r.HealthCheckId));
    expect(onGone.map((r) => r.Name)).toEqual([]);
  });

  it('moves the users it can read off the deleted check when one user’s status cannot be read', async () => {
    const events = await twoUsers();
    await deleteByHand();
    const queue = recordingQueue();
    // B's status read fails every time (a persistent error on its item); A's is fine.
    const status = world.deps.status;
    const deps = () => ({
      ...world.deps,
      status: {
        ...bindMethods(status),
        get: (name: string) =>
          name === B
            ? Promise.reject(
                Object.assign(new Error('status item unreadable'), { name: 'InternalServerError' }),
              )
            : status.get(name),
      },
    });
    const handle = makeHealthAlarmHandler(deps, new Logger({ logLevel: 'SILENT' }), () => queue);
    const event = events.splice(0).at(-1)!;
    // EventBridge's first delivery and its two retries.
    for (let i = 0; i < 3; i++) await handle(event).catch(() => undefined);
    await runBuilder(queue);

    // A's records could have been moved; it is left on the deleted check with B.
    const aChecks = world.route53
      .records(ZONE)
      .filter((r) => r.Name?.endsWith(`${A}.`))
      .flatMap((r) => r.HealthCheckId ?? []);
    expect(aChecks.filter((id) => !world.route53.healthChecks.has(id))).toEqual([]);
  });
  it('hands a whole fleet to the builder in one request, not a reconcile each in the handler', async () => {
    const events = await twoUsers();
    await deleteByHand();
    const queue = recordingQueue();
    const handle = makeHealthAlarmHandler(
      () => world.deps,
      new Logger({ logLevel: 'SILENT' }),
      () => queue,
    );
    const event = events.splice(0).at(-1)!;
    await handle(event);

    expect(queue.accepted.map((r) => r.name)).toEqual([A, B]);
    expect(dangling()).toHaveLength(2);
    // A redelivery asks again with the same ids (the event's), which the FIFO queue drops.
    await handle(event);
    expect(queue.accepted.slice(2)).toEqual(queue.accepted.slice(0, 2));
    expect(queue.accepted[0]).toEqual(buildRequest(A, event.id as string));
    // The builder reconciles them in order: the first makes the new check, the other joins it.
    await runBuilder(queue);
    expect(dangling()).toEqual([]);
    const secondaries = world.route53.records(ZONE).filter((r) => r.Name?.startsWith('backup.'));
    expect(new Set(secondaries.flatMap((r) => r.HealthCheckId ?? [])).size).toBe(1);
  });
});
