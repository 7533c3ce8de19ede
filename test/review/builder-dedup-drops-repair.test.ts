import { Logger } from '@aws-lambda-powertools/logger';
import { afterEach, describe, expect, it } from 'vitest';
import { makeBuilderHandler } from '../../functions/build-chains.ts';
import { makeChainStreamHandler } from '../../functions/chain-stream.ts';
import { makeHealthAlarmHandler } from '../../functions/health-alarm.ts';
import { alarmStateChangeEvent } from '../../local/alarm-events.ts';
import { drainBuildQueue } from '../../local/builder-runner.ts';
import type { LocalWorld } from '../../local/local-world.ts';
import { StreamReader } from '../../local/stream-reader.ts';
import { seedRow } from '../fixtures/chains.ts';
import { makeWorld, ZONE } from '../fixtures/world.ts';

// The builder's FIFO queue drops a message whose deduplication id it saw in the last 5 minutes.
// The alarm handler asks the builder to repair a chain whose check was deleted by hand with the
// id `buildRequest(name, row)`: the same id the stream used when the row was written. So a check
// deleted by hand within 5 minutes of the chain being built is never replaced by the handler:
// the request is accepted and dropped, and the chain fails over on a check that does not exist
// until the next scheduled full run.

const NAME = 'resilient-site.example.com';
const silent = new Logger({ logLevel: 'SILENT' });

let world: LocalWorld;
let reader: StreamReader;
afterEach(() => {
  world.destroy();
});

describe('review: a check deleted by hand soon after its chain was built', () => {
  it('is replaced when its alarm reports it, even within 5 minutes of the build', async () => {
    let now = Date.parse('2026-11-25T12:00:00Z');
    world = await makeWorld({ clock: () => new Date(now) });
    reader = new StreamReader(world.dynamodb, world.streams, world.tables.chains, 100);
    await reader.start();
    const events: Record<string, unknown>[] = [];
    world.cloudwatch.onStateChange((change) => events.push(alarmStateChangeEvent(change)));
    const builder = makeBuilderHandler(() => world.deps, silent);

    // A new row: the stream hands it to the builder, which builds it.
    await world.chains.put(seedRow());
    await reader.drain(
      makeChainStreamHandler(
        () => world.deps,
        silent,
        () => world.buildQueue,
      ),
    );
    await drainBuildQueue(world.sqs, builder);
    const status = (await world.deps.status.get(NAME))!;
    const [tier, check] = Object.entries(status.healthChecks)[0]!;
    world.cloudwatch.setState(status.alarms[tier]!, 'OK', 'healthy', new Date(now));

    // Two minutes later the primary's check is deleted by hand; its alarm loses its data.
    now += 2 * 60_000;
    events.length = 0;
    world.route53.healthChecks.delete(check.id!);
    world.cloudwatch.setState(status.alarms[tier]!, 'INSUFFICIENT_DATA', 'no data', new Date(now));
    const handle = makeHealthAlarmHandler(
      () => world.deps,
      silent,
      () => world.buildQueue,
    );
    for (const event of events.splice(0)) await handle(event);
    await drainBuildQueue(world.sqs, builder);

    const dangling = world.route53
      .records(ZONE)
      .flatMap((r) => r.HealthCheckId ?? [])
      .filter((id) => !world.route53.healthChecks.has(id));
    expect(dangling).toEqual([]);
  });
});
