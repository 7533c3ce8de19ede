import { describe, expect, it } from 'vitest';
import { answer } from '../../shared/core/route53-answer.ts';
import type { ResourceRecordSet } from '../../shared/core/route53-types.ts';
import { answerWithHealthyTiers } from '../../shared/core/serving-tier.ts';
import { chainOf, fiveTierARow, seedRow } from '../fixtures/chains.ts';

const pair = (primaryCheck: string | undefined, secondaryCheck: string | undefined): ResourceRecordSet[] => [
  {
    Name: 'www.example.com.',
    Type: 'A',
    SetIdentifier: 'p',
    Failover: 'PRIMARY',
    TTL: 60,
    ResourceRecords: [{ Value: '192.0.2.1' }],
    ...(primaryCheck ? { HealthCheckId: primaryCheck } : {}),
  },
  {
    Name: 'www.example.com.',
    Type: 'A',
    SetIdentifier: 's',
    Failover: 'SECONDARY',
    TTL: 60,
    ResourceRecords: [{ Value: '192.0.2.2' }],
    ...(secondaryCheck ? { HealthCheckId: secondaryCheck } : {}),
  },
];

describe('answer (Route 53 failover rules)', () => {
  it.each([
    ['primary healthy', new Set(['p', 's']), '192.0.2.1'],
    ['primary unhealthy, secondary healthy', new Set(['s']), '192.0.2.2'],
    ['both unhealthy: primary, whatever its health', new Set<string>(), '192.0.2.1'],
    ['secondary unhealthy, primary healthy', new Set(['p']), '192.0.2.1'],
  ])('%s', (_name, healthy, expected) => {
    expect(answer(pair('p', 's'), healthy, 'www.example.com', 'A').values).toEqual([expected]);
  });

  it('counts a secondary without a health check as healthy', () => {
    expect(answer(pair('p', undefined), new Set(), 'www.example.com', 'A').values).toEqual(['192.0.2.2']);
  });

  it('answers NXDOMAIN for a name with no records and NOERROR with no data for another type', () => {
    expect(answer(pair('p', 's'), new Set(), 'nope.example.com', 'A').rcode).toBe('NXDOMAIN');
    const noData = answer(pair('p', 's'), new Set(), 'www.example.com', 'AAAA');
    expect([noData.rcode, noData.values]).toEqual(['NOERROR', []]);
  });

  it('follows an alias into a branch and skips a branch whose records are all unhealthy', () => {
    const records: ResourceRecordSet[] = [
      ...pair('p', 's').map((r) => ({ ...r, Name: 'branch.example.com.' })),
      {
        Name: 'top.example.com.',
        Type: 'A',
        SetIdentifier: 'tp',
        Failover: 'PRIMARY',
        AliasTarget: { HostedZoneId: 'Z1', DNSName: 'branch.example.com.', EvaluateTargetHealth: true },
      },
      {
        Name: 'top.example.com.',
        Type: 'A',
        SetIdentifier: 'ts',
        Failover: 'SECONDARY',
        TTL: 60,
        ResourceRecords: [{ Value: '198.51.100.9' }],
      },
    ];
    expect(answer(records, new Set(['s']), 'top.example.com', 'A').values).toEqual(['192.0.2.2']);
    expect(answer(records, new Set(), 'top.example.com', 'A').values).toEqual(['198.51.100.9']);
  });

  it('routes into a branch regardless of its health when the alias does not evaluate target health', () => {
    const records: ResourceRecordSet[] = [
      ...pair('p', 's').map((r) => ({ ...r, Name: 'branch.example.com.' })),
      {
        Name: 'top.example.com.',
        Type: 'A',
        SetIdentifier: 'tp',
        Failover: 'PRIMARY',
        AliasTarget: { HostedZoneId: 'Z1', DNSName: 'branch.example.com.', EvaluateTargetHealth: false },
      },
      {
        Name: 'top.example.com.',
        Type: 'A',
        SetIdentifier: 'ts',
        Failover: 'SECONDARY',
        TTL: 60,
        ResourceRecords: [{ Value: '198.51.100.9' }],
      },
    ];
    expect(answer(records, new Set(), 'top.example.com', 'A').values).toEqual(['192.0.2.1']);
  });

  it('follows CNAMEs inside the zone and stops at a CNAME that leaves it', () => {
    const chain = chainOf(seedRow());
    const result = answerWithHealthyTiers(chain, new Set(['secondary']), 'default');
    expect(result.answer.path.map((r) => `${r.Name} ${r.ResourceRecords![0]!.Value}`)).toEqual([
      'resilient-site.example.com. backup.resilient-site.example.com.',
      'backup.resilient-site.example.com. secondary.resilient-site.example.com.',
    ]);
    expect([result.answer.type, result.answer.values, result.tier?.id]).toEqual([
      'CNAME',
      ['secondary.resilient-site.example.com.'],
      'secondary',
    ]);
  });

  it('treats an ELB alias tier as down when its target is unhealthy', () => {
    const chain = chainOf(fiveTierARow());
    expect(answerWithHealthyTiers(chain, new Set(['lb']), 'default').tier?.id).toBe('lb');
    const none = answerWithHealthyTiers(chain, new Set(), 'default');
    expect([none.tier?.id, none.answer.values]).toEqual(['static', ['3.3.3.5']]);
  });
});
