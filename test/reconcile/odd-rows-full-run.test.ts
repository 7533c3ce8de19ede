import { Logger } from '@aws-lambda-powertools/logger';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { makeResyncHandler } from '../../functions/resync.ts';
import type { LocalWorld } from '../../local/local-world.ts';
import { reconcileAll } from '../../shared/reconcile/reconcile-all.ts';
import { runCli } from '../cli/run-cli.ts';
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
// The full run (the schedule's and `chains reconcile --all`) reads every row in one Scan, and the
// CLI lists them: one row edited by hand into something odd is INVALID with a field-level error,
// and every other chain is still built, reported and listed.

const silent = new Logger({ logLevel: 'SILENT' });
const GOOD = 'good.example.com';
const ODD = 'odd.example.com';

let world: LocalWorld | undefined;
afterEach(() => {
  world?.destroy();
  world = undefined;
});

const open = async () => (world = await makeWorld());
const stateOf = async (name: string) => (await world!.deps.status.get(name))?.state;
const errorsOf = async (name: string) => (await world!.deps.status.get(name))?.errors;
const recordsOf = (name: string) =>
  world!.route53
    .records(ZONE)
    .filter((record) => record.Name === `${name}.` || record.Name === `backup.${name}.`);
const cli = (...argv: string[]) => runCli(argv, { world: world! });

/** The seed row under `name` with `field` holding `value` as stored. */
function withField(name: string, field: string, value: Item[string]): Item {
  return { ...seedItem(name), [field]: value };
}

describe('the full run with one odd row', () => {
  it('the schedule builds every other row while one holds a number JavaScript cannot hold', async () => {
    await open();
    await putItem(world!, withField(ODD, 'ttl', { N: '12345678901234567890.5' }));
    await world!.chains.put({ ...seedRow(), name: GOOD });

    const summary = await makeResyncHandler(() => world!.deps, silent)();

    expect(summary).toMatchObject({ failed: [], byState: { IN_SYNC: 1, INVALID: 1 }, complete: true });
    expect(recordsOf(GOOD)).toHaveLength(4);
    expect(await errorsOf(ODD)).toEqual([
      'ttl: must be an integer from 0 to 2147483647 (got 12345678901234567890.5)',
    ]);
  });

  it('a hostedZoneId longer than Route 53 takes is INVALID and never asked of Route 53', async () => {
    await open();
    const long = `Z${'A'.repeat(40)}`;
    await putItem(world!, withField(ODD, 'hostedZoneId', { S: long }));
    await world!.chains.put({ ...seedRow(), name: GOOD });

    const summary = await reconcileAll(world!.deps);

    expect(summary).toMatchObject({ failed: [], byState: { IN_SYNC: 1, INVALID: 1 } });
    expect(recordsOf(GOOD)).toHaveLength(4);
    expect(await errorsOf(ODD)).toEqual([
      `hostedZoneId: must be a Route 53 hosted zone id such as Z0123456789EXAMPLE (got "${long}")`,
    ]);
  });

  it('a key that lower case does not make a DNS name says what is wrong with the name', async () => {
    await open();
    const key = 'İSTANBUL.example.com';
    await putItem(world!, { ...seedItem(key) });
    await world!.chains.put({ ...seedRow(), name: GOOD });

    const summary = await reconcileAll(world!.deps);

    expect(summary).toMatchObject({ failed: [], byState: { IN_SYNC: 1, INVALID: 1 } });
    expect(await errorsOf(key)).toEqual([
      `name: label "i̇stanbul" must use letters, digits, hyphens or underscores and not start or end with a hyphen; remove this row with chains delete '${key}'`,
    ]);
  });
});

describe('the CLI lists every row, whatever one of them holds', () => {
  it('chains status, get, plan --all and reconcile --all go on past a number JavaScript cannot hold', async () => {
    await open();
    await putItem(world!, withField(ODD, 'ttl', { N: '12345678901234567890.5' }));
    await world!.chains.put({ ...seedRow(), name: GOOD });

    const all = await cli('reconcile', '--all');
    expect(all).toMatchObject({ code: 1, err: '' });
    expect(all.out).toContain('reconciled 2 chains: 1 IN_SYNC, 1 INVALID');

    const list = await cli('status');
    expect(list).toMatchObject({ code: 0, err: '' });
    expect(list.out).toMatch(/good\.example\.com +IN_SYNC/);
    expect(list.out).toMatch(/odd\.example\.com +INVALID .*ttl: must be an integer/);

    const one = await cli('status', ODD);
    expect(one).toMatchObject({ code: 0, err: '' });
    expect(one.out).toContain('ttl: must be an integer from 0 to 2147483647 (got 12345678901234567890.5)');

    const plan = await cli('plan', '--all');
    expect(plan).toMatchObject({ code: 1, err: '' });
    expect(plan.out).toContain('chains: 1 planned from');
    expect(plan.out).toContain('1 invalid, not counted: odd.example.com');

    const got = await cli('get', ODD);
    expect(got.code).toBe(0);
    expect((JSON.parse(got.out) as { ttl: unknown }).ttl).toBe('12345678901234567890.5');
    expect(got.err).toContain('plain JSON cannot show ttl (12345678901234567890.5) as stored');

    const stored = await cli('get', ODD, '--dynamodb-json');
    expect(stored).toMatchObject({ code: 0, err: '' });
    expect((JSON.parse(stored.out) as Item).ttl).toEqual({ N: '12345678901234567890.5' });
  });

  it('chains get prints a row holding an integer past 2^53 (read as a BigInt before)', async () => {
    await open();
    await putItem(world!, withField(ODD, 'ttl', { N: '100000000000000000000' }));

    const got = await cli('get', ODD);

    expect(got).toMatchObject({ code: 0, err: '' });
    expect((JSON.parse(got.out) as { ttl: unknown }).ttl).toBe(1e20);
  });

  it('chains get --dynamodb-json prints the item as stored: binary in base64, sets as written', async () => {
    await open();
    await putItem(world!, {
      ...withField(ODD, 'hostedZoneId', { B: new Uint8Array([1, 2, 3]) }),
      extra: { NS: ['12345678901234567890.5', '1'] },
      blobs: { BS: [new Uint8Array([255])] },
    });

    const stored = await cli('get', ODD, '--dynamodb-json');
    expect(stored).toMatchObject({ code: 0, err: '' });
    const item = JSON.parse(stored.out) as Record<string, Record<string, unknown>>;
    expect(item.hostedZoneId).toEqual({ B: 'AQID' });
    expect(item.blobs).toEqual({ BS: ['/w=='] });
    expect((item.extra!.NS as string[]).sort()).toEqual(['1', '12345678901234567890.5']);

    const plain = await cli('get', ODD);
    expect(plain.code).toBe(0);
    const row = JSON.parse(plain.out) as Record<string, unknown>;
    expect(row.hostedZoneId).toBe('AQID');
    expect(row.extra).toEqual(expect.arrayContaining([1, '12345678901234567890.5']));
    expect(plain.err).toMatch(/^note: plain JSON cannot show hostedZoneId \(binary data of 3 bytes\), /);
    expect(plain.err).toContain('extra (a number set of 2)');
    expect(plain.err).toContain("chains get --dynamodb-json 'odd.example.com' shows the row exactly");
  });

  it("chains status 'KEY' shows the status of a row keyed other than by its normalised name", async () => {
    await open();
    const key = 'Odd.Example.com.';
    await world!.chains.put({ ...seedRow(), name: key });
    await cli('reconcile', '--all');

    const shown = await cli('status', key);

    expect(shown).toMatchObject({ code: 0, err: '' });
    expect(shown.out).toContain(`${key}  INVALID`);
    expect(shown.out).toContain(`name: write the key as odd.example.com`);
  });

  it('chains drain on a row whose drain is not a list names the field instead of failing', async () => {
    await open();
    await putItem(world!, withField(ODD, 'drain', { N: '5' }));

    const drained = await cli('drain', ODD, 'primary');

    expect(drained.code).toBe(1);
    expect(drained.err).toBe('drain[0]: must be a string (got 5)\n');
  });
});

describe('the full run with rows holding anything a person can store', () => {
  it('builds every good row, makes each odd row INVALID with readable field-level errors (or builds it), and the CLI lists them all', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(oddRow('placeholder.example.com'), { minLength: 1, maxLength: 3 }),
        async (odd) => {
          world?.destroy();
          await open();
          const names = odd.map((_, index) => `odd${index}.example.com`);
          for (const [index, row] of odd.entries())
            await putItem(world!, { ...row.item, name: { S: names[index]! } });
          await world!.chains.put({ ...seedRow(), name: GOOD });

          const summary = await reconcileAll(world!.deps);

          expect(summary.failed).toEqual([]);
          expect(await stateOf(GOOD)).toBe('IN_SYNC');
          expect(recordsOf(GOOD)).toHaveLength(4);
          for (const [index, row] of odd.entries()) {
            const status = await world!.deps.status.get(names[index]!);
            expect(['INVALID', 'IN_SYNC']).toContain(status?.state);
            if (status?.state === 'INVALID') {
              expect(readableErrors(status.errors, fieldsToBlame(row.changed))).toBeUndefined();
            }
          }

          const list = await cli('status');
          expect(list).toMatchObject({ code: 0, err: '' });
          for (const name of [GOOD, ...names]) expect(list.out).toContain(name);
          const plan = await cli('plan', '--all');
          expect(plan.err).toBe('');
          expect(plan.out).toMatch(/^chains: \d+ planned from /);
          for (const argv of [
            ['get', names[0]!],
            ['get', names[0]!, '--dynamodb-json'],
            ['status', names[0]!],
          ]) {
            const shown = await cli(...argv);
            expect(shown.code, argv.join(' ')).toBe(0);
            expect(shown.err, argv.join(' ')).not.toMatch(/^error:/m);
          }
        },
      ),
      { numRuns: 20 },
    );
  }, 300_000);
});
