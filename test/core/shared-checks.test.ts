import { describe, expect, it } from 'vitest';
import { parseAlarmEvent, parseSharedAlarmEvent } from '../../shared/core/alarm-event.ts';
import { parseAlarmName } from '../../shared/core/plan-alarms.ts';
import { healthChecksToCreate, sharedChecksNeeded } from '../../shared/core/quotas.ts';
import type { HealthCheckConfig } from '../../shared/core/route53-types.ts';
import {
  parseSharedAlarmName,
  sharedAlarmName,
  sharedFingerprint,
  sharedTagFingerprint,
} from '../../shared/core/shared-checks.ts';
import { chainOf, seedRow } from '../fixtures/chains.ts';

const base: HealthCheckConfig = { Type: 'HTTP', IPAddress: '2.2.2.2', Port: 8888 };

describe('a shared check fingerprint', () => {
  it('is the same for settings Route 53 treats as the same, defaults written or not', () => {
    const explicit: HealthCheckConfig = {
      ...base,
      ResourcePath: '/',
      RequestInterval: 30,
      FailureThreshold: 3,
      Regions: [
        'us-west-2',
        'us-east-1',
        'eu-west-1',
        'ap-southeast-1',
        'ap-southeast-2',
        'ap-northeast-1',
        'sa-east-1',
        'us-west-1',
      ],
      MeasureLatency: false,
    };
    expect(sharedFingerprint(explicit)).toBe(sharedFingerprint(base));
    expect(sharedFingerprint({ ...base, Regions: ['us-west-1', 'us-east-1', 'eu-west-1'] })).toBe(
      sharedFingerprint({ ...base, Regions: ['eu-west-1', 'us-east-1', 'us-west-1'] }),
    );
    expect(sharedFingerprint({ Type: 'HTTPS', IPAddress: '2.2.2.2' })).toBe(
      sharedFingerprint({ Type: 'HTTPS', IPAddress: '2.2.2.2', Port: 443, EnableSNI: true }),
    );
  });

  it('differs for anything Route 53 probes differently', () => {
    const variants: HealthCheckConfig[] = [
      { ...base, Port: 80 },
      { ...base, ResourcePath: '/health' },
      { ...base, FailureThreshold: 2 },
      { ...base, RequestInterval: 10 },
      { ...base, Regions: ['us-west-1', 'us-east-1', 'eu-west-1'] },
      { ...base, FullyQualifiedDomainName: 'site2.example.net' },
      { ...base, Type: 'HTTP_STR_MATCH', SearchString: 'ok' },
    ];
    const prints = new Set([base, ...variants].map(sharedFingerprint));
    expect(prints.size).toBe(variants.length + 1);
    expect(sharedFingerprint(base)).toMatch(/^[0-9a-f]{16}$/);
  });
});

describe('shared names and tags', () => {
  it('names the alarm under the deployment prefix, never as a chain alarm', () => {
    const name = sharedAlarmName('blue', sharedFingerprint(base), 'hc-1');
    expect(name).toBe(`failover-chains/blue/shared:${sharedFingerprint(base)}/hc-1`);
    expect(parseAlarmName('blue', name)).toBeUndefined();
    expect(parseSharedAlarmName('blue', name)).toBe(sharedFingerprint(base));
    expect(parseSharedAlarmName('green', name)).toBeUndefined();
    const event = {
      source: 'aws.cloudwatch',
      'detail-type': 'CloudWatch Alarm State Change',
      time: '2026-11-24T03:00:00Z',
      detail: { alarmName: name, state: { value: 'ALARM' } },
    };
    expect(parseAlarmEvent(event, 'blue')).toBeUndefined();
    expect(parseSharedAlarmEvent(event, 'blue')).toEqual({
      fingerprint: sharedFingerprint(base),
      checkId: 'hc-1',
      state: 'ALARM',
      time: '2026-11-24T03:00:00Z',
    });
  });

  it('proves a shared check by owner and fingerprint, and refuses one that names a chain', () => {
    const shared = { 'failover-chains:owner': 'blue', 'failover-chains:shared': 'abc' };
    expect(sharedTagFingerprint('blue', shared)).toBe('abc');
    expect(sharedTagFingerprint('green', shared)).toBeUndefined();
    expect(
      sharedTagFingerprint('blue', { ...shared, 'failover-chains:chain': 'x.example.com' }),
    ).toBeUndefined();
  });
});

describe('health checks a chain creates', () => {
  const chain = chainOf(seedRow());

  it('does not count a saved reference without an id (its check may exist already)', () => {
    expect(healthChecksToCreate(chain, { healthChecks: {} })).toBe(2);
    expect(healthChecksToCreate(chain, { healthChecks: { primary: { callerReference: 'r1' } } })).toBe(1);
  });

  it('leaves shared tiers to their fingerprints, and none once the chain uses them', () => {
    expect(healthChecksToCreate(chain, { healthChecks: {} }, true)).toBe(0);
    const needed = sharedChecksNeeded(chain, { healthChecks: {} });
    expect(needed).toHaveLength(2);
    const joined = {
      primary: { callerReference: 'r1', id: 'h1', shared: needed[0]! },
      secondary: { callerReference: 'r2', id: 'h2', shared: needed[1]! },
    };
    expect(sharedChecksNeeded(chain, { healthChecks: joined })).toEqual([]);
    expect(sharedChecksNeeded(chainOf({ ...seedRow(), shared: false }), { healthChecks: {} })).toEqual([]);
  });
});
