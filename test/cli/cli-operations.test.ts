import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CliOverrides } from '../../cli/cli-context.ts';
import type { LocalWorld } from '../../local/local-world.ts';
import { seedRow } from '../fixtures/chains.ts';
import { makeWorld, ZONE } from '../fixtures/world.ts';
import { rowFolder, runCli } from './run-cli.ts';

const SEED = 'resilient-site.example.com';
const WWW = 'www.example.com';

let world: LocalWorld;
beforeEach(async () => {
  world = await makeWorld();
});
afterEach(() => {
  world.destroy();
});

describe('chains reconcile --all', () => {
  it('draws N/M, the current chain and an ETA on a terminal, nothing extra when piped, and the same summary', async () => {
    await world.chains.put(seedRow());
    await world.chains.put({ ...seedRow(), name: WWW });
    const terminal = await runCli(['reconcile', '--all'], { world, io: { isTTY: true } });
    expect(terminal.code).toBe(0);
    expect(terminal.out).toBe('reconciled 2 chains: 2 IN_SYNC\n');
    expect(terminal.err).toBe('');
    expect(terminal.progress).toHaveLength(5);
    expect(terminal.progress[0]).toBe(`reading and planning 1/2  ${SEED}`);
    expect(terminal.progress[1]).toMatch(new RegExp(`^reading and planning 2/2  ${WWW}  ETA \\d+s$`));
    expect(terminal.progress[2]).toMatch(new RegExp(`^applying 1/2  ${SEED}  ETA \\d+s$`));
    expect(terminal.progress[3]).toMatch(new RegExp(`^applying 2/2  ${WWW}  ETA \\d+s$`));
    expect(terminal.progress[4]).toBe('');

    const piped = await runCli(['reconcile', '--all'], { world, io: { isTTY: false } });
    expect(piped).toEqual({ code: 0, out: 'reconciled 2 chains: 2 IN_SYNC\n', err: '', progress: [] });
  });

  it('ends with a readable summary that points at the chains needing attention, exit 1', async () => {
    await world.chains.put(seedRow());
    await world.chains.put({ ...seedRow(), name: WWW, hostedZoneId: 'ZNOPE' });
    expect(await runCli(['reconcile', '--all'], { world })).toEqual({
      code: 1,
      out: 'reconciled 2 chains: 1 IN_SYNC, 1 INVALID\n1 chain needs attention: see chains status\n',
      err: '',
      progress: [],
    });
    const json = await runCli(['reconcile', '--all', '--json'], { world });
    expect(JSON.parse(json.out)).toMatchObject({
      reconciled: 2,
      byState: { IN_SYNC: 1, INVALID: 1 },
      failed: [],
    });
  });
});

describe('--json for scripts', () => {
  it('status, history and reconcile print JSON', async () => {
    await world.chains.put(seedRow());
    const reconciled = await runCli(['reconcile', SEED, '--json'], { world });
    expect(JSON.parse(reconciled.out)).toMatchObject({
      name: SEED,
      state: 'IN_SYNC',
      recordChanges: 4,
      errors: [],
    });
    const statuses = JSON.parse((await runCli(['status', '--json'], { world })).out) as { name: string }[];
    expect(statuses.map((status) => status.name)).toEqual([SEED]);
    expect(JSON.parse((await runCli(['history', SEED, '--json'], { world })).out)).toEqual([]);
  });
});

describe('chains status NAME', () => {
  it('shows [unknown], never [up], for a checked tier whose health was never observed', async () => {
    await world.chains.put(seedRow());
    await runCli(['reconcile', SEED], { world });
    expect((await runCli(['status', SEED], { world })).out).toBe(
      [
        `${SEED}  IN_SYNC  serving: primary`,
        SEED,
        `├── primary: primary  primary.${SEED}  [unknown]  <- serving`,
        `└── secondary: backup.${SEED}`,
        `    ├── primary: secondary  secondary.${SEED}  [unknown]`,
        `    └── secondary: tertiary  tertiary.${SEED}  [unchecked]`,
        '',
      ].join('\n'),
    );
  });
});

describe('undrain and unpin of what is not drained or pinned', () => {
  it('say so, exit 1 and write nothing', async () => {
    await world.chains.put(seedRow());
    expect(await runCli(['undrain', SEED, 'secondary'], { world })).toMatchObject({
      code: 1,
      err: `${SEED}: secondary is not drained (drained: none); nothing changed\n`,
    });
    expect(await runCli(['unpin', SEED], { world })).toMatchObject({
      code: 1,
      err: `${SEED}: no tier is pinned; nothing changed\n`,
    });
    expect(await world.chains.get(SEED)).toEqual(seedRow());
  });
});

describe('--stack: the deployment settings from its outputs', () => {
  // Deps that obey the settings the CLI worked out, as the real ones built from them do.
  const overrides = (outputs: Record<string, string>): CliOverrides => ({
    stackOutputs: (name) =>
      name === 'FailoverChains'
        ? Promise.resolve(outputs)
        : Promise.reject(new Error(`unexpected stack ${name}`)),
    store: () => world.chains,
    deps: (settings) => ({
      ...world.deps,
      settings: {
        ...world.deps.settings,
        owner: settings.ownerId,
        allowedHostedZoneIds: settings.allowedHostedZoneIds,
        allowedNameSuffixes: settings.allowedNameSuffixes,
      },
    }),
  });
  const outputs = (extra: Record<string, string>) => ({
    ChainsTableName: world.tables.chains,
    StatusTableName: world.tables.status,
    OwnerId: 'blue',
    HostedZoneIds: ZONE,
    ...extra,
  });

  it('a reconcile from a laptop obeys the zones and suffixes the Lambdas obey', async () => {
    await world.chains.put(seedRow());
    const options = { overrides: overrides(outputs({ HostedZoneIds: 'ZOTHER' })) };
    expect(await runCli(['--stack', 'FailoverChains', 'reconcile', SEED], options)).toMatchObject({
      code: 1,
      out: `${SEED}: INVALID (0 record changes)\n`,
      err: `hostedZoneId: ${ZONE} is not a hosted zone this deployment may change (allowed: ZOTHER)\n`,
    });
    const { write } = rowFolder();
    const refused = await runCli(
      ['--stack', 'FailoverChains', 'apply', write('www.json', { ...seedRow(), name: WWW })],
      { overrides: overrides(outputs({ AllowedNameSuffixes: 'resilient-site.example.com' })) },
    );
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/www\.json: name: .*resilient-site\.example\.com/);
    expect(await world.chains.get(WWW)).toBeUndefined();
  });

  it('uses the owner id and table names from the stack; flags still win', async () => {
    const { write } = rowFolder();
    const row = write('seed.json', seedRow());
    const applied = await runCli(['--stack', 'FailoverChains', 'apply', row], {
      overrides: overrides(outputs({})),
    });
    expect(applied.out).toContain(`applied ${SEED} (3 tiers) to ${world.tables.chains}`);
    await runCli(['--stack', 'FailoverChains', 'reconcile', SEED], { overrides: overrides(outputs({})) });
    expect(world.route53.records(ZONE).map((record) => record.SetIdentifier)).toContain(
      'failover-chains/blue/0/primary',
    );
    const plan = await runCli(['--stack', 'FailoverChains', '--owner', 'green', 'plan', row], {
      overrides: overrides(outputs({})),
    });
    expect(plan.out).toContain('"SetIdentifier": "failover-chains/green/0/primary"');
  });

  it('says what to do when the stack lacks the outputs', async () => {
    const old = { ChainsTableName: 'a', StatusTableName: 'b' };
    expect(
      await runCli(['--stack', 'FailoverChains', 'get', SEED], { overrides: overrides(old) }),
    ).toMatchObject({
      code: 1,
      err: 'error: stack FailoverChains has no OwnerId, HostedZoneIds output: deploy this version of the stack (npx cdk deploy), or pass the settings as flags\n',
    });
  });
});

describe('chains history', () => {
  it('shows what an operator did and who, beside the flips', async () => {
    await world.chains.put(seedRow());
    await runCli(['reconcile', SEED], { world });
    expect((await runCli(['drain', SEED, 'primary'], { world })).code).toBe(0);
    await runCli(['reconcile', SEED], { world });
    const history = await runCli(['history', SEED], { world });
    expect(history.out).toMatch(
      /^\S+Z {2}CONTROL_CHANGED {5}primary -> secondary {2}\(drained primary; by \S+@\S+ via chains CLI\)\n$/,
    );
  });
});
