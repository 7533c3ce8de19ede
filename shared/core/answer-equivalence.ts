import { toFqdn } from './dns-name.ts';
import type { RecordChange, ResourceRecordSet } from './route53-types.ts';
import { recordKey } from './diff-records.ts';
import { answer, type Answer } from './route53-answer.ts';

// Route 53 applies a change batch atomically, so proving a batch invisible to clients means
// proving the records before it and after it answer alike for every combination of health:
// each health check healthy or not, each AWS alias target that evaluates its health up or down.

/** A combination of health under which the two record sets answer differently. */
export interface Counterexample {
  unhealthy: string[];
  before: string;
  after: string;
}

/** How many combinations were compared, and the first that differed, if any. */
export interface EquivalenceResult {
  combinations: number;
  variables: string[];
  counterexample?: Counterexample;
}

/** More than this many health variables would take too long to sweep. */
export const MAX_HEALTH_VARIABLES = 16;

/** The zone's records after a change batch, as Route 53 would hold them. */
export function applyChanges(
  records: readonly ResourceRecordSet[],
  changes: readonly RecordChange[],
): ResourceRecordSet[] {
  const byKey = new Map(records.map((record) => [recordKey(record), record]));
  for (const change of changes) {
    const key = recordKey(change.ResourceRecordSet);
    if (change.Action === 'DELETE') byKey.delete(key);
    else byKey.set(key, change.ResourceRecordSet);
  }
  return [...byKey.values()];
}

/** What a client is told, in a form two record sets can be compared by. */
export function describeAnswer(result: Answer): string {
  if (result.rcode === 'NXDOMAIN') return 'NXDOMAIN';
  if (result.externalAlias !== undefined) return `${result.type} alias ${result.externalAlias}`;
  if (result.values.length === 0) return `${result.type} (no data)`;
  const values = result.type === 'CNAME' ? result.values.map(toFqdn) : result.values;
  return `${result.type} ${[...values].sort().join(', ')}`;
}

/**
 * Compare Route 53's answers for `name` over two record sets for every combination of the
 * health variables the given records carry (their health checks and the AWS alias targets
 * that evaluate target health), named in the order the records carry them.
 */
export function compareAnswers(
  before: readonly ResourceRecordSet[],
  after: readonly ResourceRecordSet[],
  varying: readonly ResourceRecordSet[],
  name: string,
  queryType: string,
): EquivalenceResult {
  const checks = [...new Set(varying.flatMap((r) => (r.HealthCheckId ? [r.HealthCheckId] : [])))];
  // Aliases to records of the zone are evaluated by the model itself; only AWS targets vary.
  const inZone = new Set([...before, ...after].map((r) => aliasVariable(r.Name)));
  const aliases = [
    ...new Set(
      varying.flatMap((r) =>
        r.AliasTarget?.EvaluateTargetHealth ? [aliasVariable(r.AliasTarget.DNSName)] : [],
      ),
    ),
  ].filter((variable) => !inZone.has(variable));
  const variables = [...checks, ...aliases];
  if (variables.length > MAX_HEALTH_VARIABLES) {
    throw new Error(`compareAnswers: ${variables.length} health variables; at most ${MAX_HEALTH_VARIABLES}`);
  }
  const combinations = 2 ** variables.length;
  for (let mask = 0; mask < combinations; mask++) {
    const down = new Set(variables.filter((_, i) => (mask >> i) & 1));
    const healthy = new Set(checks.filter((id) => !down.has(id)));
    const options = { aliasTargetHealthy: (t: { DNSName: string }) => !down.has(aliasVariable(t.DNSName)) };
    const was = describeAnswer(answer(before, healthy, name, queryType, options));
    const will = describeAnswer(answer(after, healthy, name, queryType, options));
    if (was !== will) {
      return { combinations, variables, counterexample: { unhealthy: [...down], before: was, after: will } };
    }
  }
  return { combinations, variables };
}

function aliasVariable(dnsName: string): string {
  return `alias ${dnsName.toLowerCase().replace(/\.$/, '')}`;
}
