import { Logger } from '@aws-lambda-powertools/logger';
import { CreateHealthCheckCommand } from '@aws-sdk/client-route-53';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeBuilderHandler } from '../../functions/build-chains.ts';
import { makeChainStreamHandler } from '../../functions/chain-stream.ts';
import { drainBuildQueue, lambdaContext } from '../../local/builder-runner.ts';
import type { LocalWorld } from '../../local/local-world.ts';
import { route53Client } from '../../local/sdk-over-stand-in.ts';
import { StreamReader } from '../../local/stream-reader.ts';
import { Route53Adapter } from '../../shared/aws/route53-adapter.ts';
import type { ReconcileDeps } from '../../shared/ports.ts';
import { bindMethods } from '../../shared/reconcile/bind-methods.ts';
import { seedRow } from '../fixtures/chains.ts';
import { makeWorld, recordLines } from '../fixtures/world.ts';

// The stream hands chains that need new health checks to the builder and applies everything
// else inline; the builder is the one paced creator, resumable after being cut short.

const SEED = 'resilient-site.example.com';
const silent = new Logger({ logLevel: 'SILENT' });
let world: LocalWorld;
let reader: StreamReader;
let now: number;

/** A new three-tier chain of an import, two checks each. */
function imported(i: number): Record<string, unknown> {
  const row = seedRow();
  row.name = `import${i}.example.com`;
  return row;
}

const creates = () => world.route53.calls.filter((c) => c === 'CreateHealthCheckCommand').length;
const stream = () =>
  makeChainStreamHandler(
    () => world.deps,
    silent,
    () => world.buildQueue,
  );
const builder = (deps: () => ReconcileDeps = () => world.deps) => makeBuilderHandler(deps, silent);

beforeEach(async () => {
  now = Date.parse('2026-11-25T12:00:00Z');
  world = await makeWorld({ clock: () => new Date(now) });
  reader = new StreamReader(world.dynamodb, world.streams, world.tables.chains, 100);
  await reader.start();
});
afterEach(() => {
  world.destroy();
});

describe('stream and builder', () => {
  it('hands new chains to the builder at once and applies an edit made during the import inline', async () => {
    await world.chains.put(seedRow());
    await reader.drain(stream());
    // Acknowledged with one queue message: nothing created, no record yet.
    expect(world.sqs.depth).toBe(1);
    expect(creates()).toBe(0);
    expect(recordLines(world)).toEqual([]);
    await drainBuildQueue(world.sqs, builder());
    expect(await world.deps.status.get(SEED)).toMatchObject({ state: 'IN_SYNC' });
    const built = recordLines(world);

    for (let i = 0; i < 12; i++) await world.chains.put(imported(i));
    await world.chains.put({ ...seedRow(), drain: ['primary'] });
    await reader.drain(stream());

    // The import waits for the builder; the drain did not wait behind it.
    expect(world.sqs.depth).toBe(12);
    expect(creates()).toBe(2);
    expect(await world.deps.status.get(SEED)).toMatchObject({
      state: 'IN_SYNC',
      controls: { drain: ['primary'] },
    });
    expect(recordLines(world)).not.toEqual(built);
    expect(recordLines(world).some((line) => line.startsWith('import'))).toBe(false);

    await drainBuildQueue(world.sqs, builder());
    expect(world.sqs.depth).toBe(0);
    expect(creates()).toBe(2 + 24);
    for (let i = 0; i < 12; i++) {
      expect(await world.deps.status.get(`import${i}.example.com`)).toMatchObject({ state: 'IN_SYNC' });
    }
    expect(recordLines(world).filter((line) => line.includes('import0.example.com. '))).toHaveLength(4);
  });

  it('leaves an edit that needs a new check PENDING, records untouched, until the builder makes it', async () => {
    await world.chains.put(seedRow());
    await reader.drain(stream());
    await drainBuildQueue(world.sqs, builder());
    const before = recordLines(world);

    // A check's type cannot change in place: it must be replaced, which only the builder does.
    const edited = seedRow();
    edited.tiers[0]!.healthCheck = { type: 'TCP', ip: '1.1.1.1', port: 8888 };
    await world.chains.put(edited);
    await reader.drain(stream());
    expect(await world.deps.status.get(SEED)).toMatchObject({ state: 'PENDING' });
    expect(recordLines(world)).toEqual(before);
    expect(creates()).toBe(2);
    expect(world.sqs.depth).toBe(1);

    await drainBuildQueue(world.sqs, builder());
    expect(creates()).toBe(3);
    expect(await world.deps.status.get(SEED)).toMatchObject({ state: 'IN_SYNC' });
    expect([...world.route53.healthChecks.values()].map((c) => c.HealthCheckConfig.Type).sort()).toEqual([
      'HTTP',
      'TCP',
    ]);
  });

  it('paces CreateHealthCheck to one every 2 s', async () => {
    const { deps, created } = pacedDeps();
    for (let i = 0; i < 3; i++) await world.chains.put(imported(i));
    await reader.drain(stream());
    await drainBuildQueue(
      world.sqs,
      builder(() => deps),
    );
    expect(created).toHaveLength(6);
    for (const [i, t] of created.slice(1).entries()) expect(t - created[i]!).toBeGreaterThanOrEqual(2000);
    expect(created.at(-1)! - created[0]!).toBe(5 * 2000);
  });

  it('starts no chain without its reserve left, and leaves the rest in the queue in order', async () => {
    const { deps } = pacedDeps();
    for (let i = 0; i < 5; i++) await world.chains.put(imported(i));
    await reader.drain(stream());
    const started = now;
    // 63 s left against a 60 s reserve; each chain spends 2 to 4 s on paced creations.
    const context = lambdaContext(() => 63_000 - (now - started));
    await drainBuildQueue(
      world.sqs,
      makeBuilderHandler(() => deps, silent, { reserveMs: 60_000 }),
      () => context,
    );
    const states = await Promise.all(
      [0, 1, 2, 3, 4].map(async (i) => (await world.deps.status.get(`import${i}.example.com`))?.state),
    );
    expect(states).toEqual(['IN_SYNC', 'IN_SYNC', undefined, undefined, undefined]);
    expect(world.sqs.receive(10).map((m) => (JSON.parse(m.body) as { name: string }).name)).toEqual([
      'import2.example.com',
      'import3.example.com',
      'import4.example.com',
    ]);
  });

  it('resumes a builder stopped mid-chunk without a duplicate check', async () => {
    for (let i = 0; i < 3; i++) await world.chains.put(imported(i));
    await reader.drain(stream());
    let calls = 0;
    let killed!: () => void;
    const stopped = new Promise<void>((resolve) => (killed = resolve));
    const r = world.deps.route53;
    const dying: ReconcileDeps = {
      ...world.deps,
      route53: {
        ...bindMethods(r),
        // The third check (the second chain's first) is made, then the process stops before its id is saved.
        createHealthCheck: async (reference, config) => {
          const id = await r.createHealthCheck(reference, config);
          if (++calls < 3) return id;
          killed();
          return new Promise<string>(() => undefined);
        },
      },
    };
    void drainBuildQueue(
      world.sqs,
      builder(() => dying),
    );
    await stopped;
    expect(world.route53.healthChecks.size).toBe(3);

    // The batch's visibility timeout (30 min) and the dead builder's lease (2 min) run out.
    now += 31 * 60_000;
    world.sqs.expireInFlight();
    await drainBuildQueue(world.sqs, builder());

    expect(world.route53.healthChecks.size).toBe(6);
    const used = new Set(world.route53.records('Z0123456789EXAMPLE').flatMap((r) => r.HealthCheckId ?? []));
    expect([...world.route53.healthChecks.keys()].filter((id) => !used.has(id))).toEqual([]);
    for (let i = 0; i < 3; i++) {
      expect(await world.deps.status.get(`import${i}.example.com`)).toMatchObject({ state: 'IN_SYNC' });
    }
  });
});

/** World deps whose Route 53 adapter paces creation on the test's virtual clock, noting each creation's time. */
function pacedDeps(): { deps: ReconcileDeps; created: number[] } {
  const created: number[] = [];
  const client = route53Client(world.route53);
  const timed = {
    send: ((command: object) => {
      if (command instanceof CreateHealthCheckCommand) created.push(now);
      return client.send(command as never);
    }) as typeof client.send,
  };
  const route53 = new Route53Adapter(timed, {
    createHealthCheckIntervalMs: 2000,
    now: () => now,
    sleep: (ms) => {
      now += ms;
      return Promise.resolve();
    },
  });
  return { deps: { ...world.deps, route53 }, created };
}

describe('throttling the builder', () => {
  it('leaves a chain throttled past every SDK retry in the queue: not ERROR, no alert, built next time', async () => {
    await world.chains.put(seedRow());
    await reader.drain(stream());
    let throttle = true;
    const base = world.deps;
    const throttled = (): ReconcileDeps => ({
      ...base,
      route53: {
        ...bindMethods(base.route53),
        createHealthCheck: (reference, config) => {
          if (!throttle) return base.route53.createHealthCheck(reference, config);
          throttle = false;
          return Promise.reject(Object.assign(new Error('Rate exceeded'), { name: 'Throttling' }));
        },
      },
    });
    await drainBuildQueue(world.sqs, builder(throttled));
    expect(await world.deps.status.get(SEED)).toMatchObject({ state: 'PENDING', errors: [] });
    expect(world.sqs.depth).toBe(1);
    await drainBuildQueue(world.sqs, builder(throttled));
    expect(await world.deps.status.get(SEED)).toMatchObject({ state: 'IN_SYNC', errors: [] });
    expect(world.sns.published.map((m) => m.attributes.event)).toEqual([]);
    expect(world.route53.healthChecks.size).toBe(2);
  });
});

describe('the builder against the quotas', () => {
  const callsOf = (command: string) => world.route53.calls.filter((call) => call === command).length;

  it('reads each quota once a batch, and still builds only the chains that fit', async () => {
    // Room for 4 checks: two chains of the first batch, not the third.
    world.route53.quotas.healthChecks = 4;
    for (let i = 0; i < 12; i++) await world.chains.put(imported(i));
    await reader.drain(stream());
    await drainBuildQueue(world.sqs, builder());

    // Twelve chains in batches of ten and two: two reads of each quota, not twelve.
    expect(callsOf('GetAccountLimitCommand')).toBe(2);
    expect(callsOf('GetHostedZoneLimitCommand')).toBe(2);
    const states = await Promise.all(
      Array.from(
        { length: 12 },
        async (_, i) => (await world.deps.status.get(`import${i}.example.com`))?.state,
      ),
    );
    expect(states).toEqual(['IN_SYNC', 'IN_SYNC', ...Array<string>(10).fill('BLOCKED')]);
    expect(world.route53.healthChecks.size).toBe(4);
    expect(await world.deps.status.get('import2.example.com')).toMatchObject({
      errors: ['health check quota 4 reached (4 used, this chain needs 2 more), ask AWS for more'],
    });
  });
});
