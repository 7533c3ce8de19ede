import { createSocket } from 'node:dgram';
import { mkdtempSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../local/port-check.ts';
import { dynamoDbLocalsOnPort, endWithin, startProcess } from './start-process.ts';

// `npm start` as a user runs it (tsx local/start.ts in a child process), with every port on
// 127.0.0.x chosen free for the test; afterwards no DynamoDB Local may be left on its port.

const freePorts = async () => ({ dns: await freePort(), tier: await freePort(), dynamo: await freePort() });
const args = (ports: { dns: number; tier: number; dynamo: number }, ...more: string[]) => [
  '--dns-port',
  String(ports.dns),
  '--tier-port',
  String(ports.tier),
  '--dynamodb-port',
  String(ports.dynamo),
  ...more,
];

describe('npm start, run as a process', () => {
  // Every option's validation is tested in start-options.test.ts; this checks the process exit.
  it('refuses a bad option with one line on stderr and exit 2, starting nothing', async () => {
    const started = startProcess(['--tier-port', 'abc']);
    expect((await endWithin(started, 30_000)).code).toBe(2);
    expect(started.stderr()).toBe(
      "error: option '--tier-port <port>' argument 'abc' is invalid. must be a port number from 1 to 65535.\n",
    );
    expect(started.stdout()).toBe('');
  });

  it('names the option that moves a busy DNS port (UDP), and leaves no DynamoDB Local', async () => {
    const ports = await freePorts();
    const squatter = createSocket('udp4');
    await new Promise<void>((resolve) => squatter.bind(ports.dns, '127.0.0.1', resolve));
    try {
      const started = startProcess(args(ports));
      expect((await endWithin(started, 30_000)).code).toBe(1);
      expect(started.stderr()).toBe(
        `npm start: port ${ports.dns}/udp is in use: npm start -- --dns-port ${ports.dns + 1}\n`,
      );
      expect(dynamoDbLocalsOnPort(ports.dynamo)).toEqual([]);
    } finally {
      squatter.close();
    }
  });

  it('names the option that moves a busy server port on 127.0.0.2', async () => {
    const ports = await freePorts();
    const squatter = createServer();
    await new Promise<void>((resolve) => squatter.listen(ports.tier, '127.0.0.2', resolve));
    try {
      const started = startProcess(args(ports));
      expect((await endWithin(started, 30_000)).code).toBe(1);
      expect(started.stderr()).toBe(
        `npm start: port ${ports.tier}/tcp on 127.0.0.2 is in use: npm start -- --tier-port ${ports.tier + 1}\n`,
      );
    } finally {
      squatter.close();
    }
  });

  it('never reuses what holds the DynamoDB Local port, and does not blame Java for it', async () => {
    const ports = await freePorts();
    const squatter = createServer();
    await new Promise<void>((resolve) => squatter.listen(ports.dynamo, '127.0.0.1', resolve));
    try {
      const started = startProcess(args(ports));
      expect((await endWithin(started, 30_000)).code).toBe(1);
      expect(started.stderr()).toBe(
        `npm start: port ${ports.dynamo}/tcp is in use (another DynamoDB Local?): npm start -- --dynamodb-port ${ports.dynamo + 1}\n`,
      );
      expect(started.stderr()).not.toMatch(/java/i);
    } finally {
      squatter.close();
    }
  });

  it('says in one line that Java 17 is needed when java is not on PATH', async () => {
    const bin = mkdtempSync(join(tmpdir(), 'no-java-'));
    symlinkSync(process.execPath, join(bin, 'node'));
    const ports = await freePorts();
    const started = startProcess(args(ports), { ...process.env, PATH: bin });
    expect((await endWithin(started, 30_000)).code).toBe(1);
    expect(started.stderr()).toBe(
      'npm start: DynamoDB Local needs Java 17 or later: install a JRE so `java` is on PATH\n',
    );
  });

  it.each([
    ['SIGTERM', 143],
    ['SIGINT', 130],
  ] as const)(
    'stops DynamoDB Local on %s',
    async (signal, code) => {
      const ports = await freePorts();
      const started = startProcess(args(ports, '--interactive'));
      try {
        await started.waitFor('ready in', 60_000);
        expect(dynamoDbLocalsOnPort(ports.dynamo)).toHaveLength(1);
        expect(dynamoDbLocalsOnPort(ports.dynamo)[0]).toContain('-disableTelemetry');
        started.child.kill(signal);
        expect((await endWithin(started, 15_000)).code).toBe(code);
        expect(dynamoDbLocalsOnPort(ports.dynamo)).toEqual([]);
      } finally {
        started.child.kill('SIGKILL');
      }
    },
    90_000,
  );

  it('stops DynamoDB Local when the user quits', async () => {
    const ports = await freePorts();
    const started = startProcess(args(ports, '--interactive'));
    try {
      await started.waitFor('local> ', 60_000);
      started.child.stdin!.write('help\nstop 2\nquit\n');
      expect((await endWithin(started, 15_000)).code).toBe(0);
      expect(started.stdout()).toContain('dig [NAME] [TYPE]');
      expect(started.stdout()).toMatch(new RegExp(`server #2 \\(127\\.0\\.0\\.2:${ports.tier}\\) stopped`));
      expect(dynamoDbLocalsOnPort(ports.dynamo)).toEqual([]);
    } finally {
      started.child.kill('SIGKILL');
    }
  }, 90_000);
});
