import { describe, expect, it } from 'vitest';
import { answer } from '../../shared/core/route53-answer.ts';
import { applyChanges, describeAnswer } from '../../shared/core/answer-equivalence.ts';
import { formatTree } from '../../shared/core/describe-import.ts';
import { importChain, importManaged, type ImportOffer } from '../../shared/core/import-chain.ts';
import type { ListedRecord } from '../../shared/core/import-tree.ts';
import type { ResourceRecordSet } from '../../shared/core/route53-types.ts';
import {
  aliasATree,
  fiveLevelTree,
  otherNamesTree,
  seedConsoleTree,
  ZONE_ID,
} from '../fixtures/console-trees.ts';

const zone = (records: readonly ListedRecord[]) => ({ id: ZONE_ID, name: 'example.com.', records });
const run = (
  name: string,
  records: readonly ListedRecord[],
  extra: Partial<Parameters<typeof importChain>[0]> = {},
) => importChain({ zone: zone(records), name, owner: 'default', ...extra });

function offered(result: ReturnType<typeof importChain>): ImportOffer {
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result;
}

const ELB = 'dualstack.my-lb-123.us-east-1.elb.amazonaws.com';

// Each layout: the tiers it must flatten to (id, served value, health check) and, for every
// combination of health, the value a client must get both before and after the batch.
const layouts = [
  {
    title: "the seed's console layout",
    name: 'resilient-site.example.com',
    records: seedConsoleTree(['hc-1', 'hc-2']),
    checks: ['hc-1', 'hc-2'],
    tiers: [
      ['primary', 'CNAME primary.resilient-site.example.com.', 'hc-1'],
      ['secondary', 'CNAME secondary.resilient-site.example.com.', 'hc-2'],
      ['tertiary', 'CNAME tertiary.resilient-site.example.com.', undefined],
    ],
    changes: { DELETE: 4, CREATE: 4 },
  },
  {
    title: 'a layout with its own intermediate names',
    name: 'www.example.com',
    records: otherNamesTree(['hc-1', 'hc-2', 'hc-3']),
    checks: ['hc-1', 'hc-2', 'hc-3'],
    tiers: [
      ['eu', 'CNAME eu.origin.example.net.', 'hc-1'],
      ['us', 'CNAME us.origin.example.net.', 'hc-2'],
      ['ap', 'CNAME ap.origin.example.net.', 'hc-3'],
      ['static', 'CNAME static.origin.example.net.', undefined],
    ],
    changes: { DELETE: 6, CREATE: 6 },
  },
  {
    title: 'an A layout nested with aliases',
    name: 'shop.example.com',
    records: aliasATree(['hc-1', 'hc-2']),
    checks: ['hc-1', 'hc-2', `alias ${ELB}`],
    tiers: [
      ['eu-main', 'A 3.3.3.1', 'hc-1'],
      ['us-pool', 'A 3.3.3.2, 3.3.3.3', 'hc-2'],
      ['elb', `A alias ${ELB}.`, `alias ${ELB}`],
      ['static', 'A 3.3.3.5', undefined],
    ],
    changes: { DELETE: 6, CREATE: 6 },
  },
  {
    title: 'a five-level tree',
    name: 'app.example.com',
    records: fiveLevelTree(['h1', 'h2', 'h3', 'h4', 'h5']),
    checks: ['h1', 'h2', 'h3', 'h4', 'h5'],
    tiers: [1, 2, 3, 4, 5, 6].map((n) => [
      `t${n}`,
      `CNAME t${n}.origin.example.net.`,
      n < 6 ? `h${n}` : undefined,
    ]),
    changes: { DELETE: 10, CREATE: 10 },
  },
] as const;

describe('chains import: trees that flatten', () => {
  it.each(layouts)(
    '$title: the row, the batch, and the same answer for every health combination',
    (layout) => {
      const result = offered(run(layout.name, layout.records));
      expect(result.row.tiers.map((t) => t.id)).toEqual(layout.tiers.map(([id]) => id));
      expect(result.row.adopt).toHaveLength(layout.records.length);
      const count = (action: string) => result.changes.filter((c) => c.Action === action).length;
      expect({ DELETE: count('DELETE'), CREATE: count('CREATE') }).toEqual(layout.changes);
      expect(result.proof.combinations).toBe(2 ** layout.checks.length);

      // Independently of the proof: before and after serve the first healthy tier, or the last.
      const after = applyChanges(layout.records, result.changes);
      const queryType = result.row.recordType === 'CNAME' ? 'A' : result.row.recordType;
      for (let mask = 0; mask < 2 ** layout.checks.length; mask++) {
        const down = new Set<string>(layout.checks.filter((_, i) => (mask >> i) & 1));
        const healthy = new Set(layout.checks.filter((c) => !down.has(c)));
        const options = {
          aliasTargetHealthy: (t: { DNSName: string }) => !down.has(`alias ${t.DNSName.replace(/\.$/, '')}`),
        };
        const serving =
          layout.tiers.find(
            ([, , check], i) => i < layout.tiers.length - 1 && (check === undefined || !down.has(check)),
          ) ?? layout.tiers.at(-1)!;
        for (const records of [layout.records, after]) {
          expect(describeAnswer(answer(records, healthy, layout.name, queryType, options))).toBe(serving[1]);
        }
      }
    },
  );

  it('writes the found checks as { "id" } and the records as the adoption list, top first', () => {
    const result = offered(run('resilient-site.example.com', seedConsoleTree(['hc-1', 'hc-2'])));
    expect(result.row).toEqual({
      name: 'resilient-site.example.com',
      hostedZoneId: ZONE_ID,
      recordType: 'CNAME',
      ttl: 60,
      tiers: [
        { id: 'primary', target: 'primary.resilient-site.example.com', healthCheck: { id: 'hc-1' } },
        { id: 'secondary', target: 'secondary.resilient-site.example.com', healthCheck: { id: 'hc-2' } },
        { id: 'tertiary', target: 'tertiary.resilient-site.example.com' },
      ],
      adopt: [
        { name: 'resilient-site.example.com', type: 'CNAME', setIdentifier: 'Primary' },
        { name: 'resilient-site.example.com', type: 'CNAME', setIdentifier: 'Secondary' },
        { name: 'backup.resilient-site.example.com', type: 'CNAME', setIdentifier: 'Primary' },
        { name: 'backup.resilient-site.example.com', type: 'CNAME', setIdentifier: 'Secondary' },
      ],
    });
    // One batch: the hand-made records go first (top first), the chain's own come deepest first.
    expect(
      result.changes.map(
        (c) => `${c.Action} ${c.ResourceRecordSet.Name} ${c.ResourceRecordSet.SetIdentifier}`,
      ),
    ).toEqual([
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

  it('flattens an alias-nested primary branch when it answers like the tree', () => {
    const alias = (dnsName: string): ResourceRecordSet['AliasTarget'] => ({
      HostedZoneId: ZONE_ID,
      DNSName: `${dnsName}.`,
      EvaluateTargetHealth: true,
    });
    const records: ResourceRecordSet[] = [
      {
        Name: 'api.example.com.',
        Type: 'AAAA',
        SetIdentifier: 'A',
        Failover: 'PRIMARY',
        AliasTarget: alias('pool.example.com'),
      },
      {
        Name: 'api.example.com.',
        Type: 'AAAA',
        SetIdentifier: 'B',
        Failover: 'SECONDARY',
        TTL: 60,
        ResourceRecords: [{ Value: '2001:db8::3' }],
      },
      {
        Name: 'pool.example.com.',
        Type: 'AAAA',
        SetIdentifier: 'one',
        Failover: 'PRIMARY',
        TTL: 60,
        ResourceRecords: [{ Value: '2001:db8::1' }],
        HealthCheckId: 'hc-1',
      },
      {
        Name: 'pool.example.com.',
        Type: 'AAAA',
        SetIdentifier: 'two',
        Failover: 'SECONDARY',
        TTL: 60,
        ResourceRecords: [{ Value: '2001:db8::2' }],
        HealthCheckId: 'hc-2',
      },
    ];
    const result = offered(run('api.example.com', records));
    expect(result.row.tiers.map((t) => [t.id, t.target])).toEqual([
      ['one', '2001:db8::1'],
      ['two', '2001:db8::2'],
      ['b', '2001:db8::3'],
    ]);
  });
});

describe('chains import: refusals name the reason and the records', () => {
  const seed = () => seedConsoleTree(['hc-1', 'hc-2']);
  const reasons = (records: readonly ListedRecord[], extra = {}) => {
    const result = run('resilient-site.example.com', records, extra);
    if (result.ok) throw new Error('expected a refusal');
    return result.problems;
  };

  it.each([
    ['weighted', { Weight: 10, Failover: undefined }, 'uses weighted routing'],
    ['latency', { Region: 'eu-west-1', Failover: undefined }, 'uses latency routing'],
    ['geolocation', { GeoLocation: { CountryCode: 'DE' }, Failover: undefined }, 'uses geolocation routing'],
    ['multivalue', { MultiValueAnswer: true, Failover: undefined }, 'uses multivalue answer routing'],
  ])('a %s policy in the tree', (_policy, change, reason) => {
    const records = seed().map((r, i) => (i >= 2 ? { ...r, ...change } : r));
    expect(reasons(records)).toEqual([
      {
        reason: `${reason}, which a failover chain cannot represent`,
        records: [
          'backup.resilient-site.example.com. CNAME "Primary"',
          'backup.resilient-site.example.com. CNAME "Secondary"',
        ],
      },
    ]);
  });

  it('a pair that another record outside the tree also leads to', () => {
    const other: ResourceRecordSet = {
      Name: 'old-site.example.com.',
      Type: 'CNAME',
      TTL: 60,
      ResourceRecords: [{ Value: 'backup.resilient-site.example.com' }],
    };
    expect(reasons([...seed(), other])).toEqual([
      {
        reason:
          'backup.resilient-site.example.com. is shared: old-site.example.com. CNAME outside this tree also leads to it',
        records: [
          'old-site.example.com. CNAME',
          'backup.resilient-site.example.com. CNAME "Primary"',
          'backup.resilient-site.example.com. CNAME "Secondary"',
        ],
      },
    ]);
  });

  it('a target outside the zone that is itself a failover tree', () => {
    const records = seed().map((r, i) =>
      i === 3 ? { ...r, ResourceRecords: [{ Value: 'dr.example.org' }] } : r,
    );
    const otherZone = {
      id: 'Z999OTHER',
      name: 'example.org.',
      records: [
        {
          Name: 'dr.example.org.',
          Type: 'CNAME',
          SetIdentifier: 'p',
          Failover: 'PRIMARY' as const,
          TTL: 60,
          ResourceRecords: [{ Value: 'a.example.net' }],
          HealthCheckId: 'hc-9',
        },
        {
          Name: 'dr.example.org.',
          Type: 'CNAME',
          SetIdentifier: 's',
          Failover: 'SECONDARY' as const,
          TTL: 60,
          ResourceRecords: [{ Value: 'b.example.net' }],
        },
      ],
    };
    expect(reasons(records, { otherZones: [otherZone] })).toEqual([
      {
        reason:
          'dr.example.org. is a failover tree in another zone (example.org.); import it there, or point at one of its tiers',
        records: [
          'backup.resilient-site.example.com. CNAME "Secondary"',
          'dr.example.org. CNAME "p"',
          'dr.example.org. CNAME "s"',
        ],
      },
    ]);
  });

  it('records of another owner of this system', () => {
    const records = seed().map((r, i) =>
      i < 2 ? { ...r, SetIdentifier: `failover-chains/blue/0/${r.Failover!.toLowerCase()}` } : r,
    );
    expect(reasons(records)).toEqual([
      {
        reason: 'made by failover-chains (owner "blue"): it is already a chain, not a hand-made tree',
        records: [
          'resilient-site.example.com. CNAME "failover-chains/blue/0/primary"',
          'resilient-site.example.com. CNAME "failover-chains/blue/0/secondary"',
        ],
      },
    ]);
  });

  it('a tree no flat chain answers like, showing the health combination that differs', () => {
    // The top PRIMARY leads to a pair but carries its own check: a chain checks tiers, not levels.
    const records: ResourceRecordSet[] = [
      {
        Name: 'resilient-site.example.com.',
        Type: 'CNAME',
        SetIdentifier: 'Primary',
        Failover: 'PRIMARY',
        TTL: 60,
        ResourceRecords: [{ Value: 'pool.resilient-site.example.com' }],
        HealthCheckId: 'hc-0',
      },
      {
        Name: 'resilient-site.example.com.',
        Type: 'CNAME',
        SetIdentifier: 'Secondary',
        Failover: 'SECONDARY',
        TTL: 60,
        ResourceRecords: [{ Value: 'tertiary.example.net' }],
      },
      {
        Name: 'pool.resilient-site.example.com.',
        Type: 'CNAME',
        SetIdentifier: 'Primary',
        Failover: 'PRIMARY',
        TTL: 60,
        ResourceRecords: [{ Value: 'primary.example.net' }],
        HealthCheckId: 'hc-1',
      },
      {
        Name: 'pool.resilient-site.example.com.',
        Type: 'CNAME',
        SetIdentifier: 'Secondary',
        Failover: 'SECONDARY',
        TTL: 60,
        ResourceRecords: [{ Value: 'secondary.example.net' }],
        HealthCheckId: 'hc-2',
      },
    ];
    const result = run('resilient-site.example.com', records);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems[0]!.reason).toBe(
      'no chain answers like this tree: with hc-0 unhealthy, Route 53 answers CNAME tertiary.example.net. today, and the flat chain would answer CNAME primary.example.net. (resilient-site.example.com PRIMARY has health check hc-0 on a record that leads to another pair; a chain checks tiers, not levels)',
    );
    expect(formatTree(result.tree!)).toBe(
      [
        'resilient-site.example.com. CNAME',
        '├── PRIMARY "Primary" -> pool.resilient-site.example.com  health check hc-0',
        '│   ├── PRIMARY "Primary" -> primary.example.net  health check hc-1',
        '│   └── SECONDARY "Secondary" -> secondary.example.net  health check hc-2',
        '└── SECONDARY "Secondary" -> tertiary.example.net',
      ].join('\n'),
    );
  });

  it('a last tier whose alias evaluates target health (a chain serves its last tier blind)', () => {
    const records = aliasATree(['hc-1', 'hc-2'])
      .slice(0, 2)
      .concat([
        {
          Name: 'us.shop.example.com.',
          Type: 'A',
          SetIdentifier: 'us',
          Failover: 'PRIMARY',
          TTL: 30,
          ResourceRecords: [{ Value: '3.3.3.2' }],
          HealthCheckId: 'hc-2',
        },
        {
          Name: 'us.shop.example.com.',
          Type: 'A',
          SetIdentifier: 'lb',
          Failover: 'SECONDARY',
          AliasTarget: { HostedZoneId: 'Z35SXDOTRQ7X7K', DNSName: `${ELB}.`, EvaluateTargetHealth: true },
        },
      ]);
    const result = run('shop.example.com', records);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.counterexample).toEqual({
      unhealthy: ['hc-1', 'hc-2', `alias ${ELB}`],
      before: 'A 3.3.3.1',
      after: `A alias ${ELB}.`,
    });
  });

  it('a name without failover records, and a tree deeper than eight tiers', () => {
    expect(
      reasons([
        {
          Name: 'resilient-site.example.com.',
          Type: 'CNAME',
          TTL: 60,
          ResourceRecords: [{ Value: 'x.example.net' }],
        },
      ]),
    ).toEqual([
      {
        reason: 'resilient-site.example.com. holds no failover records in zone example.com.',
        records: ['resilient-site.example.com. CNAME'],
      },
    ]);
    const deep = fiveLevelTree(['1', '2', '3', '4', '5']).map((r) => r);
    const more = fiveLevelTree(['6', '7', '8', '9', '10']).map((r) => ({
      ...r,
      Name: r.Name.replace('app.example.com', 'more.example.com'),
      ResourceRecords: r.ResourceRecords!.map((v) => ({
        Value: v.Value.replace('app.example.com', 'more.example.com'),
      })),
    }));
    deep[9] = { ...deep[9]!, ResourceRecords: [{ Value: 'more.example.com' }] };
    const result = importChain({ zone: zone([...deep, ...more]), name: 'app.example.com', owner: 'default' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => p.reason)).toContain('the tree is deeper than a chain of 8 tiers');
  });

  it('a foreign record at a name the chain needs that is not part of the tree', () => {
    // Another type beside an A chain's records is left alone; anything beside a CNAME is not.
    const stray: ResourceRecordSet = {
      Name: 'backup.shop.example.com.',
      Type: 'TXT',
      TTL: 60,
      ResourceRecords: [{ Value: '"x"' }],
    };
    expect(run('shop.example.com', [...aliasATree(['1', '2']), stray]).ok).toBe(true);
    const strayCname: ResourceRecordSet = {
      Name: 'backup.www.example.com.',
      Type: 'CNAME',
      TTL: 60,
      ResourceRecords: [{ Value: 'x.example.net' }],
    };
    const result = run('www.example.com', [...otherNamesTree(['1', '2', '3']), strayCname]);
    expect(result.ok ? [] : result.problems).toEqual([
      {
        reason:
          'the chain needs backup.www.example.com. CNAME, held by a record failover-chains did not make; it is left untouched; it is not part of this tree',
        records: ['backup.www.example.com. CNAME'],
      },
    ]);
  });
});

describe('importManaged: the row --manage-health-checks writes is proven on its own plan', () => {
  const input = {
    zone: zone(seedConsoleTree(['hc-1', 'hc-2'])),
    name: 'resilient-site.example.com',
    owner: 'default',
  };
  const imported = offered(importChain(input));
  const settings = (ip: string) => ({ type: 'HTTP', ip, port: 80, path: '/health' });
  const managed = {
    ...imported.row,
    tiers: imported.row.tiers.map((tier, i) =>
      i < 2 ? { ...tier, healthCheck: settings(i === 0 ? '1.1.1.1' : '2.2.2.2') } : tier,
    ),
  };

  it('offers it, each new check standing for the check it copies', () => {
    const offer = offered(importManaged(input, imported, managed, { primary: 'hc-1', secondary: 'hc-2' }));
    expect(offer.row).toBe(managed);
    expect(offer.proof).toEqual({ combinations: 4, variables: ['hc-1', 'hc-2'] });
  });

  it("refuses it when a new check would stand for another tier's check", () => {
    const result = importManaged(input, imported, managed, { primary: 'hc-2', secondary: 'hc-1' });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problems[0]!.reason).toMatch(
      /^no chain answers like this tree: with hc-\d unhealthy/,
    );
  });
});
