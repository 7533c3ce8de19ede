import { DeleteItemCommand } from '@aws-sdk/client-dynamodb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeChainStreamHandler } from '../../functions/chain-stream.ts';
import type { LocalWorld } from '../../local/local-world.ts';
import { STATUS_SORT_KEY } from '../../shared/aws/tables.ts';
import type { ReconcileDeps } from '../../shared/ports.ts';
import { reconcile } from '../../shared/reconcile/reconcile.ts';
import { reconcileAll } from '../../shared/reconcile/reconcile-all.ts';
import { SEED_RECORDS, seedRow } from '../fixtures/chains.ts';
import { ZONE, checkLines, handMadeRecordUsing, makeWorld, recordLines } from '../fixtures/world.ts';
import { Logger } from '@aws-lambda-powertools/logger';

const NAME = 'resilient-site.example.com';

let world: LocalWorld;
beforeEach(async () => {
  world = await makeWorld();
});
afterEach(() => {
  world.destroy();
});

const drained = () => ({ ...seedRow(), drain: ['primary'] });
const subjects = () => world.sns.published.map((m) => m.subject);
const forgetStatus = () =>
  world.dynamodb.send(
    new DeleteItemCommand({
      TableName: world.tables.status,
      Key: { name: { S: NAME }, sk: { S: STATUS_SORT_KEY } },
    }),
  );

/** The same deps, with `hook` run once just before the first call of `method`. */
function before(
  deps: ReconcileDeps,
  method: keyof ReconcileDeps['route53'],
  hook: () => Promise<unknown>,
): ReconcileDeps {
  let done = false;
  const route53 = Object.create(deps.route53) as ReconcileDeps['route53'];
  const target = deps.route53 as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
  (route53 as unknown as Record<string, unknown>)[method] = async (...args: unknown[]) => {
    if (!done) {
      done = true;
      await hook();
    }
    return target[method]!(...args);
  };
  return { ...deps, route53 };
}

describe('races: a reconcile that read older state never applies after a newer one', () => {
  it('a full run that read the row before an operator drained it does not rebuild the drained tier', async () => {
    await world.chains.put(seedRow());
    await reconcile(NAME, world.deps);
    // The full run has read the rows; before it lists the zone, the stream applies a drain.
    const racing = before(world.deps, 'listZone', async () => {
      await world.chains.put(drained());
      await reconcile(NAME, world.deps);
    });
    const summary = await reconcileAll(racing);

    expect(recordLines(world).join('\n')).not.toContain('[hc:primary]');
    expect(await world.deps.status.get(NAME)).toMatchObject({
      state: 'IN_SYNC',
      controls: { drain: ['primary'] },
    });
    expect(summary.failed).toEqual([]);
    expect(subjects().filter((s) => s?.includes('failed'))).toEqual([]);
  });

  it('a reconcile that read the row before a newer one was applied ends on the newest row, quietly', async () => {
    await world.chains.put(seedRow());
    await reconcile(NAME, world.deps);
    // It reads status, the row and then the records; the stream's drain lands in between.
    const stale = before(world.deps, 'listRecordsUnder', async () => {
      await world.chains.put(drained());
      await reconcile(NAME, world.deps);
    });
    await reconcile(NAME, stale);
    expect(recordLines(world).join('\n')).not.toContain('[hc:primary]');
    expect(recordLines(world)).toHaveLength(2);
    expect(subjects().filter((s) => s?.includes('failed'))).toEqual([]);
  });
});

describe('partial failures never leave records live after their row is gone', () => {
  it("deletes a new chain's records even when its first reconcile failed after the batch", async () => {
    await world.chains.put(seedRow());
    const failing = {
      ...world.deps,
      alarms: Object.assign(Object.create(world.deps.alarms) as ReconcileDeps['alarms'], {
        put: () => Promise.reject(new Error('refused')),
      }),
    };
    await expect(reconcile(NAME, failing)).rejects.toThrow('refused');
    expect(recordLines(world)).toEqual(SEED_RECORDS);

    await world.chains.remove(NAME);
    await reconcile(NAME, world.deps);
    expect(recordLines(world)).toEqual([]);
    expect(checkLines(world)).toEqual([]);
  });

  it('finds the records of a removed row from the stream record even when status was lost', async () => {
    await world.chains.put(seedRow());
    await reconcile(NAME, world.deps);
    await forgetStatus();
    await world.chains.remove(NAME);
    const handler = makeChainStreamHandler(() => world.deps, new Logger({ logLevel: 'SILENT' }));
    await handler({
      Records: [
        {
          eventID: '1',
          eventName: 'REMOVE',
          dynamodb: { Keys: { name: { S: NAME } }, OldImage: { hostedZoneId: { S: ZONE } } },
        },
      ],
    });
    expect(recordLines(world)).toEqual([]);
  });

  it('never deletes a health check a record in the zone still uses', async () => {
    await world.chains.put(seedRow());
    await reconcile(NAME, world.deps);
    // A record made by hand that reuses the chain's primary check.
    const primary = (await world.deps.status.get(NAME))!.healthChecks.primary!.id!;
    await handMadeRecordUsing(world, NAME, primary);
    await world.chains.remove(NAME);
    const result = await reconcile(NAME, world.deps);
    expect(world.route53.healthChecks.has(primary)).toBe(true);
    expect(result.state).toBe('ERROR');
    expect((await world.deps.status.get(NAME))!.errors[0]).toContain(`health check ${primary} is still used`);
  });
});

describe('an invalid row leaves everything live alone', () => {
  it('the full run keeps the checks and alarms of a live chain whose row has a typo and whose status was lost', async () => {
    await world.chains.put(seedRow());
    await reconcile(NAME, world.deps);
    const checks = checkLines(world);
    const alarms = [...world.cloudwatch.alarms.keys()];
    await world.chains.put({ ...seedRow(), ttl: 'sixty' });
    await forgetStatus();

    await reconcileAll(world.deps);
    expect(checkLines(world)).toEqual(checks);
    expect([...world.cloudwatch.alarms.keys()]).toEqual(alarms);
    expect(recordLines(world)).toEqual(SEED_RECORDS);
    expect((await world.deps.status.get(NAME))!.state).toBe('INVALID');
  });
});

describe('adoption after a lost status', () => {
  it('fails, creating nothing, when the tags of the check in use cannot be read', async () => {
    await world.chains.put(seedRow());
    await reconcile(NAME, world.deps);
    await forgetStatus();
    const checks = checkLines(world);
    const blind = {
      ...world.deps,
      route53: Object.assign(Object.create(world.deps.route53) as ReconcileDeps['route53'], {
        getHealthCheckTags: () =>
          Promise.reject(Object.assign(new Error('down'), { name: 'ServiceUnavailable' })),
      }),
    };
    await expect(reconcile(NAME, blind)).rejects.toThrow('down');
    expect(checkLines(world)).toEqual(checks);
    expect(recordLines(world)).toEqual(SEED_RECORDS);
  });
});

describe('states are true at every moment', () => {
  it('a new chain is PENDING, never IN_SYNC, until its records exist', async () => {
    await world.chains.put(seedRow());
    const states: string[] = [];
    const watching = before(world.deps, 'changeRecords', async () => {
      states.push((await world.deps.status.get(NAME))!.state);
    });
    await reconcile(NAME, watching);
    expect(states).toEqual(['PENDING']);
    expect((await world.deps.status.get(NAME))!.state).toBe('IN_SYNC');
  });
});

describe('rows keyed other than by their normalised name', () => {
  it('are INVALID with the key to write, alerted once, and build nothing', async () => {
    const key = 'Resilient-Site.example.com.';
    await world.chains.put({ ...seedRow(), name: key });
    const result = await reconcile(key, world.deps);
    expect(result.state).toBe('INVALID');
    expect((await world.deps.status.get(key))!.errors).toEqual([
      `name: write the key as ${NAME} (names are matched in lower case, without a trailing dot); remove this row with chains delete '${key}'`,
    ]);
    await reconcile(key, world.deps);
    expect(world.sns.published).toHaveLength(1);
    expect(recordLines(world)).toEqual([]);

    await world.chains.remove(key);
    expect((await reconcile(key, world.deps)).state).toBe('DELETED');
  });

  it('are a CONFLICT when a row with the normalised key exists too, which keeps serving', async () => {
    await world.chains.put(seedRow());
    await reconcile(NAME, world.deps);
    const key = 'RESILIENT-SITE.EXAMPLE.COM';
    await world.chains.put({ ...seedRow(), name: key });
    const summary = await reconcileAll(world.deps);
    expect(summary.byState).toEqual({ IN_SYNC: 1, CONFLICT: 1 });
    expect(recordLines(world)).toEqual(SEED_RECORDS);
  });
});

describe('a zone taken out of the deployment', () => {
  it('makes its chains INVALID with the reason, alerted once, never an AccessDenied retried forever', async () => {
    await world.chains.put(seedRow());
    await reconcile(NAME, world.deps);
    const narrowed = {
      ...world.deps,
      settings: { ...world.deps.settings, allowedHostedZoneIds: ['Z999OTHER'] },
    };
    for (let i = 0; i < 2; i++) expect((await reconcile(NAME, narrowed)).state).toBe('INVALID');
    expect(world.sns.published.map((m) => m.subject)).toHaveLength(1);
    expect((await world.deps.status.get(NAME))!.errors[0]).toContain(
      `${ZONE} is not a hosted zone this deployment may change (allowed: Z999OTHER)`,
    );

    // Removing the row then says where its records were left, instead of calling Route 53.
    await world.chains.remove(NAME);
    expect((await reconcile(NAME, narrowed)).state).toBe('INVALID');
    expect((await world.deps.status.get(NAME))!.errors[0]).toContain(
      `records of this chain may remain in ${ZONE}, which this deployment may no longer change`,
    );
    expect(recordLines(world)).toEqual(SEED_RECORDS);
  });
});
