import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/build-app.ts';
import { stackConfigFrom } from '../../infra/stack-config.ts';

// The README's "Deploy to AWS" section, read as a user would, against the template `cdk deploy`
// would send (account and region set) and against the app's own messages.

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const section = readme.slice(readme.indexOf('## Deploy to AWS'), readme.indexOf('## The `chains` CLI'));
const required = { hostedZoneIds: 'Z1234567890ABC', alertEmail: 'ops@example.com' };

interface Resource {
  Type: string;
  DeletionPolicy?: string;
  Properties?: Record<string, unknown>;
}
let resources: Resource[];
let outputs: string[];
let outputsWithoutSuffixes: string[];

function synthesise(context: Record<string, string>) {
  const outdir = mkdtempSync(join(tmpdir(), 'fc-readme-'));
  const { app, stack } = buildApp(
    { context: { ...context, 'aws:cdk:bundling-stacks': [] }, outdir },
    { account: '123456789012', region: 'us-east-1' },
  );
  app.synth();
  return JSON.parse(readFileSync(join(outdir, stack.templateFile), 'utf8')) as {
    Resources: Record<string, Resource>;
    Outputs: Record<string, unknown>;
  };
}

beforeAll(() => {
  const template = synthesise({ ...required, allowedNameSuffixes: 'example.com' });
  resources = Object.values(template.Resources);
  outputs = Object.keys(template.Outputs);
  outputsWithoutSuffixes = Object.keys(synthesise(required).Outputs);
}, 120_000);

/** Rows of the markdown table whose header starts with `header`, as arrays of trimmed cells. */
function tableAfter(header: string): string[][] {
  const start = section.indexOf(`| ${header}`);
  const lines = section.slice(start).split('\n');
  const rows: string[][] = [];
  for (const line of lines.slice(2)) {
    if (!line.trim().startsWith('|')) break;
    rows.push(
      line
        .trim()
        .slice(1, -1)
        .split('|')
        .map((cell) => cell.trim()),
    );
  }
  return rows;
}

const amount = (text: string) => Number(text.replace(/[$,]/g, ''));
// Prose wraps at any space: match sentences on the text with each run of whitespace as one space.
const prose = section.replace(/\s+/g, ' ');

describe('the README deploy section, against the synthesised stack', () => {
  it('lists exactly the outputs the stack has (AllowedNameSuffixes only when suffixes are set)', () => {
    const listed = tableAfter('output').map(([name]) => name!.replaceAll('`', ''));
    expect([...listed].sort()).toEqual([...outputs].sort());
    expect(outputsWithoutSuffixes).not.toContain('AllowedNameSuffixes');
  });

  it('counts the operations alarms the stack makes', () => {
    const alarms = resources.filter((r) => r.Type === 'AWS::CloudWatch::Alarm').length;
    expect(section).toContain(`the stack's ${alarms} operations alarms`);
  });

  it('states the stream mapping and the number of Lambdas the stack has', () => {
    const stream = resources.find(
      (r) => r.Type === 'AWS::Lambda::EventSourceMapping' && r.Properties?.StartingPosition !== undefined,
    )!.Properties!;
    const hours = Number(stream.MaximumRecordAgeInSeconds) / 3600;
    expect(prose).toContain(
      `(batches of ${String(stream.BatchSize)}, bisect on error, ${String(stream.MaximumRetryAttempts)} retries, ${hours} h record age,`,
    );
    expect(stream.BisectBatchOnFunctionError).toBe(true);
    const handlers = resources.filter(
      (r) => r.Type === 'AWS::Lambda::Function' && String(r.Properties?.Runtime).startsWith('nodejs22'),
    ).length;
    const words = ['zero', 'one', 'two', 'three', 'four', 'five', 'six'];
    expect(prose).toContain(`the ${words[handlers]} Lambdas (`);
  });

  it('retains after `cdk destroy` exactly the Chains table and the KMS key', () => {
    const retained = resources
      .filter((r) => r.DeletionPolicy === 'Retain')
      .map((r) => r.Type)
      .sort();
    expect(retained).toEqual(['AWS::DynamoDB::Table', 'AWS::KMS::Key']);
    const left = tableAfter('retained after `cdk destroy`')
      .map(([cell]) => cell)
      .join(' ');
    expect(left).toMatch(/Chains table/);
    expect(left).toMatch(/KMS key/);
  });

  it('prints, for each bad value, the line the README shows', () => {
    const block = section.slice(section.indexOf('```text') + 8);
    const shown = block.slice(0, block.indexOf('```')).trim().split('\n');
    const printed = (values: Record<string, string>) => {
      try {
        stackConfigFrom((key) => values[key]);
        return '';
      } catch (error) {
        return (error as Error).message;
      }
    };
    const actual = [
      printed({ alertEmail: 'none' }),
      printed({ hostedZoneIds: 'Z1234567890ABC' }),
      printed({ ...required, hostedZoneIds: 'z12' }),
      printed({ ...required, alertEmail: 'nope' }),
      printed({ ...required, allowedNameSuffixes: '-bad.example' }),
      printed({ ...required, ownerId: 'Bad Owner' }),
      printed({ ...required, resyncMinutes: '0' }),
    ];
    expect(shown).toEqual(actual);
  });
});

describe('the README cost arithmetic', () => {
  const price = (item: string) => {
    const row = tableAfter('item').find(([name]) => name!.startsWith(item));
    return amount(/\$[\d.]+/.exec(row![1]!)![0]);
  };

  it('prices the seed chain and the stack from the table', () => {
    const check = 0.75;
    expect(prose).toContain(`$${check.toFixed(2)} for any other`);
    const alarm = price('CloudWatch alarm');
    const seed = /2 × \$0\.75 \+ 2 alarms × \$0\.10 = \*\*(\$[\d.]+) a month\*\*/.exec(prose)!;
    expect(amount(seed[1]!)).toBeCloseTo(2 * check + 2 * alarm, 2);
    const stack = /The stack itself adds about (\$[\d.]+) \(KMS key, (\d+) alarms\)/.exec(prose)!;
    expect(amount(stack[1]!)).toBeCloseTo(price('KMS key') + Number(stack[2]) * alarm, 2);
  });

  it('prices 1,000 chains, the resync and its reads', () => {
    const thousand =
      /2,000 checks × \$0\.75 = (\$[\d,]+) \(or (\$[\d,]+) if every\s+endpoint is in AWS\); 2,000 alarms = (\$[\d,]+); ≈ \*\*(\$[\d,]+) a month\*\*/.exec(
        section,
      )!;
    expect(amount(thousand[1]!)).toBe(2000 * 0.75);
    expect(amount(thousand[2]!)).toBe((2000 - 50) * 0.5);
    expect(amount(thousand[3]!)).toBeCloseTo(2000 * 0.1, 2);
    expect(amount(thousand[4]!)).toBeCloseTo(2000 * 0.75 + 2000 * 0.1, 2);
    const runs = (30 * 24 * 60) / 15;
    expect(prose).toContain(`${runs.toLocaleString('en-US')} invocations a month`);
    // Strongly consistent scans: 4 KB a read unit over the bytes scanned; Chains once, Status twice.
    const units = (1000 * 1 + 2 * 1000 * 3) / 4;
    expect(prose).toContain(`about ${units.toLocaleString('en-US')} read units a run`);
    const cost = /5 million a month, about (\$\d+\.\d+)/.exec(prose)!;
    expect(Math.abs(amount(cost[1]!) - (units * runs * 0.125) / 1e6)).toBeLessThan(0.05);
  });
});
