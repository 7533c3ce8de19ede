import type { Command } from 'commander';
import { diffContext, diffRecords } from '../../shared/core/diff-records.ts';
import { planChain } from '../../shared/core/plan-records.ts';
import type { HealthCheckConfig } from '../../shared/core/route53-types.ts';
import { exitWith } from '../exit-code.ts';
import { formatDiff } from '../format-changes.ts';
import type { CliIo } from '../io.ts';
import { loadChain } from '../load-chain.ts';
import { parseObservedRecords } from '../observed-records.ts';
import { parseText, readInputText } from '../read-row.ts';

/** `chains plan FILE [--observed RECORDS.json]`: the desired Route 53 state, or the change list. */
export function registerPlan(program: Command, io: CliIo, owner: () => Promise<string>): void {
  program
    .command('plan')
    .description('print the health checks and Route 53 records a chain row makes')
    .argument('<file>', 'the row as JSON or YAML (- for stdin)')
    .option('--observed <records.json>', 'a ListResourceRecordSets result: print the change list instead')
    .option('--json', 'print JSON (the plan itself is always JSON)')
    .action(async (file: string, options: { observed?: string; json?: boolean }) => {
      const chain = await loadChain(file, io);
      if (!chain) exitWith(1);
      const plan = planChain(chain, { owner: await owner() });
      if (options.observed === undefined) {
        const healthChecks: Record<string, HealthCheckConfig> = {};
        for (const check of plan.healthChecks)
          if (check.kind === 'managed') healthChecks[check.tierId] = check.config;
        io.out(JSON.stringify({ healthChecks, records: plan.records }, null, 2));
        return;
      }
      const source = options.observed;
      const observed = parseObservedRecords(
        parseText(await readInputText(source, io.readStdin), source),
        source,
      );
      const diff = diffRecords(plan.records, observed, diffContext(chain, await owner()));
      io.out(options.json ? JSON.stringify(diff, null, 2) : formatDiff(diff).join('\n'));
      exitWith(diff.conflicts.length > 0 ? 1 : 0);
    });
}
