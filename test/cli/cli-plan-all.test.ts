import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LocalWorld } from '../../local/local-world.ts';
import { fiveTierARow, seedRow } from '../fixtures/chains.ts';
import { makeWorld, writeCalls } from '../fixtures/world.ts';
import { runCli } from './run-cli.ts';

// Prices: https://aws.amazon.com/route53/pricing/ and https://aws.amazon.com/cloudwatch/pricing/
// (shared/core/pricing.ts). The seed chain has 2 HTTP checks and 4 records; the five-tier chain
// 4 checks (one HTTPS) and 8 records: 6 checks, 6 alarms, 12 records.

let world: LocalWorld;
beforeEach(async () => {
  world = await makeWorld();
  await world.chains.put(seedRow());
  await world.chains.put(fiveTierARow());
});
afterEach(() => {
  world.destroy();
});

describe('chains plan --all', () => {
  it('prints what would exist against the quotas, the monthly cost by item and the first run, and writes nothing', async () => {
    const result = await runCli(['plan', '--all'], { world });
    expect(result).toEqual({
      code: 0,
      out: [
        `chains: 2 planned from ${world.tables.chains}`,
        'health checks: 6 would exist, 6 to create (quota 200, 0 used)',
        'alarms: 6 would exist (CloudWatch has no quota on the number of alarms)',
        'records in Z0123456789EXAMPLE: 12 would exist, 12 to add (quota 10000, 0 used)',
        '',
        'monthly cost, USD (list prices of 2026-11-25; endpoints priced as non-AWS (an upper bound; --aws-endpoints for the AWS rate)):',
        '  ITEM                                     COUNT  EACH  MONTHLY',
        '  Route 53 health check, non-AWS endpoint      6  0.75     4.50',
        '    optional feature: HTTPS                    1  2.00     2.00',
        '  CloudWatch alarm, standard resolution        6  0.10     0.60',
        '  total                                                    7.10',
        '  not included: hosted zones, DNS queries, records over 10,000 in a zone, SNS; free tiers (50 AWS-endpoint health checks, 10 alarms) not subtracted',
        'first run: 6 health checks to create at one every 2 s: about 12 s',
        '',
      ].join('\n'),
      err: '',
      progress: [],
    });
    expect(writeCalls(world)).toEqual([]);

    // The README shows this run as a user with the default table name sees it.
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const start = readme.indexOf('```text\n$ chains plan --all\n') + '```text\n'.length;
    const shown = readme.slice(start, readme.indexOf('```', start));
    expect(shown).toBe(`$ chains plan --all\n${result.out.replace(world.tables.chains, 'failover-chains')}`);
  });

  it('prices at the AWS-endpoint rate with --aws-endpoints', async () => {
    const { out } = await runCli(['plan', '--all', '--aws-endpoints'], { world });
    expect(out).toContain('(list prices of 2026-11-25; endpoints priced as AWS resources):\n');
    expect(out).toMatch(/\n {2}Route 53 health check, AWS endpoint +6 +0\.50 +3\.00\n/);
    expect(out).toMatch(/\n {4}optional feature: HTTPS +1 +1\.00 +1\.00\n/);
    expect(out).toMatch(/ {2}total +4\.60\n/);
  });

  it('counts what exists: once built, nothing is left to create and the quota shows the use', async () => {
    expect((await runCli(['reconcile', '--all'], { world })).code).toBe(0);
    const { out, code } = await runCli(['plan', '--all'], { world });
    expect(code).toBe(0);
    expect(out).toContain('health checks: 6 would exist, 0 to create (quota 200, 6 used)\n');
    expect(out).toContain('records in Z0123456789EXAMPLE: 12 would exist, 0 to add (quota 10000, 12 used)\n');
    expect(out).toContain('first run: 0 health checks to create at one every 2 s: about 0 s\n');
  });

  it('exits 1 and says by how much when the chains would not fit a quota', async () => {
    world.route53.quotas.healthChecks = 4;
    world.route53.quotas.recordsPerZone = 20;
    const { out, code } = await runCli(['plan', '--all'], { world });
    expect(code).toBe(1);
    expect(out).toContain(
      'health checks: 6 would exist, 6 to create (quota 4, 0 used: 2 over, ask AWS for more)\n',
    );
    expect(out).toContain('records in Z0123456789EXAMPLE: 12 would exist, 12 to add (quota 20, 0 used)\n');
    expect(out).toContain(
      '  chains that do not fit wait as BLOCKED; raise a quota at https://console.aws.amazon.com/servicequotas/',
    );
  });

  it('names invalid rows, leaves them out, and exits 1', async () => {
    await world.chains.put({ ...seedRow(), name: 'broken.example.com', tiers: [] });
    const { out, code } = await runCli(['plan', '--all'], { world });
    expect(code).toBe(1);
    expect(out).toContain(
      `chains: 2 planned from ${world.tables.chains}; 1 invalid, not counted: broken.example.com\n`,
    );
  });

  it('is a usage error with both a file and --all, or neither', async () => {
    expect(await runCli(['plan'], { world })).toMatchObject({
      code: 2,
      err: 'error: give a row file or --all\n',
    });
    expect((await runCli(['plan', 'row.json', '--all'], { world })).code).toBe(2);
  });
});
