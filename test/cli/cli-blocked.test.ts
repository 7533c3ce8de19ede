import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LocalWorld } from '../../local/local-world.ts';
import { seedRow } from '../fixtures/chains.ts';
import { makeWorld } from '../fixtures/world.ts';
import { runCli } from './run-cli.ts';

// The account's health check quota (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/DNSLimitations.html#limits-api-entities)
// set to 3 in the stand-in: the first seed chain (2 checks) fits, the second does not.

let world: LocalWorld;
beforeEach(async () => {
  world = await makeWorld();
  world.route53.quotas.healthChecks = 3;
  await world.chains.put(seedRow());
  await world.chains.put({ ...seedRow(), name: 'second.example.com' });
});
afterEach(() => {
  world.destroy();
});

describe('a chain waiting for a quota, as the CLI shows it', () => {
  it('reconcile --all exits 1 and points at status; status shows BLOCKED with the reason', async () => {
    const run = await runCli(['reconcile', '--all'], { world });
    expect(run.code).toBe(1);
    expect(run.out).toContain(
      'reconciled 2 chains: 1 BLOCKED, 1 IN_SYNC\n1 chain needs attention: see chains status\n',
    );

    const table = await runCli(['status'], { world });
    const line = table.out.split('\n').find((row) => row.startsWith('second.example.com'));
    expect(line).toMatch(
      /^second\.example\.com +BLOCKED +- +- +health check quota 3 reached \(2 used, this chain needs 2 more\), ask AWS for more$/,
    );

    const tree = await runCli(['status', 'second.example.com'], { world });
    expect(tree.out).toContain('second.example.com  BLOCKED  serving: unknown\n');
    expect(tree.out).toContain(
      '  ! health check quota 3 reached (2 used, this chain needs 2 more), ask AWS for more\n',
    );
  });
});
