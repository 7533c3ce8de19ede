import { afterEach, describe, expect, it } from 'vitest';
import type { LocalWorld } from '../../local/local-world.ts';
import { reconcileAll } from '../../shared/reconcile/reconcile-all.ts';
import { runCli } from '../cli/run-cli.ts';
import { makeSharedWorld, sharingRow } from '../fixtures/shared-world.ts';

// Route 53's health check quota (200 an account by default) is enforced by the stand-in
// (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/DNSLimitations.html#limits-api-entities).
// Each chain here has its own primary and shares one secondary site.

let world: LocalWorld;
afterEach(() => {
  world.destroy();
});

const names = ['a', 'b', 'c', 'd'];
const creates = () => world.route53.calls.filter((call) => call === 'CreateHealthCheckCommand').length;

describe('quotas with shared health checks', () => {
  it('counts a shared check once: four chains need five checks, not eight', async () => {
    world = await makeSharedWorld();
    world.route53.quotas.healthChecks = 5;
    for (const [i, name] of names.entries())
      await world.chains.put(sharingRow(`${name}.example.com`, `1.1.1.${i + 1}`));
    const summary = await reconcileAll(world.deps);
    expect(summary.byState).toEqual({ IN_SYNC: 4 });
    expect(world.route53.healthChecks.size).toBe(5);
  });

  it('blocks the chain whose own check does not fit, counting the shared one as created', async () => {
    world = await makeSharedWorld();
    world.route53.quotas.healthChecks = 4;
    for (const [i, name] of names.entries())
      await world.chains.put(sharingRow(`${name}.example.com`, `1.1.1.${i + 1}`));
    const summary = await reconcileAll(world.deps);
    expect(summary.byState).toEqual({ IN_SYNC: 3, BLOCKED: 1 });
    expect(await world.deps.status.get('d.example.com')).toMatchObject({
      state: 'BLOCKED',
      errors: ['health check quota 4 reached (4 used, this chain needs 1 more), ask AWS for more'],
    });
    expect(creates()).toBe(4);
  });

  it('admits no more checks in a run once Route 53 refused one for the quota', async () => {
    world = await makeSharedWorld();
    world.route53.quotas.healthChecks = 3;
    // Another tool's use is not in the count the run read: the gate believes there is room.
    const route53 = Object.assign(Object.create(world.deps.route53) as typeof world.deps.route53, {
      healthCheckQuota: () => Promise.resolve({ limit: 100, used: 0 }),
    });
    for (const [i, name] of names.entries())
      await world.chains.put(sharingRow(`${name}.example.com`, `1.1.1.${i + 1}`));
    const summary = await reconcileAll({ ...world.deps, route53 });
    expect(summary.byState).toEqual({ IN_SYNC: 2, BLOCKED: 2 });
    // a: 2 created; b: 1 created; c: refused; d: not tried.
    expect(creates()).toBe(4);
    expect((await world.deps.status.get('d.example.com'))?.errors).toEqual([
      'health check quota reached (Route 53 refused to create a health check), ask AWS for more',
    ]);
  });

  it('chains plan --all counts each shared check once and says how many tiers share them', async () => {
    world = await makeSharedWorld();
    for (const [i, name] of names.entries())
      await world.chains.put(sharingRow(`${name}.example.com`, `1.1.1.${i + 1}`));
    const { out, code } = await runCli(['plan', '--all'], { world });
    expect(code).toBe(0);
    expect(out).toContain(
      [
        'health checks: 5 would exist, 5 to create (quota 200, 0 used)',
        '  shared: 8 chain tiers use 5 of them (one check and one alarm per endpoint and settings)',
        'alarms: 5 would exist (CloudWatch has no quota on the number of alarms)',
      ].join('\n'),
    );
    expect(out).toContain('first run: 5 health checks to create at one every 2 s: about 10 s\n');

    await reconcileAll(world.deps);
    const after = await runCli(['plan', '--all'], { world });
    expect(after.out).toContain('health checks: 5 would exist, 0 to create (quota 200, 5 used)\n');
  });
});
