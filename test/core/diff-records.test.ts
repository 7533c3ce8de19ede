import { describe, expect, it } from 'vitest';
import { diffRecords } from '../../shared/core/diff-records.ts';
import { planChain } from '../../shared/core/plan-records.ts';
import type { ResourceRecordSet } from '../../shared/core/route53-types.ts';
import { chainOf, fiveTierARow, seedRow } from '../fixtures/chains.ts';

const owner = 'default';
const context = { owner, chainName: 'resilient-site.example.com' };
const ids = { primary: 'hc-1', secondary: 'hc-2', tertiary: 'hc-3' };
const seedRecords = () => planChain(chainOf(seedRow()), { owner, healthCheckIds: ids }).records;
const summary = (changes: { Action: string; ResourceRecordSet: ResourceRecordSet }[]) =>
  changes.map(
    (c) =>
      `${c.Action} ${c.ResourceRecordSet.Name} ${c.ResourceRecordSet.SetIdentifier ?? c.ResourceRecordSet.Type}`,
  );

describe('diffRecords', () => {
  it('creates every record of a new chain, deepest level first', () => {
    const diff = diffRecords(seedRecords(), [], context);
    expect(summary(diff.changes)).toEqual([
      'CREATE backup.resilient-site.example.com. failover-chains/default/1/primary',
      'CREATE backup.resilient-site.example.com. failover-chains/default/1/secondary',
      'CREATE resilient-site.example.com. failover-chains/default/0/primary',
      'CREATE resilient-site.example.com. failover-chains/default/0/secondary',
    ]);
  });

  it('changes nothing when Route 53 already holds the plan, whatever its case and value order', () => {
    const observed = seedRecords().map((r) => ({ ...r, Name: r.Name.toUpperCase() }));
    expect(diffRecords(seedRecords(), observed, context)).toEqual({
      changes: [],
      conflicts: [],
      skipped: [],
    });
  });

  it('adds a fourth tier with one UPSERT and two CREATEs', () => {
    const row = seedRow();
    row.tiers[2]!.healthCheck = { type: 'HTTP', ip: '3.3.3.3', port: 8888 };
    row.tiers.push({ id: 'quaternary', target: 'quaternary.resilient-site.example.com' });
    const desired = planChain(chainOf(row), { owner, healthCheckIds: ids }).records;
    expect(summary(diffRecords(desired, seedRecords(), context).changes)).toEqual([
      'CREATE backup2.resilient-site.example.com. failover-chains/default/2/primary',
      'CREATE backup2.resilient-site.example.com. failover-chains/default/2/secondary',
      'UPSERT backup.resilient-site.example.com. failover-chains/default/1/secondary',
    ]);
  });

  it('deletes records the chain no longer needs', () => {
    const row = seedRow();
    row.tiers = row.tiers.slice(0, 2);
    const desired = planChain(chainOf(row), { owner, healthCheckIds: ids }).records;
    expect(summary(diffRecords(desired, seedRecords(), context).changes)).toEqual([
      'DELETE backup.resilient-site.example.com. failover-chains/default/1/primary',
      'DELETE backup.resilient-site.example.com. failover-chains/default/1/secondary',
      'UPSERT resilient-site.example.com. failover-chains/default/0/secondary',
    ]);
  });

  it('replaces a record whose failover role was changed by hand with DELETE then CREATE', () => {
    const observed = seedRecords();
    const handEdited = { ...observed[1]!, Failover: 'PRIMARY' as const };
    observed[1] = handEdited;
    const diff = diffRecords(seedRecords(), observed, context);
    expect(diff.changes.map((c) => [c.Action, c.ResourceRecordSet.Failover])).toEqual([
      ['DELETE', 'PRIMARY'],
      ['CREATE', 'SECONDARY'],
    ]);
    expect(diff.changes[0]!.ResourceRecordSet).toBe(handEdited);
  });

  it('reports a record it does not own at a chain name as a conflict and changes nothing', () => {
    const foreign: ResourceRecordSet = {
      Name: 'resilient-site.example.com.',
      Type: 'CNAME',
      TTL: 300,
      ResourceRecords: [{ Value: 'old.example.net.' }],
    };
    const diff = diffRecords(seedRecords(), [foreign], context);
    expect(diff.changes).toEqual([]);
    expect(diff.conflicts).toEqual([
      {
        name: 'resilient-site.example.com.',
        type: 'CNAME',
        reason: 'held by a record failover-chains did not make; it is left untouched',
      },
    ]);
  });

  it("treats another deployment's records as a conflict, never deleting them", () => {
    const theirs = planChain(chainOf(seedRow()), { owner: 'other', healthCheckIds: ids }).records;
    const diff = diffRecords(seedRecords(), theirs, context);
    expect(diff.changes).toEqual([]);
    expect(new Set(diff.conflicts.map((c) => c.reason))).toEqual(
      new Set(['held by failover-chains deployment "other"']),
    );
  });

  it('sees a chain nested inside another chain of the same deployment as a conflict', () => {
    const outer = planChain(chainOf(seedRow()), { owner, healthCheckIds: ids }).records;
    const inner = { ...seedRow(), name: 'backup.resilient-site.example.com' };
    const desired = planChain(chainOf(inner), { owner, healthCheckIds: ids }).records;
    const diff = diffRecords(desired, outer, { owner, chainName: 'backup.resilient-site.example.com' });
    expect(diff.changes).toEqual([]);
    expect(diff.conflicts[0]?.reason).toBe('held by another chain of this deployment');
  });

  it('leaves other record types at a chain name alone and says so', () => {
    const txt: ResourceRecordSet = {
      Name: 'shop.example.com.',
      Type: 'TXT',
      TTL: 300,
      ResourceRecords: [{ Value: '"v=1"' }],
    };
    const desired = planChain(chainOf(fiveTierARow()), { owner }).records;
    const diff = diffRecords(desired, [txt], { owner, chainName: 'shop.example.com' });
    expect(diff.conflicts).toEqual([]);
    expect(diff.skipped).toEqual([
      {
        name: 'shop.example.com.',
        type: 'TXT',
        reason: 'another record type at a chain name; left as it is',
      },
    ]);
    expect(diff.changes).toHaveLength(8);
  });

  it('replaces CNAME records with A records when the chain changes type, in one list', () => {
    const asA = { ...fiveTierARow(), name: 'resilient-site.example.com' };
    asA.tiers = asA.tiers.slice(0, 3);
    const desired = planChain(chainOf(asA), { owner }).records;
    const changes = summary(diffRecords(desired, seedRecords(), context).changes);
    expect(changes.filter((c) => c.startsWith('DELETE'))).toHaveLength(4);
    expect(changes.filter((c) => c.startsWith('CREATE'))).toHaveLength(4);
    expect(changes.findIndex((c) => c.startsWith('CREATE'))).toBe(4);
  });
});
