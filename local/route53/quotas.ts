import {
  HostedZoneNotPrivate,
  InvalidInput,
  type GetAccountLimitCommandInput,
  type GetHostedZoneLimitCommandInput,
} from '@aws-sdk/client-route-53';

const meta = { $metadata: {} };

// Default entity quotas, from "Quotas on entities":
// https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/DNSLimitations.html#limits-api-entities
// "Health checks: 200 active health checks per AWS account"; "Records: 10,000 per hosted zone";
// hosted zones 500, reusable delegation sets 100, traffic policies 50, policy records 5.

/** The quotas the stand-in enforces; tests set small ones, and raise them as AWS support would. */
export interface Route53Quotas {
  /** Active health checks per account (MAX_HEALTH_CHECKS_BY_OWNER). */
  healthChecks: number;
  /** Records per hosted zone (MAX_RRSETS_BY_ZONE). */
  recordsPerZone: number;
}

/** Route 53's default quotas. */
export const DEFAULT_QUOTAS: Route53Quotas = { healthChecks: 200, recordsPerZone: 10_000 };

const OTHER_ACCOUNT_LIMITS: Record<string, number> = {
  MAX_HOSTED_ZONES_BY_OWNER: 500,
  MAX_REUSABLE_DELEGATION_SETS_BY_OWNER: 100,
  MAX_TRAFFIC_POLICIES_BY_OWNER: 50,
  MAX_TRAFFIC_POLICY_INSTANCES_BY_OWNER: 5,
};

/** What the account holds, for the counts GetAccountLimit reports. */
export interface AccountUse {
  healthChecks: number;
  hostedZones: number;
}

// https://docs.aws.amazon.com/Route53/latest/APIReference/API_GetAccountLimit.html
/** GetAccountLimit: `Limit {Type, Value}` and `Count`; an unknown Type is InvalidInput. */
export function accountLimit(quotas: Route53Quotas, input: GetAccountLimitCommandInput, use: AccountUse) {
  const type = input.Type ?? '';
  const counts: Record<string, number> = {
    MAX_HEALTH_CHECKS_BY_OWNER: use.healthChecks,
    MAX_HOSTED_ZONES_BY_OWNER: use.hostedZones,
  };
  const value = type === 'MAX_HEALTH_CHECKS_BY_OWNER' ? quotas.healthChecks : OTHER_ACCOUNT_LIMITS[type];
  if (value === undefined)
    throw new InvalidInput({ ...meta, message: `Invalid value for parameter Type: ${type}` });
  return { ...meta, Limit: { Type: type, Value: value }, Count: counts[type] ?? 0 };
}

// https://docs.aws.amazon.com/Route53/latest/APIReference/API_GetHostedZoneLimit.html
// The stand-in's zones are public, and MAX_VPCS_ASSOCIATED_BY_ZONE concerns private zones only:
// "HostedZoneNotPrivate: The specified hosted zone is a public hosted zone".
/** GetHostedZoneLimit for a public zone holding `records` records. */
export function hostedZoneLimit(
  quotas: Route53Quotas,
  input: GetHostedZoneLimitCommandInput,
  records: number,
) {
  const type = String(input.Type);
  if (type === 'MAX_VPCS_ASSOCIATED_BY_ZONE')
    throw new HostedZoneNotPrivate({
      ...meta,
      message: 'The specified hosted zone is a public hosted zone.',
    });
  if (type !== 'MAX_RRSETS_BY_ZONE')
    throw new InvalidInput({ ...meta, message: `Invalid value for parameter Type: ${type}` });
  return { ...meta, Limit: { Type: type, Value: quotas.recordsPerZone }, Count: records };
}
