import type { BulkResult } from './bulk-model.ts';

const minutes = (s: number) => (s >= 36_000 ? `${(s / 3600).toFixed(2)} h` : `${(s / 60).toFixed(1)} min`);

/** The bulk-import rows as the README shows them. */
export function bulkTable(results: readonly BulkResult[]): string[] {
  return [
    '| new chains | shards | all built | account bound | over bound | create attempts per check | throttled attempts | discarded records | timed-out invocations | drain applied after |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...results.map(
      (b) =>
        `| ${b.chains} | ${b.shards} | ${minutes(b.builtSeconds)} | ${minutes(b.boundSeconds)} | ${(((b.builtSeconds - b.boundSeconds) / b.boundSeconds) * 100).toFixed(1)}% | ${b.createAttemptsPerCheck.toFixed(3)} | ${b.throttled} | ${b.discarded} | ${b.timedOut} | ${b.editDelaySeconds.toFixed(1)} s |`,
    ),
  ];
}
