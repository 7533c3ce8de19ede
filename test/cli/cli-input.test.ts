import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { seedRow } from '../fixtures/chains.ts';
import { rowFolder, runCli } from './run-cli.ts';

const { dir, write } = rowFolder();

describe('chains reads row files in every form a user keeps them, and names the file when it cannot', () => {
  it.each([
    ['JSON', 'seed.json', JSON.stringify(seedRow())],
    ['JSON with a UTF-8 byte order mark', 'bom.json', `\uFEFF${JSON.stringify(seedRow())}`],
    ['YAML (.yaml)', 'seed.yaml', stringify(seedRow())],
    ['YAML (.yml) with a comment', 'seed.yml', `# kept in Git\n${stringify(seedRow())}`],
  ])('accepts %s', async (_label, name, text) => {
    expect(await runCli(['validate', write(name, text)])).toMatchObject({ code: 0, out: 'ok\n', err: '' });
  });

  it.each([
    ['JSON', JSON.stringify(seedRow())],
    ['YAML', stringify(seedRow())],
  ])('reads %s from stdin for the file name -', async (_label, text) => {
    const io = { readStdin: () => Promise.resolve(text) };
    expect(await runCli(['validate', '-'], { io })).toMatchObject({ code: 0, out: 'ok\n', err: '' });
    const answer = await runCli(['answer', '-', '--healthy', 'secondary', '--json'], { io });
    expect(JSON.parse(answer.out)).toMatchObject({ servingTier: 'secondary' });
  });

  it.each([
    ['a folder', () => dir, `error: ${dir}: is a folder; give a row file (apply also takes folders)\n`],
    ['a missing file', () => `${dir}/missing.json`, `error: ${dir}/missing.json: no such file\n`],
    [
      'an empty file',
      () => write('empty.json', '  \n'),
      `error: ${dir}/empty.json: empty file; a row is one JSON or YAML object\n`,
    ],
    [
      'a JSON array',
      () => write('list.json', [seedRow(), seedRow()]),
      `error: ${dir}/list.json: holds a list of 2 items; a row file holds one chain row (an object)\n`,
    ],
    [
      'JSON null',
      () => write('null.json', 'null'),
      `error: ${dir}/null.json: holds null, not a chain row (an object with name, hostedZoneId, tiers)\n`,
    ],
    [
      'broken JSON',
      () => write('broken.json', '{"name": '),
      `error: ${dir}/broken.json: not valid JSON (Unexpected end of JSON input)\n`,
    ],
    [
      'broken YAML',
      () => write('broken.yaml', 'name: a: b\n'),
      `error: ${dir}/broken.yaml: not valid YAML (Nested mappings are not allowed in compact mappings at line 1, column 7:)\n`,
    ],
    [
      'two YAML documents',
      () => write('two.yaml', `${stringify(seedRow())}---\n${stringify(seedRow())}`),
      `error: ${dir}/two.yaml: holds 2 YAML documents; a row file holds one row\n`,
    ],
  ])('refuses %s with one line naming the file, exit 2', async (_label, path, message) => {
    for (const command of [['validate'], ['plan'], ['answer', '--healthy', 'primary']]) {
      const [name, ...rest] = command;
      expect(await runCli([name!, path(), ...rest])).toEqual({
        code: 2,
        out: '',
        err: message,
        progress: [],
      });
    }
  });

  it('plan --observed validates its input and exits 1 when it reports conflicts', async () => {
    const seed = write('seed.json', seedRow());
    expect(await runCli(['plan', seed, '--observed', write('null.json', 'null')])).toMatchObject({
      code: 2,
      err: `error: --observed ${dir}/null.json: holds null; expected a ListResourceRecordSets result ({ "ResourceRecordSets": [...] })\n`,
    });
    expect(await runCli(['plan', seed, '--observed', write('numbers.json', [1, 2])])).toMatchObject({
      code: 2,
      err: `error: --observed ${dir}/numbers.json: [0]: Invalid input: expected object, received number (and 1 more)\n`,
    });
    const noName = write('no-name.json', { ResourceRecordSets: [{ Type: 'A' }] });
    expect(await runCli(['plan', seed, '--observed', noName])).toMatchObject({
      code: 2,
      err: `error: --observed ${noName}: ResourceRecordSets[0].Name: Invalid input: expected string, received undefined\n`,
    });

    // Someone else's plain CNAME at the chain's name: a conflict, reported and exit 1.
    const taken = write('taken.json', {
      ResourceRecordSets: [
        {
          Name: 'resilient-site.example.com.',
          Type: 'CNAME',
          TTL: 300,
          ResourceRecords: [{ Value: 'elsewhere.example.net' }],
        },
      ],
    });
    expect(await runCli(['plan', seed, '--observed', taken])).toMatchObject({
      code: 1,
      out: 'CONFLICT  resilient-site.example.com. CNAME: held by a record failover-chains did not make; it is left untouched\n',
    });
    const json = await runCli(['plan', seed, '--observed', taken, '--json']);
    expect(json.code).toBe(1);
    expect((JSON.parse(json.out) as { conflicts: unknown[] }).conflicts).toHaveLength(1);
  });
});

describe('chains options and exit codes', () => {
  it('help, help CMD and --version exit 0; no command or an unknown one is a usage error', async () => {
    expect(await runCli(['help'])).toMatchObject({
      code: 0,
      out: expect.stringContaining('Usage: chains') as string,
    });
    expect(await runCli(['help', 'apply'])).toMatchObject({
      code: 0,
      out: expect.stringContaining('Usage: chains apply [options] <files...>') as string,
    });
    expect(await runCli(['--version'])).toEqual({ code: 0, out: '0.1.0\n', err: '', progress: [] });
    expect((await runCli([])).code).toBe(2);
    expect(await runCli(['frobnicate'])).toMatchObject({
      code: 2,
      err: expect.stringContaining("error: unknown command 'frobnicate'") as string,
    });
  });

  it('history --limit must be a whole number', async () => {
    for (const limit of ['abc', '0', '2.5', '-3']) {
      const result = await runCli(['history', 'site.example.com', '--limit', limit]);
      expect(result.code).toBe(2);
      expect(result.err).toContain(
        `error: option '--limit <n>' argument '${limit}' is invalid. must be a whole number from 1 to 1000 (got "${limit}")`,
      );
    }
  });

  it('answer merges --healthy given twice instead of dropping one', async () => {
    const seed = write('seed.json', seedRow());
    const twice = await runCli(['answer', seed, '--healthy', 'tertiary', '--healthy', 'secondary', '--json']);
    const once = await runCli(['answer', seed, '--healthy', 'secondary,tertiary', '--json']);
    expect(twice.code).toBe(0);
    expect(twice.out).toBe(once.out);
    expect((JSON.parse(twice.out) as { servingTier: string }).servingTier).toBe('secondary');
  });

  it('a bad --owner is a usage error', async () => {
    expect(await runCli(['--owner', 'Not Valid', 'plan', write('seed.json', seedRow())])).toMatchObject({
      code: 2,
      err: 'error: --owner: must be 1 to 32 lower-case letters, digits or hyphens (got "Not Valid")\n',
    });
  });
});
