import { Logger } from '@aws-lambda-powertools/logger';
import { DeleteItemCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeBuilderHandler } from '../../functions/build-chains.ts';
import { makeChainStreamHandler } from '../../functions/chain-stream.ts';
import { drainBuildQueue } from '../../local/builder-runner.ts';
import type { LocalWorld } from '../../local/local-world.ts';
import { StreamReader } from '../../local/stream-reader.ts';
import { seedRow } from '../fixtures/chains.ts';
import {
  fieldsToBlame,
  oddRow,
  putItem,
  readableErrors,
  seedItem,
  type Item,
} from '../fixtures/odd-items.ts';
import { makeWorld, ZONE } from '../fixtures/world.ts';

// "One bad row never stops the work for the others, whatever a person can store in DynamoDB."
// A batch of the Chains stream holds one row edited by hand into something odd and one good row:
// the good row is built, the odd one is INVALID with a field-level error, and no record of the
// batch is reported failed (a failed record is delivered again and again, holding the shard).

const silent = new Logger({ logLevel: 'SILENT' });
const GOOD = 'good.example.com';
const ODD = 'odd.example.com';

let world: LocalWorld;
let reader: StreamReader;
let responses: DynamoDBBatchResponse[];

beforeEach(async () => {
  world = await makeWorld();
  reader = new StreamReader(world.dynamodb, world.streams, world.tables.chains, 100);
  await reader.start();
  responses = [];
});
afterEach(() => {
  world.destroy();
});

/** Deliver the stream to the handler as Lambda does (at most three rounds), noting its answers. */
async function deliver(withBuilder = false): Promise<void> {
  const handler = makeChainStreamHandler(
    () => world.deps,
    silent,
    withBuilder ? () => world.buildQueue : undefined,
  );
  await reader.drain(async (event: DynamoDBStreamEvent) => {
    const response = await handler(event);
    responses.push(response);
    return response;
  }, 3);
  if (withBuilder) {
    await drainBuildQueue(
      world.sqs,
      makeBuilderHandler(
        () => world.deps,
        silent,
        {},
        () => world.builderQueues,
      ),
    );
  }
}

const stateOf = async (name: string) => (await world.deps.status.get(name))?.state;
const errorsOf = async (name: string) => (await world.deps.status.get(name))?.errors;
const failures = () => responses.flatMap((response) => response.batchItemFailures);
const recordsOf = (name: string) =>
  world.route53
    .records(ZONE)
    .filter((record) => record.Name === `${name}.` || record.Name === `backup.${name}.`);

/** The seed row under `name` with `field` holding `value` as stored. */
function withField(name: string, field: string, value: Item[string]): Item {
  return { ...seedItem(name), [field]: value };
}

describe('a stream batch with one odd row', () => {
  it('a number JavaScript cannot hold (12345678901234567890.5) makes its row INVALID; the good row is built', async () => {
    await putItem(world, withField(ODD, 'ttl', { N: '12345678901234567890.5' }));
    await world.chains.put({ ...seedRow(), name: GOOD });
    await deliver();

    expect(failures()).toEqual([]);
    expect(await stateOf(GOOD)).toBe('IN_SYNC');
    expect(recordsOf(GOOD)).toHaveLength(4);
    expect(await stateOf(ODD)).toBe('INVALID');
    expect(await errorsOf(ODD)).toEqual([
      'ttl: must be an integer from 0 to 2147483647 (got 12345678901234567890.5)',
    ]);
  });

  it('such a number deep in a tier (9.99...E+125 as a port) is named with its path, as stored', async () => {
    const item = seedItem(ODD);
    item.tiers!.L![0]!.M!.healthCheck!.M!.port = { N: '9.9999999999999999999999999999999999999E+125' };
    await putItem(world, item);
    await world.chains.put({ ...seedRow(), name: GOOD });
    await deliver();

    expect(failures()).toEqual([]);
    expect(await stateOf(GOOD)).toBe('IN_SYNC');
    expect(await errorsOf(ODD)).toEqual([
      'tiers[0].healthCheck.port: must be an integer from 1 to 65535 (got 9.9999999999999999999999999999999999999E+125)',
    ]);
  });

  it('with the builder queue, an unreadable number no longer fails the whole batch before any record is processed', async () => {
    await putItem(world, withField(ODD, 'ttl', { N: '12345678901234567890.5' }));
    await world.chains.put({ ...seedRow(), name: GOOD });
    await deliver(true);

    expect(failures()).toEqual([]);
    expect(await stateOf(GOOD)).toBe('IN_SYNC');
    expect(recordsOf(GOOD)).toHaveLength(4);
    expect(await stateOf(ODD)).toBe('INVALID');
  });

  it('a ttl of 60.0000000000000000000000000001 is INVALID, never built with the TTL rounded to 60', async () => {
    await putItem(world, withField(ODD, 'ttl', { N: '60.0000000000000000000000000001' }));
    await putItem(world, withField(GOOD, 'ttl', { N: '60.0' }));
    await deliver();

    expect(await stateOf(GOOD)).toBe('IN_SYNC');
    expect(await stateOf(ODD)).toBe('INVALID');
    expect(recordsOf(ODD)).toEqual([]);
    expect(await errorsOf(ODD)).toEqual([
      'ttl: must be an integer from 0 to 2147483647 (got 60.0000000000000000000000000001)',
    ]);
  });

  it('an error names the value as stored, not as JavaScript rounds it (0.1000000000000000000000000000000000001)', async () => {
    await putItem(world, withField(ODD, 'ttl', { N: '0.1000000000000000000000000000000000001' }));
    await deliver();

    expect(await errorsOf(ODD)).toEqual([
      'ttl: must be an integer from 0 to 2147483647 (got 0.1000000000000000000000000000000000001)',
    ]);
  });

  it('an attribute named __proto__ is an unknown field: never dropped, never a failure', async () => {
    await putItem(world, withField(ODD, '__proto__', { S: 'x' }));
    const tier = seedItem(ODD).tiers!.L![2]!;
    const nested = seedItem(`nested-${ODD}`);
    nested.tiers!.L![2] = { M: JSON.parse(`{"__proto__": ${JSON.stringify(tier)}}`) as Item };
    await putItem(world, nested);
    await world.chains.put({ ...seedRow(), name: GOOD });
    await deliver();

    expect(failures()).toEqual([]);
    expect(await stateOf(GOOD)).toBe('IN_SYNC');
    expect(await stateOf(ODD)).toBe('INVALID');
    expect((await errorsOf(ODD))?.[0]).toMatch(/^__proto__: unknown field; allowed fields are name, /);
    expect(await stateOf(`nested-${ODD}`)).toBe('INVALID');
    expect(await errorsOf(`nested-${ODD}`)).toContain(
      'tiers[2].__proto__: unknown field; allowed fields are id, target, healthCheck',
    );
  });

  it('sets and binary are named as what they are, at their field', async () => {
    await putItem(world, withField(ODD, 'tiers', { NS: ['1', '2'] }));
    const binaryTier = seedItem(`binary-${ODD}`);
    binaryTier.tiers!.L![0] = { B: new Uint8Array([1, 2, 3]) };
    await putItem(world, binaryTier);
    await putItem(world, withField(`set-${ODD}`, 'drain', { SS: ['primary'] }));
    await deliver();

    expect(await errorsOf(ODD)).toEqual(['tiers: must be a list of 2 to 8 tiers (got a number set of 2)']);
    expect(await errorsOf(`binary-${ODD}`)).toEqual([
      'tiers[0]: must be an object (got binary data of 3 bytes)',
    ]);
    expect(await errorsOf(`set-${ODD}`)).toEqual([
      'drain: must be a list of tier ids (got a string set of 1)',
    ]);
  });

  it('a field name of 16,000 characters is shortened, so the error still says the field is unknown', async () => {
    const long = `x${'k'.repeat(15_999)}`;
    await putItem(world, withField(ODD, long, { S: 'v' }));
    await deliver();

    expect(await errorsOf(ODD)).toEqual([
      `["x${'k'.repeat(39)}... (a name of 16000 characters)"]: unknown field; allowed fields are name, hostedZoneId, recordType, ttl, tiers, drain, pin, failback, force, shared, changedBy, adopt`,
    ]);
  });

  it('correcting a hostedZoneId longer than Route 53 takes builds the row; removing one deletes it', async () => {
    const long = `Z${'A'.repeat(40)}`;
    await putItem(world, withField(ODD, 'hostedZoneId', { S: long }));
    await putItem(world, withField(GOOD, 'hostedZoneId', { S: long }));
    await deliver();
    expect(await errorsOf(ODD)).toEqual([
      `hostedZoneId: must be a Route 53 hosted zone id such as Z0123456789EXAMPLE (got "${long}")`,
    ]);

    // The edit's old image names the long id: asking Route 53 about it fails on every retry.
    await world.chains.put({ ...seedRow(), name: ODD });
    await world.dynamodb.send(
      new DeleteItemCommand({ TableName: world.tables.chains, Key: { name: { S: GOOD } } }),
    );
    await deliver();

    expect(failures()).toEqual([]);
    expect(await stateOf(ODD)).toBe('IN_SYNC');
    expect(recordsOf(ODD)).toHaveLength(4);
    expect(await stateOf(GOOD)).toBe('DELETED');
  });
});

describe('a stream batch with one row holding anything a person can store', () => {
  it('builds the good row of the batch and makes the odd row INVALID with readable field-level errors, or builds it', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(oddRow('placeholder.example.com'), async ({ item, changed }) => {
        run++;
        const odd = `odd${run}.example.com`;
        const good = `good${run}.example.com`;
        responses = [];
        await putItem(world, { ...item, name: { S: odd } });
        await world.chains.put({ ...seedRow(), name: good });
        await deliver();

        expect(failures()).toEqual([]);
        expect(await stateOf(good)).toBe('IN_SYNC');
        expect(recordsOf(good)).toHaveLength(4);
        const status = await world.deps.status.get(odd);
        expect(['INVALID', 'IN_SYNC']).toContain(status?.state);
        if (status?.state === 'INVALID') {
          expect(readableErrors(status.errors, fieldsToBlame(changed))).toBeUndefined();
        }
      }),
      { numRuns: 30 },
    );
  }, 180_000);
});
