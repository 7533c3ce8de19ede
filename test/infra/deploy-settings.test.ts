import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { stackConfigFrom } from '../../infra/stack-config.ts';

const run = promisify(execFile);
const root = new URL('../../', import.meta.url).pathname;
const settings = (values: Record<string, unknown>) => () => stackConfigFrom((key) => values[key]);
const required = { hostedZoneIds: 'Z1234567890ABC', alertEmail: 'ops@example.com' };

describe('deployment settings', () => {
  it('require the hosted zones, saying where to put them', () => {
    expect(settings({ alertEmail: 'none' })).toThrow(
      '-c hostedZoneIds: is required: the hosted zones the system may change, e.g. -c hostedZoneIds=Z0123456789ABC',
    );
  });

  it('require an alert email or an explicit none, so a later deploy cannot silently drop the subscription', () => {
    expect(settings({ hostedZoneIds: 'Z1234567890ABC' })).toThrow(
      '-c alertEmail: is required: the address told when traffic moves, or none',
    );
    expect(stackConfigFrom((key) => ({ ...required, alertEmail: 'none' })[key])).not.toHaveProperty(
      'alertEmail',
    );
  });

  it('name each bad value on its own line', () => {
    expect(
      settings({
        hostedZoneIds: 'z12,Z1234567890ABC',
        alertEmail: 'nope',
        ownerId: 'Bad Owner',
        resyncMinutes: '0',
        allowedNameSuffixes: 'example.com,-bad.example',
      }),
    ).toThrow(
      [
        '-c hostedZoneIds: "z12" is not a hosted zone id (Z followed by upper-case letters and digits)',
        '-c allowedNameSuffixes: "-bad.example" is not a DNS name: label "-bad" must use letters, digits, hyphens or underscores and not start or end with a hyphen',
        '-c ownerId: "Bad Owner" must be 1 to 32 lower-case letters, digits or hyphens',
        '-c alertEmail: "nope" is not an email address (or none)',
        '-c resyncMinutes: "0" must be a whole number of minutes from 1 to 1440',
      ].join('\n'),
    );
  });

  it('accept zone ids as the API writes them and normalise suffixes like names', () => {
    const config = stackConfigFrom(
      (key) =>
        ({
          hostedZoneIds: '/hostedzone/Z1234567890ABC, Z0987654321XYZ',
          allowedNameSuffixes: 'Example.COM.',
          alertEmail: 'ops@example.com',
        })[key],
    );
    expect(config).toMatchObject({
      hostedZoneIds: ['Z1234567890ABC', 'Z0987654321XYZ'],
      allowedNameSuffixes: ['example.com'],
    });
  });

  it('send operations alarms to the alert email unless opsEmail says otherwise', () => {
    expect(stackConfigFrom((key) => required[key as keyof typeof required])).toMatchObject({
      alertEmail: 'ops@example.com',
      opsEmail: 'ops@example.com',
    });
    expect(stackConfigFrom((key) => ({ ...required, opsEmail: 'oncall@example.com' })[key])).toMatchObject({
      alertEmail: 'ops@example.com',
      opsEmail: 'oncall@example.com',
    });
    expect(stackConfigFrom((key) => ({ ...required, opsEmail: 'none' })[key])).not.toHaveProperty('opsEmail');
  });
});

describe('the CDK app, as `cdk synth` runs it', () => {
  // The CLI hands the app its context in CDK_CONTEXT_JSON; a bad value must read as one line, not a trace.
  const app = async (context: Record<string, string>, env: Record<string, string> = {}) => {
    try {
      await run(process.execPath, ['--import', 'tsx', 'infra/app.ts'], {
        cwd: root,
        env: {
          ...process.env,
          CDK_CONTEXT_JSON: JSON.stringify({ 'aws:cdk:bundling-stacks': [], ...context }),
          CDK_OUTDIR: '/tmp/fc-app-test',
          ...env,
        },
      });
      return { code: 0, stderr: '' };
    } catch (error) {
      const failed = error as { code: number; stderr: string };
      return { code: failed.code, stderr: failed.stderr };
    }
  };

  it('prints a bad setting in one line and exits 1', async () => {
    const result = await app({ hostedZoneIds: 'z12', alertEmail: 'ops@example.com' });
    expect(result).toEqual({
      code: 1,
      stderr:
        '-c hostedZoneIds: "z12" is not a hosted zone id (Z followed by upper-case letters and digits)\n',
    });
  }, 60_000);

  it('refuses another region in one line', async () => {
    const result = await app(required, { CDK_DEFAULT_REGION: 'eu-west-1' });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^failover-chains deploys only to us-east-1 \(got eu-west-1\): [^\n]*\n$/);
  }, 60_000);
});
