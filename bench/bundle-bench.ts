import { spawnSync } from 'node:child_process';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { BUNDLING } from '../infra/constructs/handler-function.ts';

/** One Lambda bundle measured against a bundle of just the SDK clients it uses. */
export interface BundleResult {
  handler: string;
  bytes: number;
  baselineBytes: number;
  medianMs: number;
  baselineMedianMs: number;
  ratio: number;
}

const root = new URL('../', import.meta.url).pathname;
const out = join(root, '.bench', 'bundles');

// Each handler's bare-SDK baseline builds the same four clients (deps-from-env.ts) and makes the
// same first call the handler makes for its event, against the same closed endpoint; the ratio
// is then what our code adds: its own modules' load and the work before that first call.
const baseline = (firstCall: string) => `
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { DynamoDBClient, GetItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { Route53Client } from '@aws-sdk/client-route-53';
import { SNSClient } from '@aws-sdk/client-sns';
export const handler = async () => {
  const dynamodb = new DynamoDBClient({});
  const clients = [dynamodb, new Route53Client({}), new CloudWatchClient({}), new SNSClient({})];
  ${firstCall}
  return clients.length;
};
`;

const BASELINES: Record<string, string> = {
  'chain-stream': baseline(
    "await dynamodb.send(new GetItemCommand({ TableName: 'failover-chains', Key: { name: { S: 'c1.example.com' } } })).catch(() => undefined);",
  ),
  'health-alarm': baseline(''),
  resync: baseline(
    "await dynamodb.send(new ScanCommand({ TableName: 'failover-chains' })).catch(() => undefined);",
  ),
};

const EVENTS: Record<string, unknown> = {
  'chain-stream': {
    Records: [
      {
        eventID: '1',
        eventName: 'MODIFY',
        eventSource: 'aws:dynamodb',
        dynamodb: { Keys: { name: { S: 'c1.example.com' } }, SequenceNumber: '1' },
      },
    ],
  },
  'health-alarm': { source: 'aws.cloudwatch', 'detail-type': 'Something else', detail: {} },
  resync: {},
};

/** Bundle with the settings the stack deploys with, so the figures are those of the real Lambdas. */
async function bundle(entry: string, file: string): Promise<number> {
  await build({
    entryPoints: [entry],
    outfile: file,
    bundle: true,
    platform: 'node',
    format: BUNDLING.format,
    target: BUNDLING.target,
    minify: BUNDLING.minify,
    mainFields: [...BUNDLING.mainFields],
    external: [...BUNDLING.externalModules],
    banner: { js: BUNDLING.banner },
    logLevel: 'silent',
  });
  return statSync(file).size;
}

/** Wall time of a fresh Node process that loads the bundle and hands it one event. */
function timeRuns(file: string, event: unknown, runs: number): number {
  const script = `const m = await import(${JSON.stringify(file)}); try { await m.handler(${JSON.stringify(event)}, {}); } catch {}`;
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = process.hrtime.bigint();
    spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      env: {
        PATH: process.env.PATH,
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: 'bench',
        AWS_SECRET_ACCESS_KEY: 'bench',
        // Nothing listens here: calls fail at once, so the time is load and handling, not the network.
        AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
        AWS_MAX_ATTEMPTS: '1',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        POWERTOOLS_LOG_LEVEL: 'SILENT',
      },
      stdio: 'ignore',
    });
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

/** Size and cold load-and-handle time of each handler bundle, next to its bare SDK baseline. */
export async function measureBundles(runs = 9): Promise<BundleResult[]> {
  mkdirSync(out, { recursive: true });
  const results: BundleResult[] = [];
  for (const handler of ['chain-stream', 'health-alarm', 'resync']) {
    const baselineEntry = join(out, `${handler}-baseline-entry.mjs`);
    writeFileSync(baselineEntry, BASELINES[handler]!);
    const baselineFile = join(out, `${handler}-baseline.mjs`);
    const baselineBytes = await bundle(baselineEntry, baselineFile);
    const file = join(out, `${handler}.mjs`);
    const bytes = await bundle(join(root, 'functions', `${handler}.ts`), file);
    const medianMs = timeRuns(file, EVENTS[handler], runs);
    const baselineMedianMs = timeRuns(baselineFile, {}, runs);
    results.push({
      handler,
      bytes,
      baselineBytes,
      medianMs,
      baselineMedianMs,
      ratio: medianMs / baselineMedianMs,
    });
  }
  return results;
}
