import type { HealthCheckConfig } from './route53-types.ts';

// The one place the system prices what it creates. Monthly list prices in USD, read on the date
// below from the pages below; AWS changes them, so check the pages before relying on a total.
//
// Route 53, https://aws.amazon.com/route53/pricing/ ("Health checks"):
//   basic health check, AWS endpoint ........................ $0.50 a health check a month
//   basic health check, non-AWS endpoint .................... $0.75 a health check a month
//   each optional feature, AWS endpoint ..................... $1.00 a feature a month
//   each optional feature, non-AWS endpoint ................. $2.00 a feature a month
//   optional features: HTTPS, string matching, fast interval (10 s), latency measurement
//   free: up to 50 health checks for AWS endpoints an account (not subtracted here: the
//   account's other checks use it too)
// CloudWatch, https://aws.amazon.com/cloudwatch/pricing/ ("Alarms", US East (N. Virginia)):
//   standard resolution (60 s) metric alarm ................. $0.10 an alarm metric a month
//   free: 10 alarm metrics a month (not subtracted, as above)
// Not priced (the system does not create them, or they do not depend on it): hosted zones
// ($0.50 a zone a month for the first 25), DNS queries (alias queries to AWS resources are
// free), records beyond 10,000 in a zone ($0.0015 a record a month), SNS notifications.
//
// The AWS/non-AWS split cannot be read from an IP address or a host name: the page counts as
// AWS endpoints only AWS resources such as EC2 instances and load balancers in the account. The
// report prices every check as non-AWS (the upper bound) unless told the endpoints are in AWS.

/** When the prices below were read from the pages named in this module. */
export const PRICES_CHECKED_ON = '2026-11-25';

/** The pricing pages the prices come from. */
export const PRICING_PAGES = [
  'https://aws.amazon.com/route53/pricing/',
  'https://aws.amazon.com/cloudwatch/pricing/',
] as const;

/** Whether Route 53 bills a check at the AWS-endpoint or the non-AWS-endpoint rate. */
export type EndpointKind = 'aws' | 'non-aws';

/** Monthly prices in US cents (whole cents keep the sums exact). */
export const PRICE_CENTS = {
  healthCheck: { aws: 50, 'non-aws': 75 },
  optionalFeature: { aws: 100, 'non-aws': 200 },
  standardAlarm: 10,
} as const;

/** A health check option Route 53 bills as an optional feature. */
export type HealthCheckFeature = 'HTTPS' | 'string matching' | 'fast interval' | 'latency measurement';

/** The optional features a check's settings turn on, each billed on its own. */
export function healthCheckFeatures(config: HealthCheckConfig): HealthCheckFeature[] {
  const features: HealthCheckFeature[] = [];
  if (config.Type.startsWith('HTTPS')) features.push('HTTPS');
  if (config.Type.endsWith('_STR_MATCH')) features.push('string matching');
  if (config.RequestInterval === 10) features.push('fast interval');
  if (config.MeasureLatency === true) features.push('latency measurement');
  return features;
}

/** One line of a monthly cost report. */
export interface CostLine {
  item: string;
  count: number;
  eachCents: number;
  totalCents: number;
}

/** The monthly cost of health checks and alarms, by item, in the order a reader expects. */
export function monthlyCost(
  healthChecks: readonly HealthCheckConfig[],
  alarms: number,
  endpoints: EndpointKind,
): { lines: CostLine[]; totalCents: number } {
  const where = endpoints === 'aws' ? 'AWS endpoint' : 'non-AWS endpoint';
  const features = new Map<HealthCheckFeature, number>();
  for (const config of healthChecks)
    for (const feature of healthCheckFeatures(config))
      features.set(feature, (features.get(feature) ?? 0) + 1);
  const line = (item: string, count: number, eachCents: number): CostLine => ({
    item,
    count,
    eachCents,
    totalCents: count * eachCents,
  });
  const lines = [
    line(`Route 53 health check, ${where}`, healthChecks.length, PRICE_CENTS.healthCheck[endpoints]),
    ...(['HTTPS', 'string matching', 'fast interval', 'latency measurement'] as const).map((feature) =>
      line(
        `  optional feature: ${feature}`,
        features.get(feature) ?? 0,
        PRICE_CENTS.optionalFeature[endpoints],
      ),
    ),
    line('CloudWatch alarm, standard resolution', alarms, PRICE_CENTS.standardAlarm),
  ].filter((item) => item.count > 0);
  return { lines, totalCents: lines.reduce((sum, item) => sum + item.totalCents, 0) };
}

/** What the report leaves out, so its total is not read as the whole bill. */
export const NOT_PRICED =
  'not included: hosted zones, DNS queries, records over 10,000 in a zone, SNS; free tiers (50 AWS-endpoint health checks, 10 alarms) not subtracted';

// CreateHealthCheck: a bucket of 50 refilled at 0.5 a second, so one every 2 s once the burst is
// spent. https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/throttling-api-requests.html
// The adapter keeps to one every 2 s from the start (createHealthCheckIntervalMs), which is what
// a first run takes.
/** Seconds between two CreateHealthCheck calls the system makes. */
export const CREATE_HEALTH_CHECK_SECONDS = 2;

/** How long creating `count` health checks takes at the system's pace. */
export function creationSeconds(count: number): number {
  return count * CREATE_HEALTH_CHECK_SECONDS;
}

/** `45 s`, `12 min 30 s`, `11 h 7 min`: a duration for people. */
export function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min${s % 60 ? ` ${s % 60} s` : ''}`;
  const minutes = Math.floor((s % 3600) / 60);
  return `${Math.floor(s / 3600)} h${minutes ? ` ${minutes} min` : ''}`;
}

/** Cents as dollars: `1234` → `12.34`. */
export function dollars(cents: number): string {
  return (cents / 100).toFixed(2);
}
