import { ALARM_LIMITS, fitWithHash } from './aws-limits.ts';

/** A CloudWatch alarm on one health check, in PutMetricAlarm's terms. */
export interface AlarmSpec {
  AlarmName: string;
  AlarmDescription: string;
  Namespace: 'AWS/Route53';
  MetricName: 'HealthCheckStatus';
  Dimensions: [{ Name: 'HealthCheckId'; Value: string }];
  Statistic: 'Minimum';
  Period: number;
  EvaluationPeriods: number;
  Threshold: number;
  ComparisonOperator: 'LessThanThreshold';
  TreatMissingData: 'missing';
}

/** The prefix every alarm of a deployment starts with; the EventBridge rule matches on it. */
export function alarmNamePrefix(owner: string): string {
  return `failover-chains/${owner}/`;
}

/**
 * `failover-chains/<owner>/<chain>/<tier>`, so an alarm event leads back to its chain and tier.
 * A name over CloudWatch's 255 characters keeps the prefix (events are routed on it) and the
 * tier, and shortens the chain name with `~` and a hash; its description names the chain.
 */
export function alarmName(owner: string, chainName: string, tierId: string): string {
  const prefix = alarmNamePrefix(owner);
  const room = ALARM_LIMITS.name - prefix.length - tierId.length - 1;
  return `${prefix}${fitWithHash(chainName, room, '~')}/${tierId}`;
}

/** Chain and tier named by one of our alarm names; undefined for a shortened one (see its description). */
export function parseAlarmName(owner: string, name: string): { chain: string; tier: string } | undefined {
  const prefix = alarmNamePrefix(owner);
  if (!name.startsWith(prefix)) return undefined;
  const rest = name.slice(prefix.length);
  // `shared:<fingerprint>/<check>` is a shared check's (shared-checks.ts); no DNS name has a colon.
  if (rest.startsWith('shared:')) return undefined;
  const slash = rest.lastIndexOf('/');
  if (slash <= 0 || rest.includes('~')) return undefined;
  return { chain: rest.slice(0, slash), tier: rest.slice(slash + 1) };
}

/**
 * The alarm for one tier's health check: ALARM when Route 53's HealthCheckStatus minimum over
 * a minute drops below 1. Missing data stays INSUFFICIENT_DATA, which the alarm handler
 * treats as "no news", never as a failure.
 */
// The fastest settings that raise no false alert (README, "Latency"): one 60-second period, 1 of 1.
// HealthCheckStatus has one-minute resolution, and periods under 60 s are for high-resolution
// metrics only (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html).
// Its value is already Route 53's verdict after FailureThreshold and the checker quorum, the one
// that moved the DNS answer, so more periods would only delay news of a failover that happened.
// https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-determining-health-of-endpoints.html
export function planAlarm(
  owner: string,
  chainName: string,
  tierId: string,
  healthCheckId: string,
): AlarmSpec {
  return alarmOnCheck(
    alarmName(owner, chainName, tierId),
    `failover-chains: health of tier "${tierId}" of chain ${chainName} (chain=${chainName} tier=${tierId})`,
    healthCheckId,
  );
}

/** An alarm on one health check's HealthCheckStatus, with the settings planAlarm explains. */
export function alarmOnCheck(name: string, description: string, healthCheckId: string): AlarmSpec {
  return {
    AlarmName: name,
    AlarmDescription: description,
    Namespace: 'AWS/Route53',
    MetricName: 'HealthCheckStatus',
    Dimensions: [{ Name: 'HealthCheckId', Value: healthCheckId }],
    Statistic: 'Minimum',
    Period: 60,
    EvaluationPeriods: 1,
    Threshold: 1,
    ComparisonOperator: 'LessThanThreshold',
    TreatMissingData: 'missing',
  };
}

/** True when an existing alarm already matches the spec in every field we set. */
export function sameAlarm(spec: AlarmSpec, observed: Partial<Record<keyof AlarmSpec, unknown>>): boolean {
  return (Object.keys(spec) as (keyof AlarmSpec)[]).every(
    (key) => JSON.stringify(spec[key]) === JSON.stringify(observed[key]),
  );
}
