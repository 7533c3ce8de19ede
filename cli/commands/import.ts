import type { Command } from 'commander';
import { stringify as stringifyYaml } from 'yaml';
import { formatChanges, formatTree } from '../../shared/core/describe-import.ts';
import { diffContext, diffRecords } from '../../shared/core/diff-records.ts';
import { normalizeName } from '../../shared/core/dns-name.ts';
import type { ImportedRow } from '../../shared/core/flatten-tree.ts';
import {
  importChain,
  importManaged,
  type ImportOffer,
  type ImportRefusal,
} from '../../shared/core/import-chain.ts';
import { healthCheckRowOf } from '../../shared/core/import-health-checks.ts';
import type { ZoneRecords } from '../../shared/core/import-tree.ts';
import { planChain } from '../../shared/core/plan-records.ts';
import { normalizeZoneId, validateChain } from '../../shared/core/validate-chain.ts';
import { formatValidationError } from '../../shared/core/validation-error.ts';
import type { Route53Port } from '../../shared/ports.ts';
import type { CliContext } from '../cli-context.ts';
import { exitWith } from '../exit-code.ts';
import { UsageError } from '../usage-error.ts';

interface ImportOptions {
  zone: string;
  type?: string;
  otherZones?: string;
  manageHealthChecks?: boolean;
  dryRun?: boolean;
  write?: boolean;
  yaml?: boolean;
}

/** `chains import NAME --zone Z`: turn a failover tree made by hand into a chain row, with no DNS change. */
export function registerImport(program: Command, context: CliContext): void {
  program
    .command('import')
    .description('read a failover tree made by hand and print (or write) the chain row that takes it over')
    .argument('<name>', 'the DNS name the tree serves')
    .requiredOption('--zone <id>', 'the hosted zone holding the tree')
    .option('--type <type>', 'CNAME, A or AAAA, when the name holds failover trees of two types')
    .option('--other-zones <ids>', 'comma-separated zones to look into for CNAME targets outside --zone')
    .option('--manage-health-checks', "copy the checks' settings into the row: the system makes its own")
    .option('--dry-run', 'print the row and what the first reconcile will do (the default)')
    .option('--write', 'validate the row and write it to the Chains table')
    .option('--yaml', 'print the row as YAML (chains apply reads it back)')
    .action(async (rawName: string, options: ImportOptions) => {
      if (options.write && options.dryRun) throw new UsageError('--dry-run and --write exclude each other');
      const { io } = context;
      const deps = await context.deps();
      const name = normalizeName(rawName);
      const zone = await readZone(deps.route53, options.zone);
      const otherZones = await Promise.all(
        (options.otherZones ?? '')
          .split(',')
          .filter(Boolean)
          .map((id) => readZone(deps.route53, id)),
      );
      const input = {
        zone,
        name,
        ...(options.type ? { type: options.type.toUpperCase() } : {}),
        otherZones,
        owner: deps.settings.owner,
        allowReservedAddresses: deps.settings.allowReservedAddresses ?? false,
      };
      const imported = importChain(input);
      if (!imported.ok) {
        io.err(describeRefusal(name, imported));
        exitWith(1);
      }
      let result = imported;
      if (options.manageHealthChecks) {
        // The row written is proven, not the one it came from: each new check stands for the one it copies.
        const managed = await managedRow(imported.row, deps.route53, (text) => {
          io.err(text);
        });
        const offer = importManaged(input, imported, managed.row, managed.copies);
        if (!offer.ok) {
          io.err(describeRefusal(name, offer));
          exitWith(1);
        }
        result = offer;
      }
      const row = result.row;
      const validated = validateChain(row, {
        allowReservedAddresses: deps.settings.allowReservedAddresses ?? false,
      });
      if (!validated.ok) {
        for (const error of validated.errors) io.err(formatValidationError(error));
        io.err('not imported: the row above would be rejected');
        exitWith(1);
      }
      const chain = validated.chain;
      const planned = planChain(chain, { owner: deps.settings.owner }).records;
      const { changes } = diffRecords(planned, zone.records, diffContext(chain, deps.settings.owner));
      io.out(options.yaml ? stringifyYaml(row) : JSON.stringify(row, null, 2));
      io.err(describeOffer(result, changes.length === 0 ? [] : formatChanges(changes), row !== imported.row));

      if (!options.write) return;
      if ((await deps.chains.get(name)) !== undefined) {
        io.err(`not written: ${name} already has a row in ${(await context.settings()).chainsTable}`);
        exitWith(1);
      }
      await (await context.store()).put({ ...row });
      io.err(
        `wrote ${name} to ${(await context.settings()).chainsTable}: its first reconcile replaces ${row.adopt.length} hand-made records in one change batch`,
      );
    });
}

async function readZone(route53: Route53Port, rawId: string): Promise<ZoneRecords> {
  const id = normalizeZoneId(rawId);
  const zone = await route53.getZone(id);
  if (!zone) throw new UsageError(`--zone ${rawId}: no such hosted zone`);
  return { id, name: zone.name, records: await route53.listZone(id) };
}

/**
 * The row with each `{ "id" }` check replaced by its settings, so the system makes its own, and
 * which check each such tier's new one copies (tier id to check id).
 */
async function managedRow(
  row: ImportedRow,
  route53: Route53Port,
  warn: (text: string) => void,
): Promise<{ row: ImportedRow; copies: Record<string, string> }> {
  const tiers = [];
  const copies: Record<string, string> = {};
  for (const tier of row.tiers) {
    const id = tier.healthCheck && 'id' in tier.healthCheck ? String(tier.healthCheck.id) : undefined;
    const observed = id === undefined ? undefined : await route53.getHealthCheck(id);
    const managed = observed ? healthCheckRowOf(observed.config) : undefined;
    if (managed?.ok) {
      tiers.push({ ...tier, healthCheck: managed.row });
      copies[tier.id] = id!;
    } else {
      if (id !== undefined)
        warn(
          `tier ${tier.id}: health check ${id} stays as { "id" }: ${managed?.reason ?? 'it does not exist'}`,
        );
      tiers.push(tier);
    }
  }
  return { row: { ...row, tiers }, copies };
}

function describeRefusal(name: string, refusal: ImportRefusal): string {
  const lines = [`cannot import ${name}:`];
  for (const problem of refusal.problems) {
    lines.push(`  - ${problem.reason}`);
    for (const key of problem.records) lines.push(`      ${key}`);
  }
  if (refusal.tree) lines.push('', 'the tree found:', formatTree(refusal.tree));
  return lines.join('\n');
}

function describeOffer(offer: ImportOffer, changes: string[], managed: boolean): string {
  const checks = offer.proof.variables.length;
  return [
    'the tree found:',
    formatTree(offer.tree),
    ...offer.notes.map((note) => `note: ${note}`),
    '',
    changes.length === 0
      ? 'the first reconcile changes no record'
      : `the first reconcile, in one change batch (${changes.length} changes):`,
    ...changes.map((line) => `  ${line}`),
    ...(managed
      ? ['  (health checks tier:<id> are created first, with the settings above; yours are left as they are)']
      : []),
    `Route 53 answers the same before and after for all ${offer.proof.combinations} combinations of ${checks} health ${checks === 1 ? 'variable' : 'variables'} (${offer.proof.variables.join(', ')})`,
    ...(managed
      ? [
          "  (each new check counted as the one it copies: it probes the same endpoint with the same settings, and a failing tier's records keep yours until its new check has a verdict, as Route 53 counts a new check healthy until it has data)",
        ]
      : []),
  ].join('\n');
}
