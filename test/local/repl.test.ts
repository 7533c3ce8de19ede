import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { localSeedRow, startLocalSystem, type LocalSystem } from '../../local/local-system.ts';
import { replCommand } from '../../local/repl-commands.ts';
import { promptSafePrinter } from '../../local/repl.ts';

const NAME = 'resilient-site.example.com';
let system: LocalSystem;

beforeAll(async () => {
  system = await startLocalSystem({
    dynamodbEndpoint: inject('dynamodbEndpoint'),
    dnsPort: 0,
    tierPort: 0,
    checkIntervalMs: 100,
    failureThreshold: 1,
    streamPollMs: 50,
  });
  await system.world.chains.put(
    localSeedRow(
      system.servers.map((s) => s.host),
      system.tierPort,
    ),
  );
  await until(async () => (await run('dig')).some((line) => line.includes(' A  127.0.0.1')));
}, 60_000);
afterAll(async () => {
  await system.stop();
});

/** What the prompt prints for one typed line. */
async function run(line: string): Promise<string[]> {
  const printed: string[] = [];
  await replCommand(system, line, (text) => printed.push(...text.replace(/\n$/, '').split('\n')));
  return printed;
}

async function until(condition: () => Promise<boolean>, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const serving = async () => (await system.world.deps.status.get(NAME))?.servingTier;

describe('the local> prompt', () => {
  it('help lists every command', async () => {
    const help = (await run('help')).join('\n');
    for (const command of [
      'stop N',
      'dig',
      'apply FILE',
      'status',
      'history',
      'reconcile',
      'drain',
      'pin',
      'failback',
      'quit',
    ])
      expect(help).toContain(command);
  });

  it('dig shows every hop of a CNAME chain, then the address; AAAA says NODATA with the SOA', async () => {
    expect(await run('dig')).toEqual([
      `${NAME} A: NOERROR`,
      `  ${NAME}.  60  CNAME  primary.${NAME}.`,
      `  primary.${NAME}.  60  A  127.0.0.1`,
    ]);
    const aaaa = await run(`dig ${NAME} AAAA`);
    expect(aaaa[0]).toBe(`${NAME} AAAA: NOERROR`);
    expect(aaaa.at(-1)).toMatch(/^ {2}example\.com\. {2}900 {2}SOA .* \(authority\)$/);
    expect(await run('dig nope.example.com')).toEqual([
      'nope.example.com A: NXDOMAIN',
      expect.stringMatching(/SOA .*\(authority\)$/) as string,
    ]);
  });

  it('stop and start say what they did, and what they did not', async () => {
    const [three] = system.servers.slice(2);
    expect(await run('stop 3')).toEqual([
      `server #3 (127.0.0.3:${system.tierPort}) stopped; its health check turns unhealthy after 1 probes (100 ms)`,
    ]);
    expect(three!.running).toBe(false);
    expect(await run('stop 3')).toEqual([`server #3 (127.0.0.3:${system.tierPort}) is already stopped`]);
    expect(await run('start 3')).toEqual([
      `server #3 (127.0.0.3:${system.tierPort}) started; its health check turns healthy after 1 probes (100 ms)`,
    ]);
    expect(await run('stop 4')).toEqual(['usage: stop N, where N is 1, 2 or 3']);
  });

  it('drain, history, pin, unpin, undrain and failback run as the CLI does, against local mode', async () => {
    expect(await run(`drain ${NAME} primary`)).toEqual([
      expect.stringMatching(/written to resilient-site\.example\.com/) as string,
    ]);
    await until(async () => (await serving()) === 'secondary');
    // The drained tier is left out of the built chain: the name points at secondary directly
    // (once the stream's batch is in: the alarm handler may record the new serving tier first).
    const direct = `  ${NAME}.  60  CNAME  secondary.${NAME}.`;
    await until(async () => (await run('dig'))[1] === direct);
    expect((await run('dig'))[1]).toBe(direct);
    expect((await run(`history ${NAME}`)).join('\n')).toMatch(/primary/);
    await run(`undrain ${NAME} primary`);
    await until(async () => (await serving()) === 'primary');
    await run(`pin ${NAME} tertiary`);
    await until(async () => (await serving()) === 'tertiary');
    await run(`unpin ${NAME}`);
    await until(async () => (await serving()) === 'primary');
    expect((await run(`failback ${NAME}`)).join('\n')).toMatch(/holds no tier/);
    expect(await run(`reconcile ${NAME}`)).toEqual([`${NAME}: IN_SYNC (0 record changes)`]);
    expect((await run('status')).join('\n')).toMatch(/resilient-site\.example\.com/);
  }, 60_000);

  it('apply validates and normalises like the CLI, and accepts loopback health checks', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'repl-'));
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ name: 'x.example.com', tiers: [] }));
    const badLines = await run(`apply ${bad}`);
    expect(badLines.at(-1)).toBe('not written: fix the errors above');
    expect(badLines.length).toBeGreaterThan(1);
    const good = join(dir, 'good.json');
    const row = localSeedRow(
      system.servers.map((s) => s.host),
      system.tierPort,
    );
    writeFileSync(good, JSON.stringify({ ...row, name: 'Other-Site.Example.com.' }));
    expect(await run(`apply ${good}`)).toEqual([
      'applied other-site.example.com (3 tiers); the stream applies it',
    ]);
    expect(await system.world.chains.get('other-site.example.com')).toMatchObject({
      name: 'other-site.example.com',
    });
    expect(await run('frobnicate')).toEqual(['unknown command: frobnicate (type help)']);
    expect(await run('quit')).toEqual([]);
    expect(await replCommand(system, 'quit', () => undefined)).toBe('quit');
  });
});

describe('an alert while someone types', () => {
  it('is printed on its own line and the prompt comes back with what was typed', async () => {
    const input = new PassThrough();
    const output = Object.assign(new PassThrough(), { isTTY: true, columns: 80 });
    let seen = '';
    output.on('data', (chunk: Buffer) => (seen += chunk.toString()));
    const rl = createInterface({ input, output, prompt: 'local> ', terminal: true });
    const printer = promptSafePrinter(rl, output);
    rl.prompt();
    printer.setReading(true);
    input.write('sta');
    await new Promise((resolve) => setImmediate(resolve));
    seen = '';
    printer.print('ALERT  resilient-site.example.com: primary -> secondary');
    rl.close();
    // Strip terminal escapes (ESC [ ... letter) to read what the screen shows.
    const screen = seen.replace(new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*[A-Za-z]`, 'g'), '');
    expect(seen.startsWith('\r\x1b[2KALERT  resilient-site.example.com: primary -> secondary\n')).toBe(true);
    expect(screen).toMatch(/ALERT {2}resilient-site\.example\.com: primary -> secondary\n\r?local> sta/);
  });
});
