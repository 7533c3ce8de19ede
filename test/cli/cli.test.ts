import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { marshall } from '@aws-sdk/util-dynamodb';
import { describe, expect, it } from 'vitest';
import { main } from '../../cli/main.ts';
import { seedRow } from '../fixtures/chains.ts';

const dir = mkdtempSync(join(tmpdir(), 'chains-cli-'));
function file(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

async function run(...argv: string[]) {
  let out = '';
  let err = '';
  const code = await main(argv, {
    out: (t) => (out += t.endsWith('\n') ? t : `${t}\n`),
    err: (t) => (err += t.endsWith('\n') ? t : `${t}\n`),
  });
  return { code, out, err };
}

describe('chains CLI', () => {
  it('validate prints ok for the seed row, in plain and DynamoDB JSON', async () => {
    expect(await run('validate', file('seed.json', seedRow()))).toEqual({ code: 0, out: 'ok\n', err: '' });
    expect(await run('validate', file('seed-ddb.json', marshall(seedRow())))).toEqual({
      code: 0,
      out: 'ok\n',
      err: '',
    });
  });

  it('validate prints every error, one a line, and exits 1', async () => {
    const row = seedRow();
    (row.tiers[1]!.healthCheck as Record<string, unknown>).port = 70000;
    row.ttl = -5;
    const result = await run('validate', file('bad.json', row));
    expect(result.code).toBe(1);
    expect(result.err).toBe(
      'ttl: must be an integer from 0 to 2147483647 (got -5)\ntiers[1].healthCheck.port: must be an integer from 1 to 65535 (got 70000)\n',
    );
  });

  it('plan prints health check configs and records with tier placeholders', async () => {
    const result = await run('plan', file('seed.json', seedRow()));
    const plan = JSON.parse(result.out) as {
      healthChecks: Record<string, unknown>;
      records: { HealthCheckId?: string }[];
    };
    expect(Object.keys(plan.healthChecks)).toEqual(['primary', 'secondary']);
    expect(plan.healthChecks.primary).toEqual({
      Type: 'HTTP',
      IPAddress: '1.1.1.1',
      Port: 8888,
      ResourcePath: '/',
      RequestInterval: 30,
      FailureThreshold: 3,
    });
    expect(plan.records.map((r) => r.HealthCheckId)).toEqual([
      'tier:primary',
      undefined,
      'tier:secondary',
      undefined,
    ]);
  });

  it('plan --observed prints the change list against a ListResourceRecordSets result', async () => {
    const planned = JSON.parse((await run('plan', file('seed.json', seedRow()))).out) as {
      records: unknown[];
    };
    const observed = file('observed.json', {
      ResourceRecordSets: planned.records.slice(0, 3),
      IsTruncated: false,
    });
    const result = await run('plan', file('seed.json', seedRow()), '--observed', observed, '--json');
    const diff = JSON.parse(result.out) as {
      changes: { Action: string; ResourceRecordSet: { Name: string } }[];
    };
    expect(diff.changes.map((c) => `${c.Action} ${c.ResourceRecordSet.Name}`)).toEqual([
      'CREATE backup.resilient-site.example.com.',
    ]);
    expect(await run('plan', file('seed.json', seedRow()), '--observed', observed)).toEqual({
      code: 0,
      out: 'CREATE  backup.resilient-site.example.com. CNAME SECONDARY -> tertiary.resilient-site.example.com.\n',
      err: '',
    });
  });

  it('answer shows which tier serves when only some tiers are healthy', async () => {
    const result = await run('answer', file('seed.json', seedRow()), '--healthy', 'secondary,tertiary');
    expect(result.out).toContain(
      'backup.resilient-site.example.com.\tCNAME\tsecondary.resilient-site.example.com.\t; PRIMARY',
    );
    expect(result.out).toMatch(/serving tier: secondary\n$/);
    const none = await run('answer', file('seed.json', seedRow()), '--healthy', '', '--json');
    expect((JSON.parse(none.out) as { servingTier: string }).servingTier).toBe('tertiary');
  });

  it('exits 2 on usage errors', async () => {
    expect((await run('frobnicate')).code).toBe(2);
    expect((await run('validate')).code).toBe(2);
    expect((await run('answer', file('seed.json', seedRow()))).code).toBe(2);
    const unknownTier = await run('answer', file('seed.json', seedRow()), '--healthy', 'nope');
    expect(unknownTier).toMatchObject({
      code: 2,
      err: expect.stringContaining('unknown tier nope') as string,
    });
    expect((await run('validate', join(dir, 'missing.json'))).code).toBe(2);
    expect((await run('validate', file('notjson.json', '{nope'))).code).toBe(2);
  });

  it('has --help on every command', async () => {
    for (const command of ['validate', 'plan', 'answer']) {
      const result = await run(command, '--help');
      expect(result.code).toBe(0);
      expect(result.out).toContain(`Usage: chains ${command}`);
    }
  });

  it('runs as the package bin with no build step', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [
      new URL('../../bin/chains.js', import.meta.url).pathname,
      'validate',
      file('seed.json', seedRow()),
    ]);
    expect(stdout).toBe('ok\n');
  });
});
