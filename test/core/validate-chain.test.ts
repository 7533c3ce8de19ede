import { describe, expect, it } from 'vitest';
import { validateChain } from '../../shared/core/validate-chain.ts';
import { formatValidationError } from '../../shared/core/validation-error.ts';
import { fiveTierARow, seedRow } from '../fixtures/chains.ts';

function errorsOf(row: unknown, options = {}): string[] {
  const result = validateChain(row, options);
  return result.ok ? [] : result.errors.map(formatValidationError);
}

type Row = ReturnType<typeof seedRow>;
const tier = (row: Row, index: number) => row.tiers[index]!;
const check = (row: Row, index: number) => tier(row, index).healthCheck as Record<string, unknown>;

describe('validateChain', () => {
  it('accepts the seed row and applies the documented defaults', () => {
    const result = validateChain(seedRow());
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.chain.name).toBe('resilient-site.example.com');
    expect(result.chain.tiers[1]!.healthCheck).toEqual({
      kind: 'managed',
      config: {
        Type: 'HTTP',
        IPAddress: '2.2.2.2',
        Port: 8888,
        ResourcePath: '/',
        RequestInterval: 30,
        FailureThreshold: 3,
      },
    });
    expect(result.chain.tiers[2]!.healthCheck).toBeUndefined();
  });

  it('normalises case, trailing dots and /hostedzone/ prefixes', () => {
    const row = seedRow();
    row.name = 'Resilient-Site.Example.COM.';
    row.hostedZoneId = '/hostedzone/Z0123456789EXAMPLE';
    tier(row, 2).target = 'TERTIARY.resilient-site.example.com.';
    const result = validateChain(row);
    expect(result.ok && result.chain.name).toBe('resilient-site.example.com');
    expect(result.ok && result.chain.hostedZoneId).toBe('Z0123456789EXAMPLE');
    expect(result.ok && result.chain.tiers[2]!.target).toEqual({
      kind: 'hostname',
      hostname: 'tertiary.resilient-site.example.com',
    });
  });

  it('probes the tier target when a health check names no ip or domain', () => {
    const row = seedRow();
    check(row, 0).ip = undefined;
    const result = validateChain(JSON.parse(JSON.stringify(row)));
    expect(result.ok && result.chain.tiers[0]!.healthCheck).toMatchObject({
      config: { FullyQualifiedDomainName: 'primary.resilient-site.example.com' },
    });
  });

  it('accepts a five-tier A chain with an alias tier and defaults HTTPS to port 443 with SNI', () => {
    const result = validateChain(fiveTierARow());
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.chain.tiers[0]!.healthCheck).toMatchObject({ config: { Port: 443, EnableSNI: true } });
    expect(result.chain.tiers[2]!.healthCheck).toEqual({
      kind: 'managed',
      config: { Type: 'TCP', IPAddress: '3.3.3.4', Port: 443, RequestInterval: 30, FailureThreshold: 3 },
    });
  });

  const cases: [string, (row: Row) => unknown, string[], object?][] = [
    [
      'missing name',
      (r) => ({ ...r, name: undefined }),
      ['name: is required: must be the DNS name clients use, such as site.example.com'],
    ],
    [
      'malformed name',
      (r) => ({ ...r, name: 'not a.name' }),
      [
        'name: label "not a" must use letters, digits, hyphens or underscores and not start or end with a hyphen',
      ],
    ],
    [
      'single-label name',
      (r) => ({ ...r, name: 'localhost' }),
      ['name: must be a fully qualified name with at least two labels'],
    ],
    [
      'malformed zone id',
      (r) => ({ ...r, hostedZoneId: 'zone-1' }),
      ['hostedZoneId: must be a Route 53 hosted zone id such as Z0123456789EXAMPLE (got "zone-1")'],
    ],
    [
      'unknown record type',
      (r) => ({ ...r, recordType: 'MX' }),
      ['recordType: must be one of CNAME, A, AAAA (got "MX")'],
    ],
    [
      'ttl out of range',
      (r) => ({ ...r, ttl: -1 }),
      ['ttl: must be an integer from 0 to 2147483647 (got -1)'],
    ],
    [
      'one tier',
      (r) => ({ ...r, tiers: r.tiers.slice(0, 1) }),
      ['tiers: must have from 2 to 8 tiers (got a list of 1)'],
    ],
    [
      'nine tiers',
      (r) => ({
        ...r,
        tiers: Array.from({ length: 9 }, (_, i) => ({
          id: `t${i}`,
          target: `t${i}.example.net`,
          healthCheck: { type: 'TCP', ip: `8.8.8.${i}`, port: 80 },
        })),
      }),
      ['tiers: must have from 2 to 8 tiers (got a list of 9)'],
    ],
    [
      'unknown top-level field',
      (r) => ({ ...r, ttll: 5 }),
      [
        'ttll: unknown field; allowed fields are name, hostedZoneId, recordType, ttl, tiers, drain, pin, failback, force, shared, changedBy, adopt',
      ],
    ],
    [
      'unknown tier field',
      (r) => {
        tier(r, 0).taget = 'x';
        return r;
      },
      ['tiers[0].taget: unknown field; allowed fields are id, target, healthCheck'],
    ],
    [
      'unknown health check field',
      (r) => {
        check(r, 0).prot = 80;
        return r;
      },
      [
        'tiers[0].healthCheck.prot: unknown field; allowed fields are type, ip, domainName, port, path, searchString, requestInterval, failureThreshold, regions, enableSni',
      ],
    ],
    [
      'bad tier id',
      (r) => {
        tier(r, 1).id = 'Second Tier';
        return r;
      },
      [
        'tiers[1].id: must be 1 to 32 lower-case letters, digits or hyphens, not starting or ending with a hyphen (got "Second Tier")',
      ],
    ],
    [
      'duplicate tier ids',
      (r) => {
        tier(r, 2).id = 'primary';
        return r;
      },
      ['tiers[2].id: duplicates tiers[0].id ("primary"); tier ids must be unique'],
    ],
    [
      'duplicate targets',
      (r) => {
        tier(r, 2).target = 'PRIMARY.resilient-site.example.com';
        return r;
      },
      ['tiers[2].target: duplicates tiers[0].target; each tier must send traffic somewhere else'],
    ],
    [
      'target is the chain name',
      (r) => {
        tier(r, 2).target = 'resilient-site.example.com';
        return r;
      },
      ['tiers[2].target: must not be the chain name ("resilient-site.example.com"): that would make a loop'],
    ],
    [
      'target is an intermediate name',
      (r) => {
        tier(r, 0).target = 'backup.resilient-site.example.com';
        return r;
      },
      [
        'tiers[0].target: must not be the chain\'s level-1 name ("backup.resilient-site.example.com"): that would make a loop',
      ],
    ],
    [
      'non-last tier without a health check',
      (r) => {
        delete tier(r, 1).healthCheck;
        return r;
      },
      [
        'tiers[1].healthCheck: is required on every tier but the last: Route 53 refuses a non-alias PRIMARY record without a health check',
      ],
    ],
    [
      'port out of range',
      (r) => {
        check(r, 1).port = 70000;
        return r;
      },
      ['tiers[1].healthCheck.port: must be an integer from 1 to 65535 (got 70000)'],
    ],
    [
      'private health check address',
      (r) => {
        check(r, 0).ip = '10.1.2.3';
        return r;
      },
      [
        'tiers[0].healthCheck.ip: must be a public address: 10.1.2.3 is in a private range, which Route 53 health checkers cannot reach',
      ],
    ],
    [
      'loopback health check address',
      (r) => {
        check(r, 0).ip = '127.0.0.1';
        return r;
      },
      [
        'tiers[0].healthCheck.ip: must be a public address: 127.0.0.1 is in a loopback range, which Route 53 health checkers cannot reach',
      ],
    ],
    [
      'CGNAT health check address',
      (r) => {
        check(r, 0).ip = '100.64.0.1';
        return r;
      },
      [
        'tiers[0].healthCheck.ip: must be a public address: 100.64.0.1 is in a carrierGradeNat range, which Route 53 health checkers cannot reach',
      ],
    ],
    [
      'link-local IPv6 health check address',
      (r) => {
        check(r, 0).ip = 'fe80::1';
        return r;
      },
      [
        'tiers[0].healthCheck.ip: must be a public address: fe80::1 is in a linkLocal range, which Route 53 health checkers cannot reach',
      ],
    ],
    [
      'health check on the chain name',
      (r) => {
        check(r, 0).domainName = 'resilient-site.example.com';
        return r;
      },
      [
        'tiers[0].healthCheck.domainName: must not be the chain name ("resilient-site.example.com"): Route 53 calls a health check on a name it serves unpredictable; probe the endpoint itself',
      ],
    ],
    [
      'health check on an intermediate name',
      (r) => {
        check(r, 1).domainName = 'backup.resilient-site.example.com';
        return r;
      },
      [
        'tiers[1].healthCheck.domainName: must not be the chain\'s level-1 name ("backup.resilient-site.example.com"): Route 53 calls a health check on a name it serves unpredictable; probe the endpoint itself',
      ],
    ],
    [
      'interval not 10 or 30',
      (r) => {
        check(r, 0).requestInterval = 20;
        return r;
      },
      ['tiers[0].healthCheck.requestInterval: must be 10 or 30 seconds (got 20)'],
    ],
    [
      'threshold out of range',
      (r) => {
        check(r, 0).failureThreshold = 11;
        return r;
      },
      ['tiers[0].healthCheck.failureThreshold: must be an integer from 1 to 10 (got 11)'],
    ],
    [
      'path too long',
      (r) => {
        check(r, 0).path = `/${'a'.repeat(255)}`;
        return r;
      },
      [
        `tiers[0].healthCheck.path: must be a path of 1 to 255 characters starting with / (got "/${'a'.repeat(56)}...")`,
      ],
    ],
    [
      'path without slash',
      (r) => {
        check(r, 0).path = 'health';
        return r;
      },
      ['tiers[0].healthCheck.path: must be a path of 1 to 255 characters starting with / (got "health")'],
    ],
    [
      'search string too long',
      (r) => {
        check(r, 0).type = 'HTTP_STR_MATCH';
        check(r, 0).searchString = 'x'.repeat(256);
        return r;
      },
      [
        `tiers[0].healthCheck.searchString: must be a string of 1 to 255 characters (got "${'x'.repeat(57)}...")`,
      ],
    ],
    [
      'string match without search string',
      (r) => {
        check(r, 0).type = 'HTTPS_STR_MATCH';
        return r;
      },
      [
        'tiers[0].healthCheck.searchString: is required for type HTTPS_STR_MATCH (the text the response must contain)',
      ],
    ],
    [
      'search string on plain HTTP',
      (r) => {
        check(r, 0).searchString = 'ok';
        return r;
      },
      [
        'tiers[0].healthCheck.searchString: is only allowed for HTTP_STR_MATCH and HTTPS_STR_MATCH (type is HTTP)',
      ],
    ],
    [
      'TCP with a path',
      (r) => {
        check(r, 0).type = 'TCP';
        return r;
      },
      ['tiers[0].healthCheck.path: is not allowed for type TCP'],
    ],
    [
      'too few regions',
      (r) => {
        check(r, 0).regions = ['us-east-1'];
        return r;
      },
      ['tiers[0].healthCheck.regions: must list at least 3 health checker regions (got a list of 1)'],
    ],
    [
      'unknown region',
      (r) => {
        check(r, 0).regions = ['us-east-1', 'eu-west-1', 'mars-1'];
        return r;
      },
      [
        'tiers[0].healthCheck.regions[2]: must be one of us-east-1, us-west-1, us-west-2, eu-west-1, ap-southeast-1, ap-southeast-2, ap-northeast-1, sa-east-1 (got "mars-1")',
      ],
    ],
    [
      'unknown health check type',
      (r) => {
        check(r, 0).type = 'PING';
        return r;
      },
      [
        'tiers[0].healthCheck.type: must be one of HTTP, HTTPS, HTTP_STR_MATCH, HTTPS_STR_MATCH, TCP (got "PING")',
      ],
    ],
    [
      'IP target on a CNAME chain',
      (r) => {
        tier(r, 2).target = '9.9.9.9';
        return r;
      },
      [
        'tiers[2].target: must be a host name for recordType CNAME (got "9.9.9.9"); use recordType A or AAAA for IP addresses or alias targets',
      ],
    ],
    [
      'alias target on a CNAME chain',
      (r) => {
        tier(r, 2).target = { alias: { dnsName: 'x.example.net', hostedZoneId: 'Z1' } };
        return r;
      },
      [
        'tiers[2].target: must be a host name for recordType CNAME (got an object); use recordType A or AAAA for IP addresses or alias targets',
      ],
    ],
  ];

  it.each(cases)('rejects %s', (_name, mutate, expected, options) => {
    expect(errorsOf(mutate(seedRow()), options)).toEqual(expected);
  });

  it('rejects IP targets of the wrong family, naming each bad entry', () => {
    const row = fiveTierARow();
    tier(row, 1).target = ['3.3.3.2', '2001:db8::1'];
    expect(errorsOf(row)).toEqual([
      'tiers[1].target[1]: must be an IPv4 address for recordType A (got "2001:db8::1")',
    ]);
    const v6 = { ...fiveTierARow(), recordType: 'AAAA' };
    expect(errorsOf(v6)[0]).toBe(
      'tiers[0].target: must be an IPv6 address for recordType AAAA (got "3.3.3.1")',
    );
  });

  it('rejects a CloudFront alias that asks to evaluate target health', () => {
    const row = fiveTierARow();
    tier(row, 3).target = {
      alias: { dnsName: 'd111.cloudfront.net', hostedZoneId: 'Z2FDTNDATAQYW2', evaluateTargetHealth: true },
    };
    expect(errorsOf(row)).toEqual([
      'tiers[3].target.alias.evaluateTargetHealth: must be false for a CloudFront target (Route 53 cannot evaluate CloudFront health); give the tier a healthCheck instead',
    ]);
  });

  it('requires a health check on a non-last alias tier that does not evaluate target health', () => {
    const row = fiveTierARow();
    tier(row, 3).target = { alias: { dnsName: 'd111.cloudfront.net', hostedZoneId: 'Z2FDTNDATAQYW2' } };
    expect(errorsOf(row)).toEqual([
      'tiers[3].healthCheck: is required on an alias tier that does not evaluate target health, or traffic could never fail over from it',
    ]);
  });

  it('rejects a name whose backup names would not fit DNS limits', () => {
    const row = seedRow();
    const label = 'a'.repeat(60);
    row.name = `${label}.${label}.${label}.${label}.com`;
    expect(errorsOf(row)).toEqual([
      `name: is too long for a 3-tier chain: its level-1 name "backup.${label}.${label}.${label}.${label}.com" must be at most 253 characters (got 254)`,
    ]);
  });

  it('allows loopback health checks only when local mode asks for it', () => {
    const row = seedRow();
    check(row, 0).ip = '127.0.0.1';
    expect(validateChain(row, { allowReservedAddresses: true }).ok).toBe(true);
  });

  it('reports errors in several fields at once', () => {
    const row = seedRow();
    row.ttl = 'x';
    check(row, 1).port = 0;
    expect(errorsOf(row)).toEqual([
      'ttl: must be an integer from 0 to 2147483647 (got "x")',
      'tiers[1].healthCheck.port: must be an integer from 1 to 65535 (got 0)',
    ]);
  });

  it('checks operator controls against the tiers', () => {
    expect(errorsOf({ ...seedRow(), drain: ['primary', 'nope'] })).toEqual([
      'drain[1]: names no tier of this chain ("nope"); the chain\'s tiers are primary, secondary, tertiary',
    ]);
    expect(errorsOf({ ...seedRow(), drain: ['secondary'], pin: 'secondary' })).toEqual([
      'pin: pins "secondary", which drain also lists; remove it from one',
    ]);
    expect(errorsOf({ ...seedRow(), failback: 'sometimes' })).toEqual([
      'failback: must be auto or manual (got "sometimes")',
    ]);
    const result = validateChain({ ...seedRow(), drain: ['primary'], failback: 'manual' });
    expect(result.ok && [result.chain.drain, result.chain.failback, result.chain.force]).toEqual([
      ['primary'],
      'manual',
      false,
    ]);
  });

  it('rejects things that are not rows at all', () => {
    expect(errorsOf(null)).toEqual(['must be an object (got null)']);
    expect(errorsOf([])).toEqual(['must be an object (got a list of 0)']);
  });
});
