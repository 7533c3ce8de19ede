import { Logger } from '@aws-lambda-powertools/logger';
import { afterEach, describe, expect, it } from 'vitest';
import { makeResyncHandler } from '../../functions/resync.ts';
import { DynamoFullRunCursor } from '../../shared/aws/full-run-cursor.ts';
import type { LocalWorld } from '../../local/local-world.ts';
import { seedRow } from '../fixtures/chains.ts';
import { makeWorld, markFlapping, recordLines } from '../fixtures/world.ts';

let world: LocalWorld;
afterEach(() => {
  world.destroy();
});

describe('scheduled resync', () => {
  it('repairs a record changed by hand and sends the summary of a chain that stopped flapping', async () => {
    let now = Date.parse('2026-11-24T03:00:00.000Z');
    world = await makeWorld({ clock: () => new Date(now), flap: { maxFlips: 1, windowSeconds: 600 } });
    const handler = makeResyncHandler(() => world.deps, new Logger({ logLevel: 'SILENT' }));
    await world.chains.put(seedRow());
    await handler();
    const before = recordLines(world);

    // Someone edits the primary record by hand.
    const zone = world.route53.zones.get('Z0123456789EXAMPLE')!;
    zone.records = zone.records.map((record, i) => (i === 0 ? { ...record, TTL: 5 } : record));
    // And the chain flaps while nobody watches alarm events.
    await markFlapping(world, 'resilient-site.example.com');
    now += 15 * 60_000;

    const summary = await handler();
    expect(summary).toMatchObject({ reconciled: 1, failed: [] });
    expect(recordLines(world)).toEqual(before);
    expect(world.sns.published.map((m) => m.subject)).toEqual([
      'resilient-site.example.com: settled on primary',
    ]);
  });
});

describe('scheduled resync within its time', () => {
  it('stops starting chunks before its reserve and the next run continues from the cursor', async () => {
    const now = Date.parse('2026-11-24T03:00:00.000Z');
    world = await makeWorld({ clock: () => new Date(now) });
    const cursor = new DynamoFullRunCursor(world.dynamodb, world.tables.status);
    const names = Array.from({ length: 120 }, (_, i) => `s${String(i).padStart(3, '0')}.example.com`);
    for (const name of names) await world.chains.put({ ...seedRow(), name });
    const handler = makeResyncHandler(() => world.deps, new Logger({ logLevel: 'SILENT' }), {
      cursor: () => cursor,
      reserveMs: 60_000,
    });
    // Already inside its reserve: one chunk (the least progress a run makes), then it stops.
    const first = await handler(undefined, { getRemainingTimeInMillis: () => 30_000 });
    expect(first).toMatchObject({ complete: false, reconciled: 100 });
    expect(await cursor.get()).toBe(names[99]);
    const second = await handler(undefined, { getRemainingTimeInMillis: () => 900_000 });
    expect(second).toMatchObject({ complete: true, reconciled: 20, resumedAfter: names[99] });
    expect(await cursor.get()).toBeUndefined();
  }, 120_000);
});
