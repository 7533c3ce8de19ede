import { Logger } from '@aws-lambda-powertools/logger';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeHealthAlarmHandler } from '../../functions/health-alarm.ts';
import { main } from '../../cli/main.ts';
import { answer } from '../../shared/core/route53-answer.ts';
import type { ResourceRecordSet } from '../../shared/core/route53-types.ts';
import { alarmStateChangeEvent } from '../../local/alarm-events.ts';
import type { LocalWorld } from '../../local/local-world.ts';
import { reconcile } from '../../shared/reconcile/reconcile.ts';
import { SEED_RECORDS, seedRow } from '../fixtures/chains.ts';
import { makeWorld, recordLines, ZONE } from '../fixtures/world.ts';

const NAME = 'resilient-site.example.com';

let world: LocalWorld;
let now: number;
const events: Record<string, unknown>[] = [];
let handle: ReturnType<typeof makeHealthAlarmHandler>;

beforeEach(async () => {
  now = Date.parse('2026-11-24T03:00:00.000Z');
  world = await makeWorld({ clock: () => new Date(now) });
  events.length = 0;
  world.cloudwatch.onStateChange((change) => events.push(alarmStateChangeEvent(change)));
  handle = makeHealthAlarmHandler(() => world.deps, new Logger({ logLevel: 'SILENT' }));
});
afterEach(() => {
  world.destroy();
});

async function apply(row: Record<string, unknown>) {
  await world.chains.put(row);
  return reconcile(NAME, world.deps);
}

/** Set a tier's health as Route 53 and its alarm would report it, and deliver the alarm events. */
async function setHealth(tier: string, healthy: boolean) {
  now += 60_000;
  const status = (await world.deps.status.get(NAME))!;
  const id = status.healthChecks[tier]!.id!;
  if (healthy) world.route53.unhealthy.delete(id);
  else world.route53.unhealthy.add(id);
  world.cloudwatch.setState(status.alarms[tier]!, healthy ? 'OK' : 'ALARM', 'test');
  for (const event of events.splice(0)) await handle(event);
}

/** The tier Route 53 would serve with the records now in the zone. */
function servedTarget(): string | undefined {
  const healthy = new Set(
    [...world.route53.healthChecks.keys()].filter((id) => !world.route53.unhealthy.has(id)),
  );
  const result = answer(world.route53.records(ZONE) as ResourceRecordSet[], healthy, NAME, 'A');
  return result.path.at(-1)?.ResourceRecords?.[0]?.Value;
}

const subjects = () => world.sns.published.map((m) => m.subject);

describe('operator controls', () => {
  it('drains the serving primary in one batch, moves traffic, alerts, and restores the exact records when removed', async () => {
    await apply(seedRow());
    const batches = world.route53.batches.length;
    const result = await apply({ ...seedRow(), drain: ['primary'], changedBy: 'alice' });
    expect(result.state).toBe('IN_SYNC');
    expect(world.route53.batches.length).toBe(batches + 1);
    expect(recordLines(world)).toEqual([
      'resilient-site.example.com. CNAME failover-chains/default/0/primary -> secondary.resilient-site.example.com. [hc:secondary]',
      'resilient-site.example.com. CNAME failover-chains/default/0/secondary -> tertiary.resilient-site.example.com.',
    ]);
    expect(servedTarget()).toBe('secondary.resilient-site.example.com.');
    expect(subjects()).toEqual(['resilient-site.example.com: drained primary, serving secondary']);
    expect(world.sns.published[0]!.text).toContain('By: alice');
    expect(world.sns.published[0]!.attributes).toMatchObject({ event: 'CONTROL_CHANGED', tier: 'secondary' });
    expect(await world.deps.status.get(NAME)).toMatchObject({
      servingTier: 'secondary',
      controls: { drain: ['primary'] },
    });
    expect((await world.deps.history.list(NAME))[0]).toMatchObject({
      event: 'CONTROL_CHANGED',
      from: 'primary',
      to: 'secondary',
    });
    // The primary's health check and alarm stay, so its health is still known.
    expect(world.cloudwatch.alarms.size).toBe(2);

    await apply(seedRow());
    expect(recordLines(world)).toEqual(SEED_RECORDS);
    expect(subjects().at(-1)).toBe(
      'resilient-site.example.com: returned primary from drain, serving primary',
    );
  });

  it('refuses to drain every tier and changes nothing', async () => {
    await apply(seedRow());
    const result = await apply({ ...seedRow(), drain: ['primary', 'secondary', 'tertiary'] });
    expect(result.state).toBe('INVALID');
    expect((await world.deps.status.get(NAME))?.errors).toEqual([
      'drain: must leave at least one tier serving; it drains every tier',
    ]);
    expect(recordLines(world)).toEqual(SEED_RECORDS);
  });

  it('refuses a drain that leaves only failing tiers, unless the row says force', async () => {
    const row = seedRow();
    row.tiers[2]!.healthCheck = { type: 'HTTP', ip: '3.3.3.3', port: 8888 };
    await apply(row);
    await setHealth('secondary', false);
    await setHealth('tertiary', false);
    const refused = await apply({ ...row, drain: ['primary'] });
    expect(refused.state).toBe('INVALID');
    expect((await world.deps.status.get(NAME))?.errors).toEqual([
      'drain: leaves no healthy tier serving (secondary, tertiary are down); add "force": true to the row to drain anyway',
    ]);
    expect(recordLines(world)[0]).toContain('-> primary.resilient-site.example.com.');
    expect((await apply({ ...row, drain: ['primary'], force: true })).state).toBe('IN_SYNC');
    expect(recordLines(world)[0]).toContain('-> secondary.resilient-site.example.com.');
  });

  it('pins a failing tier when the row says so, as one plain record, with a clear warning', async () => {
    await apply(seedRow());
    await setHealth('secondary', false);
    await apply({ ...seedRow(), pin: 'secondary' });
    expect(recordLines(world)).toEqual([
      'resilient-site.example.com. CNAME failover-chains/default/0/pinned -> secondary.resilient-site.example.com.',
    ]);
    expect(servedTarget()).toBe('secondary.resilient-site.example.com.');
    const warnings = [
      'pinned to secondary: health checks are ignored until "pin" is removed from the row',
      'secondary is failing its health check and is served anyway',
    ];
    expect(await world.deps.status.get(NAME)).toMatchObject({ warnings, servingTier: 'secondary' });
    const alert = world.sns.published.at(-1)!;
    expect(alert.subject).toBe('resilient-site.example.com: pinned to secondary, serving secondary');
    expect(alert.text).toContain('Warning: secondary is failing its health check and is served anyway');

    await apply(seedRow());
    expect(recordLines(world)).toEqual(SEED_RECORDS);
    expect((await world.deps.status.get(NAME))?.warnings).toBeUndefined();
  });

  it('holds a recovered primary out until an operator fails back', async () => {
    await apply({ ...seedRow(), failback: 'manual' });
    await setHealth('primary', false);
    expect(await world.deps.status.get(NAME)).toMatchObject({
      servingTier: 'secondary',
      heldTiers: ['primary'],
    });
    expect(recordLines(world)[0]).toBe(
      'resilient-site.example.com. CNAME failover-chains/default/0/primary -> secondary.resilient-site.example.com. [hc:secondary]',
    );

    await setHealth('primary', true);
    expect(subjects()).toEqual([
      'resilient-site.example.com: primary -> secondary',
      'resilient-site.example.com: primary healthy again, failback pending',
    ]);
    expect(world.sns.published[1]!.text).toContain(
      'Traffic stays on secondary until you run: chains failback resilient-site.example.com --tier primary',
    );
    expect(servedTarget()).toBe('secondary.resilient-site.example.com.');

    let out = '';
    const code = await main(
      ['failback', NAME],
      { out: (t) => (out += t), err: (t) => (out += t) },
      { deps: () => world.deps, store: () => world.chains },
    );
    expect([code, out.trim()]).toEqual([0, 'failed back primary; now serving primary']);
    expect(recordLines(world)).toEqual(SEED_RECORDS);
    expect(subjects().at(-1)).toBe('resilient-site.example.com: failed back primary, serving primary');
    expect((await world.deps.status.get(NAME))?.heldTiers).toBeUndefined();
  });
});

describe('operator control commands', () => {
  const run = async (...argv: string[]) => {
    let out = '';
    let err = '';
    const code = await main(
      argv,
      { out: (t) => (out += t), err: (t) => (err += t) },
      { deps: () => world.deps, store: () => world.chains },
    );
    return { code, out, err };
  };

  it('drain writes the row with who did it, and refuses to leave no healthy tier unless --force', async () => {
    const row = seedRow();
    row.tiers[2]!.healthCheck = { type: 'HTTP', ip: '3.3.3.3', port: 8888 };
    await apply(row);
    expect((await run('drain', NAME, 'secondary')).code).toBe(0);
    expect(await world.chains.get(NAME)).toMatchObject({
      drain: ['secondary'],
      changedBy: expect.stringContaining('via chains CLI') as string,
    });
    expect((await run('undrain', NAME, 'secondary')).code).toBe(0);
    expect((await world.chains.get(NAME)) as Record<string, unknown>).not.toHaveProperty('drain');

    await setHealth('secondary', false);
    await setHealth('tertiary', false);
    const refused = await run('drain', NAME, 'primary');
    expect(refused.code).toBe(1);
    expect(refused.err).toBe(
      'refused: drained primary leaves no healthy tier serving (secondary, tertiary are down). Use --force to do it anyway.',
    );
    expect((await world.chains.get(NAME)) as Record<string, unknown>).not.toHaveProperty('drain');
    expect((await run('drain', NAME, 'primary', '--force')).code).toBe(0);
    expect(await world.chains.get(NAME)).toMatchObject({ drain: ['primary'], force: true });
  });

  it('pin refuses a failing tier without --force; unpin and undrain restore the row', async () => {
    await apply(seedRow());
    await setHealth('secondary', false);
    const refused = await run('pin', NAME, 'secondary');
    expect(refused.err).toContain('would serve secondary, which is failing its health check. Use --force');
    expect((await run('pin', NAME, 'secondary', '--force')).code).toBe(0);
    expect(await world.chains.get(NAME)).toMatchObject({ pin: 'secondary', force: true });
    expect((await run('unpin', NAME)).code).toBe(0);
    const row = (await world.chains.get(NAME)) as Record<string, unknown>;
    expect([row.pin, row.force]).toEqual([undefined, undefined]);
    expect((await run('failback', NAME)).err).toContain('refused: resilient-site.example.com holds no tier');
  });
});
