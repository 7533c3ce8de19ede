import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/build-app.ts';

// `cdk deploy` knows the account: ARNs then carry it as a literal, and every cdk-nag
// acknowledgement must still match. Bundling is the same either way, so it is skipped here.
describe('synthesis with the account known, as cdk deploy runs it', () => {
  it('passes cdk-nag (AwsSolutions and Serverless) with the README deploy flags', () => {
    const { app, stack } = buildApp(
      {
        outdir: mkdtempSync(join(tmpdir(), 'fc-cdk-account-')),
        context: {
          'aws:cdk:bundling-stacks': [],
          hostedZoneIds: 'Z1234567890ABC',
          alertEmail: 'ops@example.com',
          allowedNameSuffixes: 'example.com',
        },
      },
      { account: '123456789012', region: 'us-east-1' },
    );
    expect(() => app.synth()).not.toThrow();
    expect(JSON.stringify(Template.fromStack(stack).toJSON())).toContain('123456789012');
  }, 60_000);
});
