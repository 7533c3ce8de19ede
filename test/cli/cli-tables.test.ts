import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import type { LocalWorld } from '../../local/local-world.ts';
import { observeServing } from '../../shared/serving/observe-serving.ts';
import { seedRow } from '../fixtures/chains.ts';
import { makeWorld, recordLines } from '../fixtures/world.ts';
import { runCli } from './run-cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'chains-cli-'));
const file = (name: string, content: unknown) => {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(content));
  return path;
};

let world: LocalWorld;
beforeEach(async () => {
  world = await makeWorld();
});
afterEach(() => {
  world.destroy();
});

async function run(...argv: string[]) {
  const { code, out, err } = await runCli(argv, { world });
  return { code, out, err };
}

describe('chains apply, reconcile and delete', () => {
  it('apply writes a valid row under its normalised name; reconcile builds it; delete removes it', async () => {
    const row = { ...seedRow(), name: 'Resilient-Site.Example.com.' };
    expect(await run('apply', file('seed.json', row))).toMatchObject({
      code: 0,
      out: expect.stringContaining('applied resilient-site.example.com (3 tiers)') as string,
    });
    expect(await world.chains.get('resilient-site.example.com')).toMatchObject({
      hostedZoneId: 'Z0123456789EXAMPLE',
    });

    expect(await run('reconcile', 'resilient-site.example.com')).toEqual({
      code: 0,
      out: 'resilient-site.example.com: IN_SYNC (4 record changes)\n',
      err: '',
    });
    expect(recordLines(world)).toHaveLength(4);

    expect((await run('delete', 'resilient-site.example.com', '--yes')).code).toBe(0);
    expect(await world.chains.get('resilient-site.example.com')).toBeUndefined();
    expect((await run('reconcile', '--all')).out).toBe('reconciled 1 chain: 1 DELETED\n');
    expect(recordLines(world)).toEqual([]);
    expect(await run('delete', 'resilient-site.example.com', '--yes')).toMatchObject({
      code: 1,
      err: `no chain resilient-site.example.com in ${world.tables.chains}\n`,
    });
  });

  it('apply never writes an invalid row', async () => {
    const row = seedRow();
    row.tiers = row.tiers.slice(0, 1);
    const path = file('bad.json', row);
    const result = await run('apply', path);
    expect(result).toMatchObject({
      code: 1,
      err: `${path}: tiers: must have from 2 to 8 tiers (got a list of 1)\nnothing written: fix the errors above\n`,
    });
    expect(await world.chains.get('resilient-site.example.com')).toBeUndefined();
  });

  it('reconcile prints the errors of a chain its zone rejects and exits 1', async () => {
    await world.chains.put({ ...seedRow(), hostedZoneId: 'ZNOPE' });
    const result = await run('reconcile', 'resilient-site.example.com');
    expect(result).toEqual({
      code: 1,
      out: 'resilient-site.example.com: INVALID (0 record changes)\n',
      err: 'hostedZoneId: no hosted zone ZNOPE exists in this account\n',
    });
    expect((await run('reconcile')).code).toBe(2);
  });

  it('status draws one chain as a tree with health and the serving tier; history lists flips newest first', async () => {
    await world.chains.put(seedRow());
    await run('reconcile', 'resilient-site.example.com');
    const status = (await world.deps.status.get('resilient-site.example.com'))!;
    world.cloudwatch.setState(status.alarms.primary!, 'ALARM', 'down', new Date(Date.now() + 60_000));
    await observeServing('resilient-site.example.com', world.deps);

    const tree = await run('status', 'resilient-site.example.com');
    expect(tree.out).toBe(
      [
        'resilient-site.example.com  IN_SYNC  serving: secondary',
        'resilient-site.example.com',
        '├── primary: primary  primary.resilient-site.example.com  [DOWN]',
        '└── secondary: backup.resilient-site.example.com',
        '    ├── primary: secondary  secondary.resilient-site.example.com  [up]  <- serving',
        '    └── secondary: tertiary  tertiary.resilient-site.example.com  [unchecked]',
        '',
      ].join('\n'),
    );
    const table = await run('status');
    expect(table.out.split('\n')[0]).toMatch(/^CHAIN\s+STATE\s+SERVING\s+HEALTH\s+LAST ERROR$/);
    expect(table.out).toContain('primary:DOWN secondary:up tertiary:unchecked');
    const json = JSON.parse((await run('status', 'resilient-site.example.com', '--json')).out) as {
      servingTier: string;
    };
    expect(json.servingTier).toBe('secondary');

    const history = await run('history', 'resilient-site.example.com');
    expect(history.out).toMatch(/^\S+Z {2}TIER_CHANGED {8}primary -> secondary {2}\(failed: primary\)\n$/);
    expect((await run('status', 'nope.example.com')).code).toBe(1);
  });

  it('reaches DynamoDB through the standard SDK endpoint variables', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        new URL('../../bin/chains.js', import.meta.url).pathname,
        'apply',
        file('seed.json', seedRow()),
        '--chains-table',
        world.tables.chains,
      ],
      {
        env: {
          ...process.env,
          AWS_ENDPOINT_URL_DYNAMODB: inject('dynamodbEndpoint'),
          AWS_REGION: 'us-east-1',
          AWS_ACCESS_KEY_ID: 'local',
          AWS_SECRET_ACCESS_KEY: 'local',
        },
      },
    );
    expect(stdout).toContain(`applied resilient-site.example.com (3 tiers) to ${world.tables.chains}`);
    expect(await world.chains.get('resilient-site.example.com')).toMatchObject({ recordType: 'CNAME' });
  });
});
