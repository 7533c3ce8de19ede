import { TooManyHealthChecks } from '@aws-sdk/client-route-53';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LocalWorld } from '../../local/local-world.ts';
import { reconcile } from '../../shared/reconcile/reconcile.ts';
import { reconcileAll } from '../../shared/reconcile/reconcile-all.ts';
import { seedRow } from '../fixtures/chains.ts';
import { makeWorld, recordLines, writeCalls } from '../fixtures/world.ts';

// Route 53 quotas: 200 health checks an account and 10,000 records a zone by default
// (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/DNSLimitations.html#limits-api-entities);
// the stand-in enforces them, set small here. The seed chain needs 2 health checks and 4 records.

let world: LocalWorld;
beforeEach(async () => {
  world = await makeWorld();
});
afterEach(() => {
  world.destroy();
});

const row = (name: string) => ({ ...seedRow(), name: `${name}.example.com` });
const quotaAlerts = () =>
  world.sns.published.filter((message) => (message.json as { event?: string }).event === 'QUOTA_BLOCKED');
const callsOf = (command: string) => world.route53.calls.filter((call) => call === command).length;
const statusOf = async (name: string) => world.deps.status.get(`${name}.example.com`);

describe('a full run against the health check quota', () => {
  it('builds the chains that fit, blocks the one that does not with a clear message, alerts once, and builds it once the quota is raised', async () => {
    world.route53.quotas.healthChecks = 5;
    for (const name of ['a', 'b', 'c']) await world.chains.put(row(name));

    const first = await reconcileAll(world.deps);
    expect(first.byState).toEqual({ IN_SYNC: 2, BLOCKED: 1 });
    expect(callsOf('GetAccountLimitCommand')).toBe(1);
    const blocked = await statusOf('c');
    expect(blocked).toMatchObject({
      state: 'BLOCKED',
      errors: ['health check quota 5 reached (4 used, this chain needs 2 more), ask AWS for more'],
    });
    expect(world.route53.healthChecks.size).toBe(4);
    expect(recordLines(world).filter((line) => line.startsWith('c.example.com'))).toEqual([]);
    const [alert] = quotaAlerts();
    expect(quotaAlerts()).toHaveLength(1);
    expect(alert?.subject).toBe('c.example.com: waiting for an AWS quota');
    expect(alert?.text).toContain('Chain c.example.com is BLOCKED: health check quota 5 reached');
    expect(alert?.text).toContain('servicequotas');

    // Retried by the next run: still no room, so no new alert and nothing written.
    const writes = writeCalls(world).length;
    const again = await reconcileAll(world.deps);
    expect(again.byState).toEqual({ IN_SYNC: 2, BLOCKED: 1 });
    expect(writeCalls(world)).toHaveLength(writes);
    expect(quotaAlerts()).toHaveLength(1);

    world.route53.quotas.healthChecks = 6;
    const raised = await reconcileAll(world.deps);
    expect(raised.byState).toEqual({ IN_SYNC: 3 });
    expect(await statusOf('c')).toMatchObject({ state: 'IN_SYNC', errors: [] });
    expect(recordLines(world).filter((line) => line.startsWith('c.example.com'))).toHaveLength(2);
  });

  it('reads no quota when nothing is to be created', async () => {
    await world.chains.put(row('a'));
    await reconcileAll(world.deps);
    const reads = callsOf('GetAccountLimitCommand') + callsOf('GetHostedZoneLimitCommand');
    const writes = writeCalls(world).length;

    await reconcileAll(world.deps);
    expect(callsOf('GetAccountLimitCommand') + callsOf('GetHostedZoneLimitCommand')).toBe(reads);
    expect(writeCalls(world)).toHaveLength(writes);
  });
});

describe('the records-per-zone quota', () => {
  it('blocks a chain whose records would not fit in its zone, before any health check is made', async () => {
    world.route53.quotas.recordsPerZone = 6;
    await world.chains.put(row('a'));
    await world.chains.put(row('b'));

    const summary = await reconcileAll(world.deps);
    expect(summary.byState).toEqual({ IN_SYNC: 1, BLOCKED: 1 });
    expect(callsOf('GetHostedZoneLimitCommand')).toBe(1);
    expect(await statusOf('b')).toMatchObject({
      state: 'BLOCKED',
      errors: [
        'record quota 6 of zone Z0123456789EXAMPLE reached (4 used, this chain needs 4 more), ask AWS for more',
      ],
    });
    expect(world.route53.healthChecks.size).toBe(2);
    expect(world.route53.records('Z0123456789EXAMPLE')).toHaveLength(4);
  });
});

describe('a lone reconcile (the stream)', () => {
  it('is BLOCKED and alerted once when CreateHealthCheck answers TooManyHealthChecks, never retried endlessly', async () => {
    await world.chains.put(row('a'));
    const tooMany = () =>
      new TooManyHealthChecks({
        $metadata: {},
        message: 'You have reached the maximum number of health checks',
      });
    world.route53.failNext('CreateHealthCheckCommand', tooMany, 2);

    const first = await reconcile('a.example.com', world.deps);
    expect(first.state).toBe('BLOCKED');
    expect(await statusOf('a')).toMatchObject({
      state: 'BLOCKED',
      errors: ['health check quota reached (Route 53 refused to create a health check), ask AWS for more'],
    });
    const second = await reconcile('a.example.com', world.deps);
    expect(second.state).toBe('BLOCKED');
    expect(quotaAlerts()).toHaveLength(1);
    expect(callsOf('CreateHealthCheckCommand')).toBe(2);
    expect(world.route53.records('Z0123456789EXAMPLE')).toEqual([]);

    // Room again: the check whose CallerReference was saved is made, and the chain is built.
    const third = await reconcile('a.example.com', world.deps);
    expect(third.state).toBe('IN_SYNC');
    expect(world.route53.healthChecks.size).toBe(2);
  });

  it('reads the quota only when it is about to create something', async () => {
    await world.chains.put(row('a'));
    await reconcile('a.example.com', world.deps);
    expect(callsOf('GetAccountLimitCommand')).toBe(1);
    expect(callsOf('GetHostedZoneLimitCommand')).toBe(1);
    await reconcile('a.example.com', world.deps);
    expect(callsOf('GetAccountLimitCommand')).toBe(1);
    expect(callsOf('GetHostedZoneLimitCommand')).toBe(1);
  });
});
