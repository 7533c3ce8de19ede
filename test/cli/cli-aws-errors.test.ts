import fc from 'fast-check';
import { describe, expect, inject, it } from 'vitest';
import { seedRow } from '../fixtures/chains.ts';
import { makeWorld } from '../fixtures/world.ts';
import { bareEnv, rowFolder, runBin, runCli } from './run-cli.ts';

const STACK_TRACE = /^\s+at .+:\d+:\d+\)?$|node:internal/m;

describe('AWS failures a newcomer meets say what to do, with no stack trace', () => {
  it('names the fix for a missing region, missing credentials and a missing table (real bin/chains.js runs)', async () => {
    const world = await makeWorld();
    try {
      const local = {
        AWS_ENDPOINT_URL_DYNAMODB: inject('dynamodbEndpoint'),
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: 'local',
        AWS_SECRET_ACCESS_KEY: 'local',
      };
      const [noRegion, noCredentials, noTable] = await Promise.all([
        runBin(['get', 'site.example.com'], bareEnv()),
        runBin(['get', 'site.example.com'], bareEnv({ AWS_REGION: 'us-east-1' })),
        runBin(
          [
            'get',
            'site.example.com',
            '--chains-table',
            'no-such-table',
            '--status-table',
            world.tables.status,
          ],
          bareEnv(local),
        ),
      ]);
      expect(noRegion).toEqual({
        code: 1,
        stdout: '',
        stderr:
          'error: no AWS region set: run with AWS_REGION=us-east-1 (where the stack is deployed), or set a region in your AWS profile\n',
      });
      expect(noCredentials).toEqual({
        code: 1,
        stdout: '',
        stderr:
          'error: no AWS credentials found: sign in (aws sso login, or aws configure), or set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY\n',
      });
      expect(noTable).toEqual({
        code: 1,
        stdout: '',
        stderr:
          "error: table no-such-table not found in us-east-1: pass --chains-table or set CHAINS_TABLE to your deployment's table (or --stack NAME to read both from the stack)\n",
      });
    } finally {
      world.destroy();
    }
  }, 120_000);

  it('exits 2 with one line for usage errors from the real bin, with no stack trace', async () => {
    const { write } = rowFolder();
    const runs = await Promise.all([
      runBin(['validate', write('list.json', [seedRow()])], bareEnv()),
      runBin(['history', 'x.example.com', '--limit', 'abc'], bareEnv()),
      runBin(['delete', 'x.example.com'], bareEnv()),
      runBin(['--version'], bareEnv()),
    ]);
    expect(runs.map((run) => run.code)).toEqual([2, 2, 2, 0]);
    expect(runs[2].stderr).toBe('error: delete x.example.com: no terminal to confirm on; pass --yes\n');
    expect(runs[0].stderr).toMatch(
      /^error: .*list\.json: holds a list of 1 items; a row file holds one chain row \(an object\)\n$/,
    );
    for (const run of runs) expect(run.stderr).not.toMatch(STACK_TRACE);
  }, 120_000);

  it('says which action AccessDenied refused', async () => {
    const denied = Object.assign(
      new Error(
        'User: arn:aws:sts::123456789012:assumed-role/dev/me is not authorized to perform: dynamodb:GetItem on resource: arn:aws:dynamodb:us-east-1:123456789012:table/failover-chains because no identity-based policy allows the dynamodb:GetItem action',
      ),
      { name: 'AccessDeniedException' },
    );
    const store = () => ({
      get: () => Promise.reject(denied),
      getItem: () => Promise.reject(denied),
      scan: () => Promise.reject(denied),
      put: () => Promise.reject(denied),
      remove: () => Promise.reject(denied),
    });
    expect(await runCli(['get', 'site.example.com'], { overrides: { store } })).toEqual({
      code: 1,
      out: '',
      err: 'error: access denied: your credentials may not call dynamodb:GetItem on arn:aws:dynamodb:us-east-1:123456789012:table/failover-chains; ask for a role that allows it\n',
      progress: [],
    });
  });

  it('never prints a stack trace, whatever the offline commands are given', async () => {
    const { write } = rowFolder();
    const files = [
      write('seed.json', seedRow()),
      write('empty.json', ''),
      write('list.yaml', '- a\n- b\n'),
      write('bad.json', '{"tiers": 5, "name": []}'),
      write('weird.yml', 'name: !!binary AAAA\ntiers: *nope\n'),
      write('deep.json', '['.repeat(5000)),
      '/nonexistent/row.json',
      '/',
    ];
    const token = fc.oneof(
      fc.constantFrom(
        'validate',
        'plan',
        'answer',
        'help',
        '--observed',
        '--healthy',
        '--json',
        '--owner',
        '-',
      ),
      fc.constantFrom(...files),
      fc.string({ maxLength: 8 }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(token, { maxLength: 6 }), async (argv) => {
        const result = await runCli(argv, { io: { readStdin: () => Promise.resolve('{"name": 1}') } });
        expect([0, 1, 2]).toContain(result.code);
        expect(result.err).not.toMatch(STACK_TRACE);
      }),
      { numRuns: 300 },
    );
  });
});
