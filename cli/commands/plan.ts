import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { diffRecords } from '../../shared/core/diff-records.ts';
import { planChain } from '../../shared/core/plan-records.ts';
import type { HealthCheckConfig, ResourceRecordSet } from '../../shared/core/route53-types.ts';
import type { CliIo } from '../io.ts';
import { loadChain } from '../load-chain.ts';
import { exitWith } from '../exit-code.ts';
import { UsageError } from '../read-row.ts';

/** `chains plan FILE [--observed RECORDS.json]`: the desired Route 53 state, or the change list. */
export function registerPlan(program: Command, io: CliIo, owner: () => string): void {
  program
    .command('plan')
    .description('print the health checks and Route 53 records a chain row makes')
    .argument('<file>', 'the row as JSON')
    .option('--observed <records.json>', 'a ListResourceRecordSets result: print the change list instead')
    .action(async (file: string, options: { observed?: string }) => {
      const chain = await loadChain(file, io);
      if (!chain) exitWith(1);
      const plan = planChain(chain, { owner: owner() });
      if (options.observed === undefined) {
        const healthChecks: Record<string, HealthCheckConfig> = {};
        for (const check of plan.healthChecks)
          if (check.kind === 'managed') healthChecks[check.tierId] = check.config;
        io.out(JSON.stringify({ healthChecks, records: plan.records }, null, 2));
        return;
      }
      const observed = await readObserved(options.observed);
      const diff = diffRecords(plan.records, observed, { owner: owner(), chainName: chain.name });
      io.out(JSON.stringify(diff, null, 2));
    });
}

async function readObserved(path: string): Promise<ResourceRecordSet[]> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new UsageError(`--observed ${path}: ${(error as Error).message}`);
  }
  const list = Array.isArray(parsed)
    ? parsed
    : (parsed as { ResourceRecordSets?: unknown }).ResourceRecordSets;
  if (!Array.isArray(list)) {
    throw new UsageError(
      `--observed ${path}: expected a ListResourceRecordSets result ({ "ResourceRecordSets": [...] })`,
    );
  }
  return list as ResourceRecordSet[];
}
