import { execFile } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { main } from '../../cli/main.ts';
import type { CliOverrides } from '../../cli/cli-context.ts';
import type { CliIo } from '../../cli/io.ts';
import type { LocalWorld } from '../../local/local-world.ts';

/** What a user sees from one run: exit code, stdout, stderr, and the progress line redraws. */
export interface CliRun {
  code: number;
  out: string;
  err: string;
  progress: string[];
}

/** Run `main(argv)` in-process; `world` wires it to DynamoDB Local and the stand-ins. */
export async function runCli(
  argv: string[],
  options: { world?: LocalWorld; io?: Partial<CliIo>; overrides?: CliOverrides } = {},
): Promise<CliRun> {
  const run: CliRun = { code: -1, out: '', err: '', progress: [] };
  const io: CliIo = {
    out: (t) => (run.out += t.endsWith('\n') ? t : `${t}\n`),
    err: (t) => (run.err += t.endsWith('\n') ? t : `${t}\n`),
    progress: (t) => run.progress.push(t),
    ...options.io,
  };
  const world = options.world;
  // The world's table names as flags, so messages name the tables the run really used.
  const tables = world ? ['--chains-table', world.tables.chains, '--status-table', world.tables.status] : [];
  run.code = await main([...tables, ...argv], io, {
    ...(world ? { deps: () => world.deps, store: () => world.chains } : {}),
    ...options.overrides,
  });
  return run;
}

/** A fresh folder for row files; `write` takes a path inside it and JSON or raw text. */
export function rowFolder(): { dir: string; write: (path: string, content: unknown) => string } {
  const dir = mkdtempSync(join(tmpdir(), 'chains-cli-'));
  return {
    dir,
    write: (path, content) => {
      const full = join(dir, path);
      mkdirSync(dirname(full), { recursive: true });
      writeFileSync(full, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
      return full;
    },
  };
}

/** Run `node bin/chains.js` as a user would, with this environment; never throws on a non-zero exit. */
export async function runBin(
  argv: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      [new URL('../../bin/chains.js', import.meta.url).pathname, ...argv],
      { env },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

/** An environment with no AWS configuration at all: no region, no credentials, no profile files. */
export function bareEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('AWS_')) env[key] = value;
  return {
    ...env,
    AWS_CONFIG_FILE: '/nonexistent/config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/credentials',
    AWS_EC2_METADATA_DISABLED: 'true',
    ...extra,
  };
}
