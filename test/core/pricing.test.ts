import { describe, expect, it } from 'vitest';
import {
  creationSeconds,
  dollars,
  formatDuration,
  healthCheckFeatures,
  monthlyCost,
  type EndpointKind,
} from '../../shared/core/pricing.ts';
import type { HealthCheckConfig } from '../../shared/core/route53-types.ts';

// Prices from https://aws.amazon.com/route53/pricing/ and https://aws.amazon.com/cloudwatch/pricing/
// (read 2026-11-25; see shared/core/pricing.ts).

const http: HealthCheckConfig = { Type: 'HTTP', IPAddress: '8.8.8.8', Port: 80 };
const everything: HealthCheckConfig = {
  Type: 'HTTPS_STR_MATCH',
  FullyQualifiedDomainName: 'www.example.com',
  SearchString: 'ok',
  RequestInterval: 10,
  MeasureLatency: true,
};

describe('health check pricing', () => {
  it.each<[string, HealthCheckConfig, EndpointKind, string]>([
    ['a basic check, non-AWS endpoint', http, 'non-aws', '0.75'],
    ['a basic check, AWS endpoint', http, 'aws', '0.50'],
    ['HTTPS + string matching + 10 s + latency, non-AWS', everything, 'non-aws', '8.75'],
    ['HTTPS + string matching + 10 s + latency, AWS', everything, 'aws', '4.50'],
    [
      'a TCP check at 30 s',
      { Type: 'TCP', IPAddress: '8.8.8.8', Port: 443, RequestInterval: 30 },
      'aws',
      '0.50',
    ],
  ])('%s costs $%s a month', (_name, config, endpoints, expected) => {
    expect(dollars(monthlyCost([config], 0, endpoints).totalCents)).toBe(expected);
  });

  it('names each optional feature a check turns on', () => {
    expect(healthCheckFeatures(everything)).toEqual([
      'HTTPS',
      'string matching',
      'fast interval',
      'latency measurement',
    ]);
    expect(healthCheckFeatures({ Type: 'HTTP_STR_MATCH', IPAddress: '8.8.8.8', SearchString: 'x' })).toEqual([
      'string matching',
    ]);
    expect(healthCheckFeatures(http)).toEqual([]);
  });

  it('reports by item, leaving out items that cost nothing', () => {
    const cost = monthlyCost([http, http, everything], 3, 'non-aws');
    expect(
      cost.lines.map(
        (line) => `${line.item} x${line.count} @${dollars(line.eachCents)} = ${dollars(line.totalCents)}`,
      ),
    ).toEqual([
      'Route 53 health check, non-AWS endpoint x3 @0.75 = 2.25',
      '  optional feature: HTTPS x1 @2.00 = 2.00',
      '  optional feature: string matching x1 @2.00 = 2.00',
      '  optional feature: fast interval x1 @2.00 = 2.00',
      '  optional feature: latency measurement x1 @2.00 = 2.00',
      'CloudWatch alarm, standard resolution x3 @0.10 = 0.30',
    ]);
    expect(dollars(cost.totalCents)).toBe('10.55');
  });
});

// CreateHealthCheck refills at 0.5 a second:
// https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/throttling-api-requests.html
describe('first-run time', () => {
  it.each([
    [0, '0 s'],
    [6, '12 s'],
    [200, '6 min 40 s'],
    [20_000, '11 h 6 min'],
  ])('%i health checks take %s', (checks, expected) => {
    expect(formatDuration(creationSeconds(checks))).toBe(expected);
  });
});
