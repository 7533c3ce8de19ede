import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LocalWorld } from '../../local/local-world.ts';
import { reconcile } from '../../shared/reconcile/reconcile.ts';
import { seedRow } from '../fixtures/chains.ts';
import { makeWorld } from '../fixtures/world.ts';
import { runCli } from './run-cli.ts';

// A row keyed other than by its normalised name (typed in the DynamoDB console) is reported
// INVALID or CONFLICT, and its status tells the user to delete it with `chains delete 'KEY'`.
// The CLI has to be able to do what the message says, and nothing else.

const NAME = 'resilient-site.example.com';
const KEY = 'Resilient-Site.example.com.';

let world: LocalWorld;
beforeEach(async () => {
  world = await makeWorld();
});
afterEach(() => {
  world.destroy();
});

const names = async () => [...(await world.chains.scan()).keys()].sort();

describe('rows keyed other than by their normalised name', () => {
  it("chains delete 'KEY' removes the misnamed row the status tells the user to delete", async () => {
    await world.chains.put({ ...seedRow(), name: KEY });
    expect((await reconcile(KEY, world.deps)).state).toBe('INVALID');
    const result = await runCli(['delete', KEY, '--yes'], { world });
    expect(result.code).toBe(0);
    expect(await names()).toEqual([]);
  });

  it("following the CONFLICT's advice (chains delete 'KEY') removes the misnamed row, never the good one", async () => {
    await world.chains.put(seedRow());
    await reconcile(NAME, world.deps);
    await world.chains.put({ ...seedRow(), name: KEY });
    await reconcile(KEY, world.deps);
    const status = await world.deps.status.get(KEY);
    expect(status?.state).toBe('CONFLICT');
    expect(status?.errors[0]).toContain(`chains delete '${KEY}'`);

    await runCli(['delete', KEY, '--yes'], { world });
    // The row that serves the name must survive; the misnamed twin must be gone.
    expect(await names()).toEqual([NAME]);
  });

  it("chains get 'KEY' shows the misnamed row the status reports", async () => {
    await world.chains.put({ ...seedRow(), name: KEY });
    const result = await runCli(['get', KEY], { world });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.out)).toMatchObject({ name: KEY });
  });
});
