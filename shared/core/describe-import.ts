import { toFqdn } from './dns-name.ts';
import type { TreeBranch, TreePair } from './import-tree.ts';
import type { RecordChange, ResourceRecordSet } from './route53-types.ts';

// Text the import shows a person: the tree it found and the batch the first reconcile makes.

/** The tree as an indented drawing, one record a line. */
export function formatTree(tree: TreePair): string {
  const lines = [`${tree.name} ${tree.type}`];
  const draw = (pair: TreePair, indent: string) => {
    const branches: [TreeBranch, boolean][] = [
      [pair.primary, false],
      [pair.secondary, true],
    ];
    for (const [branch, last] of branches) {
      lines.push(`${indent}${last ? '└── ' : '├── '}${describeRecord(branch.record)}`);
      if (branch.next) draw(branch.next, `${indent}${last ? '    ' : '│   '}`);
    }
  };
  draw(tree, '');
  return lines.join('\n');
}

/** One record: role, set identifier, where it sends traffic, its health check. */
export function describeRecord(record: ResourceRecordSet): string {
  const id = record.SetIdentifier === undefined ? '' : ` "${record.SetIdentifier}"`;
  const value = record.AliasTarget
    ? `ALIAS ${toFqdn(record.AliasTarget.DNSName)}${record.AliasTarget.EvaluateTargetHealth ? ' (evaluate target health)' : ''}`
    : (record.ResourceRecords ?? []).map((r) => r.Value).join(', ');
  const check = record.HealthCheckId === undefined ? '' : `  health check ${record.HealthCheckId}`;
  return `${record.Failover ?? 'SIMPLE'}${id} -> ${value}${check}`;
}

/** The change batch, one change a line. */
export function formatChanges(changes: readonly RecordChange[]): string[] {
  return changes.map(
    (change) =>
      `${change.Action.padEnd(6)} ${toFqdn(change.ResourceRecordSet.Name)} ${change.ResourceRecordSet.Type} ${describeRecord(change.ResourceRecordSet)}`,
  );
}
