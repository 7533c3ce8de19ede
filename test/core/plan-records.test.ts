import { describe, expect, it } from 'vitest';
import { planChain, tierOfRecord } from '../../shared/core/plan-records.ts';
import { chainOf, fiveTierARow, seedRow } from '../fixtures/chains.ts';

const owner = 'default';

describe('planChain', () => {
  it("makes exactly the seed's four records for a three-tier CNAME chain", () => {
    const plan = planChain(chainOf(seedRow()), { owner });
    expect(plan.records).toEqual([
      {
        Name: 'resilient-site.example.com.',
        Type: 'CNAME',
        SetIdentifier: 'failover-chains/default/0/primary',
        Failover: 'PRIMARY',
        TTL: 60,
        ResourceRecords: [{ Value: 'primary.resilient-site.example.com.' }],
        HealthCheckId: 'tier:primary',
      },
      {
        Name: 'resilient-site.example.com.',
        Type: 'CNAME',
        SetIdentifier: 'failover-chains/default/0/secondary',
        Failover: 'SECONDARY',
        TTL: 60,
        ResourceRecords: [{ Value: 'backup.resilient-site.example.com.' }],
      },
      {
        Name: 'backup.resilient-site.example.com.',
        Type: 'CNAME',
        SetIdentifier: 'failover-chains/default/1/primary',
        Failover: 'PRIMARY',
        TTL: 60,
        ResourceRecords: [{ Value: 'secondary.resilient-site.example.com.' }],
        HealthCheckId: 'tier:secondary',
      },
      {
        Name: 'backup.resilient-site.example.com.',
        Type: 'CNAME',
        SetIdentifier: 'failover-chains/default/1/secondary',
        Failover: 'SECONDARY',
        TTL: 60,
        ResourceRecords: [{ Value: 'tertiary.resilient-site.example.com.' }],
      },
    ]);
    expect(plan.healthChecks.map((check) => [check.tierId, check.attached])).toEqual([
      ['primary', true],
      ['secondary', true],
    ]);
  });

  it('makes one pair for two tiers and uses real health check ids when given', () => {
    const row = seedRow();
    row.tiers = row.tiers.slice(0, 2);
    const plan = planChain(chainOf(row), { owner, healthCheckIds: { primary: 'hc-1' } });
    expect(
      plan.records.map((r) => [r.Name, r.Failover, r.ResourceRecords?.[0]?.Value, r.HealthCheckId]),
    ).toEqual([
      ['resilient-site.example.com.', 'PRIMARY', 'primary.resilient-site.example.com.', 'hc-1'],
      ['resilient-site.example.com.', 'SECONDARY', 'secondary.resilient-site.example.com.', undefined],
    ]);
    // The last tier's check is watched, never attached.
    expect(plan.healthChecks.find((check) => check.tierId === 'secondary')?.attached).toBe(false);
  });

  it('nests a five-tier A chain with aliases to backup, backup2 and backup3 in the same zone', () => {
    const chain = chainOf(fiveTierARow());
    const plan = planChain(chain, {
      owner: 'team-a',
      healthCheckIds: { eu: 'h-eu', us: 'h-us', ap: 'h-ap' },
    });
    const rows = plan.records.map((r) => [
      r.Name,
      r.SetIdentifier,
      r.AliasTarget
        ? `alias ${r.AliasTarget.DNSName} eth=${r.AliasTarget.EvaluateTargetHealth}`
        : r.ResourceRecords!.map((v) => v.Value).join(','),
      r.HealthCheckId ?? '-',
    ]);
    expect(rows).toEqual([
      ['shop.example.com.', 'failover-chains/team-a/0/primary', '3.3.3.1', 'h-eu'],
      [
        'shop.example.com.',
        'failover-chains/team-a/0/secondary',
        'alias backup.shop.example.com. eth=true',
        '-',
      ],
      ['backup.shop.example.com.', 'failover-chains/team-a/1/primary', '3.3.3.2,3.3.3.3', 'h-us'],
      [
        'backup.shop.example.com.',
        'failover-chains/team-a/1/secondary',
        'alias backup2.shop.example.com. eth=true',
        '-',
      ],
      ['backup2.shop.example.com.', 'failover-chains/team-a/2/primary', '3.3.3.4', 'h-ap'],
      [
        'backup2.shop.example.com.',
        'failover-chains/team-a/2/secondary',
        'alias backup3.shop.example.com. eth=true',
        '-',
      ],
      [
        'backup3.shop.example.com.',
        'failover-chains/team-a/3/primary',
        'alias dualstack.my-lb-123.us-east-1.elb.amazonaws.com. eth=true',
        '-',
      ],
      ['backup3.shop.example.com.', 'failover-chains/team-a/3/secondary', '3.3.3.5', '-'],
    ]);
    expect(
      plan.records.find((r) => r.AliasTarget?.DNSName === 'backup.shop.example.com.')?.AliasTarget
        ?.HostedZoneId,
    ).toBe('Z0123456789EXAMPLE');
    expect(plan.records.every((r) => (r.AliasTarget ? r.TTL === undefined : r.TTL === 30))).toBe(true);
  });

  it('never evaluates target health on the last tier, so the chain always has an answer', () => {
    const row = fiveTierARow();
    row.tiers = [row.tiers[0]!, row.tiers[3]!];
    const plan = planChain(chainOf(row), { owner });
    expect(plan.records[1]!.AliasTarget?.EvaluateTargetHealth).toBe(false);
  });

  it('maps each tier record back to its tier and nesting records to none', () => {
    const chain = chainOf(seedRow());
    const plan = planChain(chain, { owner });
    expect(plan.records.map((r) => tierOfRecord(chain, r)?.id)).toEqual([
      'primary',
      undefined,
      'secondary',
      'tertiary',
    ]);
  });
});
