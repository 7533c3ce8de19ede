import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LocalWorld } from '../../local/local-world.ts';
import { seedConsoleTree, ZONE_ID } from '../fixtures/console-trees.ts';
import { seedRow } from '../fixtures/chains.ts';
import { createByHand, makeChecksByHand } from '../fixtures/hand-made.ts';
import { makeWorld, recordLines } from '../fixtures/world.ts';
import { runCli } from './run-cli.ts';

// What the README promises a user sees, run as the user runs it.

const NAME = 'resilient-site.example.com';
const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
// The ids the README's walk-through shows for the two checks made by hand.
const README_IDS = ['f3c9a7de-1b2c-4d5e-8f90-0123456789ab', '0a1b2c3d-4e5f-4a6b-9c8d-7e6f5a4b3c2d'];

/** The text block of the README that starts with `first` (the block's first line), without fences. */
function readmeBlock(first: string): string {
  const start = README.indexOf(`\`\`\`text\n${first}`);
  expect(start, `README block starting "${first}"`).toBeGreaterThan(-1);
  const body = README.slice(start + '```text\n'.length);
  return body.slice(0, body.indexOf('```'));
}

let world: LocalWorld;
beforeEach(async () => {
  world = await makeWorld();
});
afterEach(() => {
  world.destroy();
});

/** Replace the random check ids with the README's, so output compares to the README text. */
const asReadme = (text: string, ids: readonly string[]) =>
  ids.reduce((t, id, i) => t.replaceAll(id, README_IDS[i]!), text);

async function consoleSetup(): Promise<string[]> {
  const ids = await makeChecksByHand(world, ['1.1.1.1', '2.2.2.2']);
  await createByHand(world, seedConsoleTree(ids));
  return ids;
}

describe('README "Already have failover records?" walk-through', () => {
  it('import --dry-run prints exactly the row and report the README shows', async () => {
    const ids = await consoleSetup();
    const shown = readmeBlock('$ npx chains import');
    const expected = shown.slice(shown.indexOf('\n') + 1);
    // The table name the README's walk-through uses is the default one.
    const result = await runCli(['import', NAME, '--zone', ZONE_ID, '--dry-run'], {
      overrides: { deps: () => world.deps, store: () => world.chains },
    });
    expect(result.code).toBe(0);
    expect(asReadme(result.out + result.err, ids)).toBe(expected);
  });

  it('after --write and the first reconcile, status prints the tree the README shows, and a second reconcile writes nothing', async () => {
    const ids = await consoleSetup();
    const overrides = { deps: () => world.deps, store: () => world.chains };
    expect((await runCli(['import', NAME, '--zone', ZONE_ID, '--write'], { overrides })).code).toBe(0);
    const shown = readmeBlock('$ npx chains reconcile');
    const [first, status, second] = shown.split(/^\$ .*\n/m).slice(1);
    expect(await runCli(['reconcile', NAME], { overrides })).toMatchObject({ code: 0, out: first });
    expect(await runCli(['reconcile', NAME], { overrides })).toMatchObject({ code: 0, out: second });
    // Right after the first reconcile no check has been observed yet: the README shows [up].
    expect(asReadme((await runCli(['status', NAME], { overrides })).out, ids)).toBe(status);
  });

  it('--write refuses an existing row, saying so and leaving the row as it was', async () => {
    await consoleSetup();
    const overrides = { deps: () => world.deps, store: () => world.chains };
    await world.chains.put(seedRow());
    const again = await runCli(['import', NAME, '--zone', ZONE_ID, '--write'], { overrides });
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/already/);
    expect(await world.chains.get(NAME)).toEqual(seedRow());
    expect(recordLines(world)).toHaveLength(4);
  });
});
