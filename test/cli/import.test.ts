import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { main } from '../../cli/main.ts';
import type { LocalWorld } from '../../local/local-world.ts';
import { seedConsoleTree, ZONE_ID } from '../fixtures/console-trees.ts';
import { createByHand, makeChecksByHand } from '../fixtures/hand-made.ts';
import { makeWorld, recordLines } from '../fixtures/world.ts';

// `chains import` as a person runs it, against the stand-ins and DynamoDB Local.

let world: LocalWorld;
beforeEach(async () => {
  world = await makeWorld();
});
afterEach(() => {
  world.destroy();
});

async function run(...argv: string[]) {
  let out = '';
  let err = '';
  const code = await main(
    argv,
    { out: (t) => (out += `${t.trimEnd()}\n`), err: (t) => (err += `${t.trimEnd()}\n`) },
    { deps: () => world.deps, store: () => world.chains },
  );
  return { code, out, err };
}

const NAME = 'resilient-site.example.com';

/** The seed's layout as the console makes it, with two checks made by hand. */
async function consoleSetup(): Promise<string[]> {
  const ids = await makeChecksByHand(world, ['1.1.1.1', '2.2.2.2']);
  await createByHand(world, seedConsoleTree(ids));
  return ids;
}

/** Replace the random health check ids with readable names, so output can be compared. */
const readable = (text: string, ids: readonly string[]) =>
  ids.reduce((t, id, i) => t.replaceAll(id, `<check-${i + 1}>`), text);

describe('chains import', () => {
  it("--dry-run prints the seed's row, its tree and the first reconcile's one batch, and writes nothing", async () => {
    const ids = await consoleSetup();
    const result = await run('import', NAME, '--zone', ZONE_ID, '--dry-run');
    expect(result.code).toBe(0);
    expect(JSON.parse(readable(result.out, ids))).toMatchObject({
      name: NAME,
      tiers: [
        { id: 'primary', healthCheck: { id: '<check-1>' } },
        { id: 'secondary', healthCheck: { id: '<check-2>' } },
        { id: 'tertiary' },
      ],
    });
    expect(readable(result.err, ids)).toBe(
      [
        'the tree found:',
        'resilient-site.example.com. CNAME',
        '├── PRIMARY "Primary" -> primary.resilient-site.example.com  health check <check-1>',
        '└── SECONDARY "Secondary" -> backup.resilient-site.example.com',
        '    ├── PRIMARY "Primary" -> secondary.resilient-site.example.com  health check <check-2>',
        '    └── SECONDARY "Secondary" -> tertiary.resilient-site.example.com',
        '',
        'the first reconcile, in one change batch (8 changes):',
        '  DELETE resilient-site.example.com. CNAME PRIMARY "Primary" -> primary.resilient-site.example.com  health check <check-1>',
        '  DELETE resilient-site.example.com. CNAME SECONDARY "Secondary" -> backup.resilient-site.example.com',
        '  DELETE backup.resilient-site.example.com. CNAME PRIMARY "Primary" -> secondary.resilient-site.example.com  health check <check-2>',
        '  DELETE backup.resilient-site.example.com. CNAME SECONDARY "Secondary" -> tertiary.resilient-site.example.com',
        '  CREATE backup.resilient-site.example.com. CNAME PRIMARY "failover-chains/default/1/primary" -> secondary.resilient-site.example.com.  health check <check-2>',
        '  CREATE backup.resilient-site.example.com. CNAME SECONDARY "failover-chains/default/1/secondary" -> tertiary.resilient-site.example.com.',
        '  CREATE resilient-site.example.com. CNAME PRIMARY "failover-chains/default/0/primary" -> primary.resilient-site.example.com.  health check <check-1>',
        '  CREATE resilient-site.example.com. CNAME SECONDARY "failover-chains/default/0/secondary" -> backup.resilient-site.example.com.',
        'Route 53 answers the same before and after for all 4 combinations of 2 health variables (<check-1>, <check-2>)',
        '',
      ].join('\n'),
    );
    expect(await world.chains.get(NAME)).toBeUndefined();
  });

  it('--yaml prints the same row as YAML, which chains apply reads back', async () => {
    await consoleSetup();
    const json = await run('import', NAME, '--zone', ZONE_ID);
    const yaml = await run('import', NAME, '--zone', ZONE_ID, '--yaml');
    expect(yaml.code).toBe(0);
    expect(yaml.out).toMatch(/^name: resilient-site\.example\.com\n/);
    expect(parseYaml(yaml.out)).toEqual(JSON.parse(json.out));
    const file = join(mkdtempSync(join(tmpdir(), 'fc-import-')), 'row.yaml');
    writeFileSync(file, yaml.out);
    expect((await run('apply', file, '--dry-run')).code).toBe(0);
  });

  it('--write writes the row with its adoption list; reconcile takes the tree over; status shows the chain', async () => {
    const ids = await consoleSetup();
    const written = await run('import', NAME, '--zone', ZONE_ID, '--write');
    expect(written.code).toBe(0);
    expect(written.err).toContain(
      'wrote resilient-site.example.com to failover-chains: its first reconcile replaces 4 hand-made records in one change batch',
    );
    expect(await world.chains.get(NAME)).toMatchObject({ adopt: expect.any(Array) as unknown });
    expect(await run('reconcile', NAME)).toEqual({
      code: 0,
      out: 'resilient-site.example.com: IN_SYNC (8 record changes)\n',
      err: '',
    });
    expect(recordLines(world).map((line) => readable(line, ids))).toEqual([
      'resilient-site.example.com. CNAME failover-chains/default/0/primary -> primary.resilient-site.example.com. [hc:?]',
      'resilient-site.example.com. CNAME failover-chains/default/0/secondary -> backup.resilient-site.example.com.',
      'backup.resilient-site.example.com. CNAME failover-chains/default/1/primary -> secondary.resilient-site.example.com. [hc:?]',
      'backup.resilient-site.example.com. CNAME failover-chains/default/1/secondary -> tertiary.resilient-site.example.com.',
    ]);
    const status = await run('status', NAME);
    expect(status.code).toBe(0);
    expect(status.out).toContain('resilient-site.example.com  IN_SYNC  serving: primary');

    // Writing again never overwrites the row.
    const again = await run('import', NAME, '--zone', ZONE_ID, '--write');
    expect(again.code).toBe(1);
  });

  it('--manage-health-checks copies the checks into the row; the system makes its own and keeps yours', async () => {
    const ids = await consoleSetup();
    const result = await run('import', NAME, '--zone', ZONE_ID, '--manage-health-checks', '--write');
    expect(result.code).toBe(0);
    expect((JSON.parse(result.out) as { tiers: unknown[] }).tiers[0]).toEqual({
      id: 'primary',
      target: 'primary.resilient-site.example.com',
      healthCheck: {
        type: 'HTTP',
        ip: '1.1.1.1',
        port: 80,
        path: '/health',
        requestInterval: 30,
        failureThreshold: 3,
      },
    });
    expect((await run('reconcile', NAME)).code).toBe(0);
    expect(recordLines(world)[0]).toBe(
      'resilient-site.example.com. CNAME failover-chains/default/0/primary -> primary.resilient-site.example.com. [hc:primary]',
    );
    expect(world.route53.healthChecks.size).toBe(4);
    for (const id of ids) expect(world.route53.healthChecks.has(id)).toBe(true);
  });

  it('refuses a tree it cannot represent, with the reason, the record keys and the tree, and exits 1', async () => {
    const ids = await makeChecksByHand(world, ['1.1.1.1', '2.2.2.2']);
    const tree = seedConsoleTree(ids).map((r, i) =>
      i >= 2 ? { ...r, Failover: undefined, Weight: i === 2 ? 90 : 10, HealthCheckId: undefined } : r,
    );
    await createByHand(world, tree);
    const result = await run('import', NAME, '--zone', ZONE_ID);
    expect(result.code).toBe(1);
    expect(result.out).toBe('');
    expect(readable(result.err, ids)).toBe(
      [
        'cannot import resilient-site.example.com:',
        '  - uses weighted routing, which a failover chain cannot represent',
        '      backup.resilient-site.example.com. CNAME "Primary"',
        '      backup.resilient-site.example.com. CNAME "Secondary"',
        '',
        'the tree found:',
        'resilient-site.example.com. CNAME',
        '├── PRIMARY "Primary" -> primary.resilient-site.example.com  health check <check-1>',
        '└── SECONDARY "Secondary" -> backup.resilient-site.example.com',
        '',
      ].join('\n'),
    );
  });

  it('usage: --zone is required, and --dry-run excludes --write', async () => {
    expect((await run('import', NAME)).code).toBe(2);
    expect((await run('import', NAME, '--zone', ZONE_ID, '--dry-run', '--write')).code).toBe(2);
    expect((await run('import', NAME, '--zone', 'Z404')).err).toContain('--zone Z404: no such hosted zone');
  });
});
