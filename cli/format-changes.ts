import type { RecordDiff } from '../shared/core/diff-records.ts';
import type { RecordChange } from '../shared/core/route53-types.ts';

/** A record change as one line: action, name, type, role, value and health check. */
export function formatChange(change: RecordChange): string {
  const record = change.ResourceRecordSet;
  const value = record.AliasTarget
    ? `alias ${record.AliasTarget.DNSName}`
    : (record.ResourceRecords ?? []).map((r) => r.Value).join(',');
  const check = record.HealthCheckId ? `  [health check ${record.HealthCheckId}]` : '';
  return `${change.Action.padEnd(6)}  ${record.Name} ${record.Type} ${record.Failover ?? 'SIMPLE'} -> ${value}${check}`;
}

/** A diff for people: the changes in the order they would be applied, then conflicts and skipped records. */
export function formatDiff(diff: RecordDiff): string[] {
  const lines = diff.changes.map(formatChange);
  for (const conflict of diff.conflicts)
    lines.push(`CONFLICT  ${conflict.name} ${conflict.type}: ${conflict.reason}`);
  for (const skipped of diff.skipped)
    lines.push(`skipped   ${skipped.name} ${skipped.type}: ${skipped.reason}`);
  if (lines.length === 0) lines.push('no record changes');
  return lines;
}
