import type { Command } from 'commander';
import type { Chain } from '../../shared/core/chain.ts';
import { diffContext, diffRecords } from '../../shared/core/diff-records.ts';
import { planChain } from '../../shared/core/plan-records.ts';
import type { HealthCheckConfig } from '../../shared/core/route53-types.ts';
import { validateChain } from '../../shared/core/validate-chain.ts';
import type { CliContext } from '../cli-context.ts';
import { exitWith } from '../exit-code.ts';
import { formatDiff } from '../format-changes.ts';
import { costLines, existingShared, planFleet, quotaLines } from '../fleet-report.ts';
import { loadChain } from '../load-chain.ts';
import { parseObservedRecords } from '../observed-records.ts';
import { parseText, readInputText } from '../read-row.ts';
import { UsageError } from '../usage-error.ts';

interface PlanOptions {
  observed?: string;
  json?: boolean;
  all?: boolean;
  awsEndpoints?: boolean;
}

/**
 * `chains plan FILE [--observed RECORDS.json]`: the desired Route 53 state, or the change list.
 * `chains plan --all`: what every row of the Chains table makes, against the quotas, and its cost.
 */
export function registerPlan(program: Command, context: CliContext): void {
  program
    .command('plan')
    .description(
      'print the health checks and Route 53 records a chain row makes (--all: every row, quotas, cost)',
    )
    .argument('[file]', 'the row as JSON or YAML (- for stdin)')
    .option('--observed <records.json>', 'a ListResourceRecordSets result: print the change list instead')
    .option('--json', 'print JSON (the plan itself is always JSON)')
    .option(
      '--all',
      'every row of the Chains table: health checks, alarms, quotas, monthly cost, first-run time',
    )
    .option('--aws-endpoints', 'with --all: price health checks at the AWS-endpoint rate')
    .action(async (file: string | undefined, options: PlanOptions) => {
      if ((file === undefined) === !options.all) throw new UsageError('give a row file or --all');
      if (options.all) return planAll(context, options);
      const { io } = context;
      const owner = (await context.settings()).ownerId;
      const chain = await loadChain(file!, io);
      if (!chain) exitWith(1);
      const plan = planChain(chain, { owner });
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
      const diff = diffRecords(plan.records, observed, diffContext(chain, owner));
      io.out(options.json ? JSON.stringify(diff, null, 2) : formatDiff(diff).join('\n'));
      exitWith(diff.conflicts.length > 0 ? 1 : 0);
    });
}

/** Exit 1 when a row is invalid or something would not fit a quota. */
async function planAll(context: CliContext, options: PlanOptions): Promise<void> {
  const { io } = context;
  const settings = await context.settings();
  const rows = await (await context.store()).scan();
  const deps = await context.deps();
  const chains: Chain[] = [];
  const invalid: string[] = [];
  for (const [name, row] of [...rows].sort(([a], [b]) => a.localeCompare(b))) {
    const result = validateChain(row, {
      allowReservedAddresses: deps.settings.allowReservedAddresses ?? false,
    });
    if (result.ok) chains.push(result.chain);
    else invalid.push(name);
  }
  const statuses = new Map((await deps.status.list()).map((status) => [status.name, status]));
  const sharing = deps.sharedChecks && (await existingShared(deps.sharedChecks));
  const fleet = planFleet(chains, statuses, settings.ownerId, sharing);
  const quotas = await quotaLines(fleet, deps.route53);
  io.out(
    [
      `chains: ${chains.length} planned from ${settings.chainsTable}${invalid.length > 0 ? `; ${invalid.length} invalid, not counted: ${invalid.join(', ')}` : ''}`,
      ...quotas.lines,
      '',
      ...costLines(fleet, options.awsEndpoints ? 'aws' : 'non-aws'),
    ].join('\n'),
  );
  exitWith(invalid.length > 0 || quotas.over ? 1 : 0);
}
