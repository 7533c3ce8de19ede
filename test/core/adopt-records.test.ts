import { describe, expect, it } from 'vitest';
import { diffContext, diffRecords } from '../../shared/core/diff-records.ts';
import { planChain } from '../../shared/core/plan-records.ts';
import { validateChain } from '../../shared/core/validate-chain.ts';
import { formatValidationError } from '../../shared/core/validation-error.ts';
import { chainOf, seedRow } from '../fixtures/chains.ts';
import { seedConsoleTree } from '../fixtures/console-trees.ts';

const adopt = [
  { name: 'resilient-site.example.com', type: 'CNAME', setIdentifier: 'Primary' },
  { name: 'resilient-site.example.com', type: 'CNAME', setIdentifier: 'Secondary' },
  { name: 'backup.resilient-site.example.com', type: 'CNAME', setIdentifier: 'Primary' },
  { name: 'backup.resilient-site.example.com', type: 'CNAME', setIdentifier: 'Secondary' },
];
const adoptingRow = () => ({
  ...seedRow(),
  tiers: seedRow().tiers.map((tier, i) => (i < 2 ? { ...tier, healthCheck: { id: `hc-${i + 1}` } } : tier)),
  adopt,
});
const summary = (
  changes: { Action: string; ResourceRecordSet: { Name: string; SetIdentifier?: string } }[],
) => changes.map((c) => `${c.Action} ${c.ResourceRecordSet.Name} ${c.ResourceRecordSet.SetIdentifier ?? ''}`);

describe('adopt: the records an imported row takes over', () => {
  it('validates: names normalised, each listed once, never a failover-chains record', () => {
    const ok = validateChain({
      ...adoptingRow(),
      adopt: [{ ...adopt[0], name: 'Resilient-Site.Example.com.' }],
    });
    expect(ok.ok && ok.chain.adopt).toEqual([adopt[0]]);
    const bad = validateChain({
      ...adoptingRow(),
      adopt: [
        adopt[0],
        adopt[0],
        { name: 'x.example.com', type: 'A', setIdentifier: 'failover-chains/default/0/primary' },
        { name: 'x', type: 'MX' },
      ],
    });
    expect(bad.ok ? [] : bad.errors.map(formatValidationError)).toEqual([
      'adopt[3].type: must be one of CNAME, A, AAAA (got "MX")',
    ]);
    const worse = validateChain({
      ...adoptingRow(),
      adopt: [
        adopt[0],
        adopt[0],
        { name: 'x.example.com', type: 'A', setIdentifier: 'failover-chains/default/0/primary' },
      ],
    });
    expect(worse.ok ? [] : worse.errors.map(formatValidationError)).toEqual([
      'adopt[1]: repeats adopt[0]; list each record once',
      'adopt[2].setIdentifier: names a record failover-chains made (got "failover-chains/default/0/primary"); only hand-made records can be adopted',
    ]);
  });

  it('replaces adopted records in one change list instead of reporting a conflict', () => {
    const chain = chainOf(adoptingRow());
    const desired = planChain(chain, { owner: 'default' }).records;
    const observed = seedConsoleTree(['hc-1', 'hc-2']);
    expect(
      diffRecords(desired, observed, { owner: 'default', chainName: chain.name }).conflicts,
    ).toHaveLength(4);
    const diff = diffRecords(desired, observed, diffContext(chain, 'default'));
    expect(diff.conflicts).toEqual([]);
    expect(summary(diff.changes)).toEqual([
      'DELETE resilient-site.example.com. Primary',
      'DELETE resilient-site.example.com. Secondary',
      'DELETE backup.resilient-site.example.com. Primary',
      'DELETE backup.resilient-site.example.com. Secondary',
      'CREATE backup.resilient-site.example.com. failover-chains/default/1/primary',
      'CREATE backup.resilient-site.example.com. failover-chains/default/1/secondary',
      'CREATE resilient-site.example.com. failover-chains/default/0/primary',
      'CREATE resilient-site.example.com. failover-chains/default/0/secondary',
    ]);
  });

  it('is spent once the chain has records of its own: a hand-made record there is a CONFLICT again', () => {
    const chain = chainOf(adoptingRow());
    const desired = planChain(chain, { owner: 'default' }).records;
    const recreated = seedConsoleTree(['hc-1', 'hc-2']).slice(0, 1);
    const diff = diffRecords(desired, [...desired, ...recreated], diffContext(chain, 'default'));
    expect(diff.changes).toEqual([]);
    expect(diff.conflicts).toEqual([
      {
        name: 'resilient-site.example.com.',
        type: 'CNAME',
        setIdentifier: 'Primary',
        reason: 'held by a record failover-chains did not make; it is left untouched',
      },
    ]);
  });

  it('never adopts a record that is not on the list', () => {
    const chain = chainOf({ ...adoptingRow(), adopt: adopt.slice(0, 3) });
    const diff = diffRecords(
      planChain(chain, { owner: 'default' }).records,
      seedConsoleTree(['hc-1', 'hc-2']),
      diffContext(chain, 'default'),
    );
    expect(diff.changes).toEqual([]);
    expect(diff.conflicts.map((c) => `${c.name} ${c.setIdentifier}`)).toEqual([
      'backup.resilient-site.example.com. Secondary',
    ]);
  });
});
