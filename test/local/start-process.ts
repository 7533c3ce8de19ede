import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const tsx = fileURLToPath(new URL('../../node_modules/tsx/dist/cli.mjs', import.meta.url));

/** A running `tsx local/start.ts` with its output collected. */
export interface StartProcess {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (or signal) once the process has ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves when stdout contains `text`; rejects after `ms` or when the process ends first. */
  waitFor(text: string, ms: number): Promise<void>;
}

/** Start `npm start`'s entry point as a child process, the way `npm start -- ARGS` runs it. */
export function startProcess(args: string[], env: NodeJS.ProcessEnv = process.env): StartProcess {
  const child = spawn(process.execPath, [tsx, 'local/start.ts', ...args], {
    cwd: root,
    env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('close', (code, signal) => {
      resolve({ code, signal });
    });
  });
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitFor: (text, ms) =>
      new Promise((resolve, reject) => {
        const timer = setInterval(() => {
          if (out.includes(text)) {
            clearInterval(timer);
            resolve();
          } else if (child.exitCode !== null || Date.now() > deadline) {
            clearInterval(timer);
            reject(new Error(`no "${text}" in output:\n${out}\n${err}`));
          }
        }, 100);
        const deadline = Date.now() + ms;
      }),
  };
}

/** Command lines of running java processes that are DynamoDB Local on `port`. */
export function dynamoDbLocalsOnPort(port: number): string[] {
  const lines = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' }).split('\n');
  return lines.filter((line) => line.includes('DynamoDBLocal') && new RegExp(`-port ${port}\\b`).test(line));
}

/** Wait up to `ms` for a process to end; kill it if it did not (so a failing test leaves nothing behind). */
export async function endWithin(started: StartProcess, ms: number) {
  const timer = setTimeout(() => started.child.kill('SIGKILL'), ms);
  const result = await started.exited;
  clearTimeout(timer);
  return result;
}
