import { mkdirSync, writeFileSync } from 'node:fs';
import { runBulkImport, type BulkResult } from './bulk-model.ts';
import { bulkTable } from './bulk-table.ts';
import { fanoutTable, measureFanout, type FanoutResult } from './fanout-bench.ts';
import { fleetTable, measureFleet } from './fleet-bench.ts';
import { measureBundles } from './bundle-bench.ts';
import { measure, type RunResult } from './reconcile-bench.ts';

// `npm run bench [-- --sizes 100,1000]`: Route 53 traffic of full reconciles at 100, 1,000 and
// 10,000 chains, grouped vs chain by chain, under 2026's token buckets and the older flat 5/s;
// then the Lambda bundles' size and cold load time against the bare SDK clients; then bulk
// imports of 1,000 and 10,000 new chains through the stream and the builder, with 1 and 4 shards
// (`--bulk 2000` for others, `--bulk 0` to skip), in a virtual-time model of the deployed stack
// (bench/bulk-model.ts): about a minute of wall clock per 10,000-chain row; then one shared
// check's alarm flipping for 1,000 and 10,000 chains (bench/fanout-bench.ts).

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const sizesArg = process.argv.indexOf('--sizes');
const sizes = sizesArg > 0 ? process.argv[sizesArg + 1]!.split(',').map(Number) : [100, 1000, 10_000];

const results: RunResult[] = [];
for (const size of sizes) {
  for (const limits of ['buckets', 'flat'] as const) {
    for (const strategy of ['grouped', 'naive'] as const) {
      const started = Date.now();
      results.push(...(await measure(size, limits, strategy)));
      process.stderr.write(
        `measured ${size} chains, ${limits}, ${strategy} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
      );
    }
  }
}

const hours = (s: number) =>
  s >= 3600 ? `${(s / 3600).toFixed(1)} h` : s >= 60 ? `${(s / 60).toFixed(1)} min` : `${s.toFixed(1)} s`;
const lines = [
  '| chains | run | Route 53 calls (reads / writes) | record lists (zone pages) | CloudWatch calls | simulated time, 2026 buckets | simulated time, flat 5/s | naive calls | naive time (buckets) |',
  '| ---: | --- | --- | --- | ---: | ---: | ---: | ---: | ---: |',
];
for (const size of sizes) {
  for (const scenario of ['first', 'no-op', 'edit 1%'] as const) {
    const pick = (limits: string, strategy: string) =>
      results.find(
        (r) => r.chains === size && r.scenario === scenario && r.limits === limits && r.strategy === strategy,
      )!;
    const grouped = pick('buckets', 'grouped');
    const flat = pick('flat', 'grouped');
    const naive = results.find(
      (r) => r.chains === size && r.scenario === scenario && r.limits === 'buckets' && r.strategy === 'naive',
    );
    const calls = grouped.route53Reads + grouped.route53Writes;
    const naiveCalls = naive ? naive.route53Reads + naive.route53Writes : undefined;
    lines.push(
      `| ${size} | ${scenario} | ${calls} (${grouped.route53Reads} / ${grouped.route53Writes}) | ${grouped.recordListCalls} (${grouped.zonePages}) | ${grouped.cloudwatchCalls} | ${hours(grouped.simulatedSeconds)} | ${hours(flat.simulatedSeconds)} | ${naive && naiveCalls !== undefined ? `${naiveCalls} (${(naiveCalls / Math.max(calls, 1)).toFixed(1)}x)` : 'not run'} | ${naive ? `${hours(naive.simulatedSeconds)} (${(naive.simulatedSeconds / Math.max(grouped.simulatedSeconds, 0.001)).toFixed(1)}x)` : 'not run'} |`,
    );
  }
}

const bundles = await measureBundles();
lines.push(
  '',
  '| handler | bundle | bare SDK bundle | median cold load + one event | bare SDK | ratio |',
  '| --- | ---: | ---: | ---: | ---: | ---: |',
);
for (const b of bundles) {
  lines.push(
    `| ${b.handler} | ${(b.bytes / 1024).toFixed(0)} KiB | ${(b.baselineBytes / 1024).toFixed(0)} KiB | ${b.medianMs.toFixed(0)} ms | ${b.baselineMedianMs.toFixed(0)} ms | ${b.ratio.toFixed(2)}x |`,
  );
}
const bulkArg = process.argv.indexOf('--bulk');
const bulkSizes = (bulkArg > 0 ? process.argv[bulkArg + 1]! : '1000,10000')
  .split(',')
  .map(Number)
  .filter((n) => n > 0);
const bulk: BulkResult[] = [];
for (const size of bulkSizes) {
  for (const shards of [1, 4]) {
    const result = await runBulkImport(size, shards);
    bulk.push(result);
    process.stderr.write(
      `modelled a bulk import of ${size} chains, ${shards} shard(s), in ${result.modelSeconds.toFixed(0)} s\n`,
    );
  }
}
if (bulk.length > 0) lines.push('', ...bulkTable(bulk));

// Shared health checks: a fleet whose secondaries are 100 sites and whose last tier is one page
// (`--fleet 1000` for another size, `--fleet 0` to skip).
const fleetArg = process.argv.indexOf('--fleet');
const fleetSize = fleetArg > 0 ? Number(process.argv[fleetArg + 1]) : 10_000;
const fleet =
  fleetSize > 0 ? [await measureFleet(fleetSize, true), await measureFleet(fleetSize, false)] : [];
if (fleet.length > 0) lines.push('', ...fleetTable(fleet));

// One shared check's alarm flipping for every chain that uses it (`--fanout 2000` for other
// sizes, `--fanout 0` to skip): the HealthAlarm invocation against its timeout.
const fanoutArg = process.argv.indexOf('--fanout');
const fanoutSizes = (fanoutArg > 0 ? process.argv[fanoutArg + 1]! : '1000,10000')
  .split(',')
  .map(Number)
  .filter((n) => n > 0);
const fanout: FanoutResult[] = [];
for (const size of fanoutSizes) fanout.push(await measureFanout(size));
if (fanout.length > 0) lines.push('', ...fanoutTable(fanout));

process.stdout.write(`${lines.join('\n')}\n`);
mkdirSync('.bench', { recursive: true });
writeFileSync(
  '.bench/results.json',
  JSON.stringify({ reconcile: results, bundles, bulk, fleet, fanout }, null, 2),
);
process.stdout.write('\nJSON: .bench/results.json\n');
