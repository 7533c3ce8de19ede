import { Logger } from '@aws-lambda-powertools/logger';
import { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeBuilderHandler } from '../../functions/build-chains.ts';
import { makeChainStreamHandler } from '../../functions/chain-stream.ts';
import { makeResyncHandler } from '../../functions/resync.ts';
import { drainBuildQueue } from '../../local/builder-runner.ts';
import type { LocalWorld } from '../../local/local-world.ts';
import { StreamReader } from '../../local/stream-reader.ts';
import type { ReconcileDeps } from '../../shared/ports.ts';
import { SEED_RECORDS, seedRow } from '../fixtures/chains.ts';
import { makeWorld, recordLines, ZONE } from '../fixtures/world.ts';

// The builder's SQS FIFO queue drops a message whose deduplication id it saw in the last 5
// minutes, even after the first was deleted. Each request's id is unique to the event that asked
// (a stream record, an alarm event, a full run), so only a redelivery of that event is dropped;
// reconcile makes a repeat harmless. A chain that must wait goes to the back of the queue, and a
// message that can never be read goes to the failures queue at once.

const SEED = 'resilient-site.example.com';
const silent = new Logger({ logLevel: 'SILENT' });
let world: LocalWorld;
let reader: StreamReader;
let now: number;

const stream = () =>
  makeChainStreamHandler(
    () => world.deps,
    silent,
    () => world.buildQueue,
  );
/** The builder as deployed: its own queue to send a waiting chain back to, and its failures queue. */
const builder = (deps: () => ReconcileDeps = () => world.deps) =>
  makeBuilderHandler(deps, silent, {}, () => world.builderQueues);
/** Write the row, deliver the stream, run the builder. */
const apply = async (row: Record<string, unknown>) => {
  await world.chains.put(row);
  await reader.drain(stream());
  await drainBuildQueue(world.sqs, builder());
};
const checkTypes = () => [...world.route53.healthChecks.values()].map((c) => c.HealthCheckConfig.Type).sort();
const dangling = () =>
  world.route53
    .records(ZONE)
    .flatMap((r) => r.HealthCheckId ?? [])
    .filter((id) => !world.route53.healthChecks.has(id));

function imported(i: number): Record<string, unknown> {
  return { ...seedRow(), name: `import${i}.example.com` };
}

beforeEach(async () => {
  now = Date.parse('2026-11-25T12:00:00Z');
  world = await makeWorld({ clock: () => new Date(now) });
  reader = new StreamReader(world.dynamodb, world.streams, world.tables.chains, 100);
  await reader.start();
});
afterEach(() => {
  world.destroy();
});

describe('the build queue never drops a distinct request', () => {
  it('a row deleted and applied again within 5 minutes is built again', async () => {
    await apply(seedRow());
    expect(recordLines(world)).toEqual(SEED_RECORDS);

    now += 60_000;
    await world.chains.remove(SEED);
    await reader.drain(stream());
    expect(recordLines(world)).toEqual([]);

    // The same row again, two minutes after it was first written: the name resolves again.
    now += 60_000;
    await apply(seedRow());
    expect(await world.deps.status.get(SEED)).toMatchObject({ state: 'IN_SYNC' });
    expect(recordLines(world)).toEqual(SEED_RECORDS);
    expect(dangling()).toEqual([]);
  });

  it('an edit rolled back within 5 minutes serves the rolled-back row', async () => {
    await apply(seedRow());
    expect(checkTypes()).toEqual(['HTTP', 'HTTP']);

    // The primary's check changes type: it must be replaced, which only the builder does.
    now += 60_000;
    const edited = seedRow();
    edited.tiers[0]!.healthCheck = { type: 'TCP', ip: '1.1.1.1', port: 8888 };
    await apply(edited);
    expect(await world.deps.status.get(SEED)).toMatchObject({ state: 'IN_SYNC' });

    // Rolled back a minute later: the row is the one first written, three minutes before.
    now += 60_000;
    await apply(seedRow());
    expect(await world.deps.status.get(SEED)).toMatchObject({ state: 'IN_SYNC' });
    const primary = world.route53
      .records(ZONE)
      .find((r) => r.Name === `${SEED}.` && r.Failover === 'PRIMARY')!;
    expect(world.route53.healthChecks.get(primary.HealthCheckId!)?.HealthCheckConfig).toMatchObject({
      Type: 'HTTP',
    });
    expect(recordLines(world)).toEqual(SEED_RECORDS);
  });

  it('a check deleted by hand is replaced by the full run, even within 5 minutes of the build', async () => {
    await apply(seedRow());
    const resync = makeResyncHandler(() => world.deps, silent, { builder: () => world.buildQueue });
    const deleteFirstCheck = async () => {
      const status = (await world.deps.status.get(SEED))!;
      world.route53.healthChecks.delete(Object.values(status.healthChecks)[0]!.id!);
    };

    await deleteFirstCheck();
    await resync();
    await drainBuildQueue(world.sqs, builder());
    expect(dangling()).toEqual([]);

    // Deleted again two minutes later: the next run's request is a new one, not a repeat.
    now += 2 * 60_000;
    await deleteFirstCheck();
    await resync();
    await drainBuildQueue(world.sqs, builder());
    expect(dangling()).toEqual([]);
    expect(await world.deps.status.get(SEED)).toMatchObject({ state: 'IN_SYNC' });
  });
});

describe('the build queue keeps moving', () => {
  it('a chain that must wait does not hold back the chains queued behind it', async () => {
    await apply(seedRow());
    // An edit that needs a new check waits for the builder, and an import is queued behind it.
    const edited = seedRow();
    edited.tiers[0]!.healthCheck = { type: 'TCP', ip: '1.1.1.1', port: 8888 };
    await world.chains.put(edited);
    await reader.drain(stream());
    for (let i = 0; i < 3; i++) await world.chains.put(imported(i));
    await reader.drain(stream());
    expect(world.sqs.depth).toBe(4);

    // Another reconcile holds the edited chain for two minutes (a handler stopped mid-reconcile).
    const status = (await world.deps.status.get(SEED))!;
    await world.deps.status.save(
      {
        ...status,
        revision: status.revision + 1,
        lease: { holder: 'stopped-handler', until: new Date(now + 120_000).toISOString() },
      },
      status.revision,
    );
    const waiting: ReconcileDeps = {
      ...world.deps,
      sleep: (ms) => {
        now += ms;
        return Promise.resolve();
      },
    };
    await drainBuildQueue(
      world.sqs,
      builder(() => waiting),
    );

    for (let i = 0; i < 3; i++) {
      expect(await world.deps.status.get(`import${i}.example.com`)).toMatchObject({ state: 'IN_SYNC' });
    }
    expect(await world.deps.status.get(SEED)).toMatchObject({ state: 'PENDING' });
    expect(world.sqs.depth).toBe(1);

    // Once the lease lapses, the waiting chain is built.
    now += 120_000;
    await drainBuildQueue(world.sqs, builder());
    expect(await world.deps.status.get(SEED)).toMatchObject({ state: 'IN_SYNC' });
    expect(world.sqs.depth).toBe(0);
    expect(checkTypes()).toEqual([...Array<string>(7).fill('HTTP'), 'TCP']);
  });

  it('an unparseable build message goes to the failures queue at once', async () => {
    await world.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: 'build.fifo',
        Entries: [
          { Id: '0', MessageBody: 'not json', MessageGroupId: 'builder', MessageDeduplicationId: 'garbled' },
          {
            Id: '1',
            MessageBody: JSON.stringify({ chain: SEED }),
            MessageGroupId: 'builder',
            MessageDeduplicationId: 'old-shape',
          },
        ],
      }),
    );
    await world.chains.put(seedRow());
    await reader.drain(stream());

    await drainBuildQueue(world.sqs, builder());

    // Received once, not twenty times: the chain queued behind them is built in the same pass.
    expect(await world.deps.status.get(SEED)).toMatchObject({ state: 'IN_SYNC' });
    expect(world.sqs.depth).toBe(0);
    expect(world.buildFailures.receive(10).map((m) => m.body)).toEqual([
      'not json',
      JSON.stringify({ chain: SEED }),
    ]);
  });
});
