import { Logger } from '@aws-lambda-powertools/logger';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { DeleteItemCommand } from '@aws-sdk/client-dynamodb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeChainStreamHandler } from '../../functions/chain-stream.ts';
import type { LocalWorld } from '../../local/local-world.ts';
import { StreamReader } from '../../local/stream-reader.ts';
import { seedRow } from '../fixtures/chains.ts';
import { makeWorld, recordLines, writeCalls } from '../fixtures/world.ts';

const NAME = 'resilient-site.example.com';
let world: LocalWorld;
let reader: StreamReader;
let handler: ReturnType<typeof makeChainStreamHandler>;
const seen: DynamoDBStreamEvent[] = [];

beforeEach(async () => {
  world = await makeWorld();
  reader = new StreamReader(world.dynamodb, world.streams, world.tables.chains);
  await reader.start();
  const inner = makeChainStreamHandler(() => world.deps, new Logger({ logLevel: 'SILENT' }));
  seen.length = 0;
  handler = (event) => {
    seen.push(event);
    return inner(event);
  };
});
afterEach(() => {
  world.destroy();
});

describe('chain stream handler on DynamoDB Local streams', () => {
  it('builds a chain when its row is written and removes everything when it is deleted', async () => {
    await world.chains.put(seedRow());
    expect(await reader.drain(handler)).toBe(1);
    expect(recordLines(world)).toHaveLength(4);
    expect(seen[0]?.Records[0]).toMatchObject({
      eventName: 'INSERT',
      dynamodb: { Keys: { name: { S: NAME } } },
    });

    await world.dynamodb.send(
      new DeleteItemCommand({ TableName: world.tables.chains, Key: { name: { S: NAME } } }),
    );
    await reader.drain(handler);
    expect(recordLines(world)).toEqual([]);
    expect(world.route53.healthChecks.size).toBe(0);
    expect(await world.deps.status.get(NAME)).toMatchObject({ state: 'DELETED' });
  });

  it('reconciles a chain once per batch, with the latest row winning', async () => {
    await world.chains.put(seedRow());
    const edited = seedRow();
    edited.ttl = 300;
    await world.chains.put(edited);
    await reader.drain(handler);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.Records.map((r) => r.eventName)).toEqual(['INSERT', 'MODIFY']);
    expect(world.route53.calls.filter((c) => c === 'GetHostedZoneCommand')).toHaveLength(1);
    expect(world.route53.records('Z0123456789EXAMPLE').every((r) => r.TTL === 300)).toBe(true);
  });

  it('changes nothing when the same event is delivered twice', async () => {
    await world.chains.put(seedRow());
    await reader.drain(handler);
    const before = writeCalls(world).length;
    expect(await handler(seen[0]!)).toEqual({ batchItemFailures: [] });
    expect(writeCalls(world).slice(before)).toEqual([]);
  });

  it('reports only the failing chain, so the others are neither blocked nor replayed', async () => {
    await world.chains.put(seedRow());
    await world.chains.put({ ...seedRow(), name: 'other.example.com' });
    // The first chain in the batch fails its record batch (a non-retryable error).
    world.route53.failNext('ChangeResourceRecordSetsCommand', () => new Error('connection reset'));
    const records = await reader.drain(async (event) => {
      const response = await handler(event);
      if (seen.length === 1) {
        expect(response.batchItemFailures).toEqual([
          { itemIdentifier: event.Records[0]!.dynamodb!.SequenceNumber },
        ]);
      }
      return response;
    });
    expect(records).toBe(2);
    expect(seen.map((event) => event.Records.length)).toEqual([2, 2]);
    expect(recordLines(world)).toHaveLength(8);
    expect(world.route53.healthChecks.size).toBe(4);
    expect(await world.deps.status.get(NAME)).toMatchObject({ state: 'IN_SYNC' });
  });
});
