import { Logger } from '@aws-lambda-powertools/logger';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeBuilderHandler } from '../../functions/build-chains.ts';
import { makeChainStreamHandler } from '../../functions/chain-stream.ts';
import { makeResyncHandler } from '../../functions/resync.ts';
import { drainBuildQueue } from '../../local/builder-runner.ts';
import type { LocalWorld } from '../../local/local-world.ts';
import { StreamReader } from '../../local/stream-reader.ts';
import { SEED_RECORDS, seedRow } from '../fixtures/chains.ts';
import { makeWorld, recordLines, ZONE } from '../fixtures/world.ts';

// The builder's SQS FIFO queue drops a message whose deduplication id it saw in the last 5
// minutes, even after the first was deleted. Each request's id is unique to the event that asked
// (a stream record, an alarm event, a full run), so only a redelivery of that event is dropped;
// reconcile makes a repeat harmless.

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
const builder = () => makeBuilderHandler(() => world.deps, silent);
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
