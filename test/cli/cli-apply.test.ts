import { stringify } from 'yaml';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LocalWorld } from '../../local/local-world.ts';
import { seedRow } from '../fixtures/chains.ts';
import { makeWorld, recordLines, writeCalls } from '../fixtures/world.ts';
import { rowFolder, runCli } from './run-cli.ts';

const SEED = 'resilient-site.example.com';
const WWW = 'www.example.com';
const wwwRow = (extra: Record<string, unknown> = {}) => ({ ...seedRow(), name: WWW, ...extra });

let world: LocalWorld;
let table: string;
beforeEach(async () => {
  world = await makeWorld();
  table = world.tables.chains;
});
afterEach(() => {
  world.destroy();
});

const names = async () => [...(await world.chains.scan()).keys()].sort();

describe('chains apply: rows kept in Git', () => {
  it('takes a folder of JSON and YAML rows, shows the plan for all of them, then writes them', async () => {
    const { dir, write } = rowFolder();
    const a = write('rows/a.json', seedRow());
    const b = write('rows/b.yaml', stringify(wwwRow()));
    write('rows/notes.txt', 'not a row');
    expect(await runCli(['apply', `${dir}/rows`], { world })).toEqual({
      code: 0,
      out: [
        `create    ${SEED}  (${a})`,
        `create    ${WWW}  (${b})`,
        `plan: 2 to create, 0 to update, 0 to delete, 0 unchanged (${table})`,
        `applied ${SEED} (3 tiers) to ${table}`,
        `applied ${WWW} (3 tiers) to ${table}`,
        '',
      ].join('\n'),
      err: '',
      progress: [],
    });
    expect(await names()).toEqual([SEED, WWW]);
    // Who applied it, for alerts and history; a file that names who is written as it is.
    const applied = (await world.chains.get(SEED)) as { changedBy?: string };
    expect(applied.changedBy).toMatch(/@.+ via chains apply$/);

    // Again, with one row changed: only that one is written.
    write('rows/b.yaml', stringify(wwwRow({ ttl: 120 })));
    const again = await runCli(['apply', a, b], { world });
    expect(again.out).toBe(
      [
        `unchanged ${SEED}  (${a})`,
        `update    ${WWW}  (${b})`,
        `plan: 0 to create, 1 to update, 0 to delete, 1 unchanged (${table})`,
        `applied ${WWW} (3 tiers) to ${table}`,
        '',
      ].join('\n'),
    );
    expect(await world.chains.get(WWW)).toMatchObject({ ttl: 120 });
    write('rows/b.yaml', stringify(wwwRow({ ttl: 120, changedBy: 'release pipeline' })));
    expect((await runCli(['apply', b], { world })).out).toContain(`update    ${WWW}`);
    expect(await world.chains.get(WWW)).toMatchObject({ changedBy: 'release pipeline' });
  });

  it('one bad file refuses the whole apply and writes nothing', async () => {
    const { dir, write } = rowFolder();
    write('rows/a.json', seedRow());
    const bad = write('rows/b.json', { ...wwwRow(), tiers: [] });
    const twin = write('rows/c.yaml', stringify(seedRow()));
    const result = await runCli(['apply', `${dir}/rows`], { world });
    expect(result).toEqual({
      code: 1,
      out: '',
      err: [
        `${bad}: tiers: must have from 2 to 8 tiers (got a list of 0)`,
        `${twin}: ${SEED} is also defined in ${dir}/rows/a.json; keep one row per name`,
        'nothing written: fix the errors above',
        '',
      ].join('\n'),
      progress: [],
    });
    const unreadable = await runCli(['apply', `${dir}/rows/a.json`, write('empty.yaml', '')], { world });
    expect(unreadable).toMatchObject({
      code: 2,
      err: `${dir}/empty.yaml: empty file; a row is one JSON or YAML object\nnothing written: fix the errors above\n`,
    });
    expect(await names()).toEqual([]);
  });

  it('--prune deletes the rows in none of the files, after a confirmation or with --yes', async () => {
    await world.chains.put(seedRow());
    await world.chains.put(wwwRow());
    const { write } = rowFolder();
    const a = write('a.json', seedRow());

    const noTerminal = await runCli(['apply', '--prune', a], { world });
    expect(noTerminal).toMatchObject({
      code: 2,
      out: [
        `unchanged ${SEED}  (${a})`,
        `delete    ${WWW}  (in none of the files)`,
        `plan: 0 to create, 0 to update, 1 to delete, 1 unchanged (${table})`,
        '',
      ].join('\n'),
      err: `error: delete ${WWW} from ${table}: no terminal to confirm on; pass --yes\n`,
    });
    const questions: string[] = [];
    const declined = await runCli(['apply', '--prune', a], {
      world,
      io: { ask: (question) => (questions.push(question), Promise.resolve('n')) },
    });
    expect(declined).toMatchObject({ code: 1, err: 'nothing written\n' });
    expect(questions).toEqual([`delete ${WWW} from ${table}? [y/N] `]);
    expect(await names()).toEqual([SEED, WWW]);

    const confirmed = await runCli(['apply', '--prune', a], {
      world,
      io: { ask: () => Promise.resolve('yes') },
    });
    expect(confirmed.code).toBe(0);
    expect(confirmed.out).toContain(
      `deleted ${WWW}; its records, alarms and health checks are removed next\n`,
    );
    expect(await names()).toEqual([SEED]);

    await world.chains.put(wwwRow());
    expect((await runCli(['apply', '--prune', '--yes', a], { world })).code).toBe(0);
    expect(await names()).toEqual([SEED]);
  });

  it('--dry-run prints what Route 53 would change against its live state, and writes nothing', async () => {
    const { write } = rowFolder();
    const a = write('a.json', seedRow());
    const fresh = await runCli(['apply', '--dry-run', a], { world });
    expect(fresh).toEqual({
      code: 0,
      out: [
        `create    ${SEED}  (${a})`,
        `plan: 1 to create, 0 to update, 0 to delete, 0 unchanged (${table})`,
        '',
        `${SEED}: Route 53 changes`,
        '  CREATE  health check for tier primary (HTTP 1.1.1.1:8888)',
        '  CREATE  health check for tier secondary (HTTP 2.2.2.2:8888)',
        `  CREATE  backup.${SEED}. CNAME PRIMARY -> secondary.${SEED}.  [health check tier:secondary]`,
        `  CREATE  backup.${SEED}. CNAME SECONDARY -> tertiary.${SEED}.`,
        `  CREATE  ${SEED}. CNAME PRIMARY -> primary.${SEED}.  [health check tier:primary]`,
        `  CREATE  ${SEED}. CNAME SECONDARY -> backup.${SEED}.`,
        '',
        'health checks: 2 would exist, alarms: 2 (the chains in these files)',
        'monthly cost, USD (list prices of 2026-11-25; endpoints priced as non-AWS (an upper bound; --aws-endpoints for the AWS rate)):',
        '  ITEM                                     COUNT  EACH  MONTHLY',
        '  Route 53 health check, non-AWS endpoint      2  0.75     1.50',
        '  CloudWatch alarm, standard resolution        2  0.10     0.20',
        '  total                                                    1.70',
        '  not included: hosted zones, DNS queries, records over 10,000 in a zone, SNS; free tiers (50 AWS-endpoint health checks, 10 alarms) not subtracted',
        'first run: 2 health checks to create at one every 2 s: about 4 s',
        'dry run: nothing written',
        '',
      ].join('\n'),
      err: '',
      progress: [],
    });
    expect(writeCalls(world)).toEqual([]);
    expect(await names()).toEqual([]);

    // Built, then the row's TTL changes: the dry run shows the four UPSERTs with the real check ids.
    await runCli(['apply', a], { world });
    await runCli(['reconcile', SEED], { world });
    const before = recordLines(world);
    const writesBefore = writeCalls(world).length;
    const changed = await runCli(['apply', '--dry-run', write('a.json', { ...seedRow(), ttl: 120 })], {
      world,
    });
    const status = (await world.deps.status.get(SEED))!;
    expect(changed.out).toContain(
      `  UPSERT  ${SEED}. CNAME PRIMARY -> primary.${SEED}.  [health check ${status.healthChecks.primary!.id!}]\n`,
    );
    expect(changed.out.match(/ {2}UPSERT /g)).toHaveLength(4);
    // Built already: the same cost, and nothing left to create.
    expect(changed.out).toContain('first run: 0 health checks to create at one every 2 s: about 0 s\n');
    expect(recordLines(world)).toEqual(before);
    expect(writeCalls(world)).toHaveLength(writesBefore);
    expect(await world.chains.get(SEED)).toMatchObject({ ttl: 60 });
  });

  it('--dry-run exits 1 when Route 53 holds a record the chain would need', async () => {
    await world.deps.route53.changeRecords(
      'Z0123456789EXAMPLE',
      [
        {
          Action: 'CREATE',
          ResourceRecordSet: {
            Name: `${SEED}.`,
            Type: 'CNAME',
            TTL: 300,
            ResourceRecords: [{ Value: 'elsewhere.example.net' }],
          },
        },
      ],
      'someone else',
    );
    const { write } = rowFolder();
    const result = await runCli(['apply', '--dry-run', write('a.json', seedRow())], { world });
    expect(result.code).toBe(1);
    expect(result.out).toContain(
      `  CONFLICT  ${SEED}. CNAME: held by a record failover-chains did not make; it is left untouched\n`,
    );
  });
});

describe('chains get and delete', () => {
  it('get prints the row as plain JSON or DynamoDB JSON; a missing row exits 1', async () => {
    await world.chains.put(seedRow());
    const plain = await runCli(['get', 'Resilient-Site.Example.com.'], { world });
    expect(plain.code).toBe(0);
    expect(JSON.parse(plain.out)).toEqual(seedRow());
    const dynamo = await runCli(['get', SEED, '--dynamodb-json'], { world });
    expect(JSON.parse(dynamo.out)).toMatchObject({ name: { S: SEED }, ttl: { N: '60' } });
    // What get prints, apply takes back unchanged.
    const { write } = rowFolder();
    expect((await runCli(['apply', write('back.json', dynamo.out)], { world })).out).toContain(
      `unchanged ${SEED}`,
    );
    expect(await runCli(['get', 'nope.example.com'], { world })).toMatchObject({
      code: 1,
      out: '',
      err: `no chain nope.example.com in ${table}\n`,
    });
  });

  it('delete asks first; without a terminal it needs --yes', async () => {
    await world.chains.put(seedRow());
    expect(await runCli(['delete', SEED], { world })).toMatchObject({
      code: 2,
      err: `error: delete ${SEED}: no terminal to confirm on; pass --yes\n`,
    });
    expect(await runCli(['delete', SEED], { world, io: { ask: () => Promise.resolve('') } })).toMatchObject({
      code: 1,
      err: 'not deleted\n',
    });
    expect(await names()).toEqual([SEED]);
    expect(await runCli(['delete', SEED], { world, io: { ask: () => Promise.resolve('y') } })).toMatchObject({
      code: 0,
      out: `deleted ${SEED}; its records, alarms and health checks are removed next\n`,
    });
    expect(await names()).toEqual([]);
  });
});
