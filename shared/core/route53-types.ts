// Route 53's own wire shapes, declared here so the pure core can speak them without the SDK.
// Field names match the API, so `chains plan` prints what ChangeResourceRecordSets takes.

/** Record types a chain can serve. */
export type ChainRecordType = 'CNAME' | 'A' | 'AAAA';

/** Route 53 ResourceRecordSet, limited to the fields failover chains use or must respect. */
export interface ResourceRecordSet {
  Name: string;
  Type: string;
  SetIdentifier?: string;
  Failover?: 'PRIMARY' | 'SECONDARY';
  TTL?: number;
  ResourceRecords?: { Value: string }[];
  AliasTarget?: AliasTarget;
  HealthCheckId?: string;
  Weight?: number;
  Region?: string;
}

/** Route 53 AliasTarget. */
export interface AliasTarget {
  HostedZoneId: string;
  DNSName: string;
  EvaluateTargetHealth: boolean;
}

/** Route 53 Change. */
export interface RecordChange {
  Action: 'CREATE' | 'DELETE' | 'UPSERT';
  ResourceRecordSet: ResourceRecordSet;
}

/** Health check types a chain may ask for (calculated and CloudWatch-metric checks are out of scope). */
export type HealthCheckType = 'HTTP' | 'HTTPS' | 'HTTP_STR_MATCH' | 'HTTPS_STR_MATCH' | 'TCP';

/** Route 53 HealthCheckConfig as CreateHealthCheck takes it. */
export interface HealthCheckConfig {
  Type: HealthCheckType;
  IPAddress?: string;
  Port?: number;
  ResourcePath?: string;
  FullyQualifiedDomainName?: string;
  SearchString?: string;
  RequestInterval?: number;
  FailureThreshold?: number;
  Regions?: string[];
  EnableSNI?: boolean;
  MeasureLatency?: boolean;
  Inverted?: boolean;
  Disabled?: boolean;
}

/** Regions Route 53 health checkers run in (HealthCheckRegion in the API). */
export const HEALTH_CHECK_REGIONS = [
  'us-east-1',
  'us-west-1',
  'us-west-2',
  'eu-west-1',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-northeast-1',
  'sa-east-1',
] as const;

/** CloudFront's fixed alias hosted zone id; such targets cannot evaluate target health. */
export const CLOUDFRONT_HOSTED_ZONE_ID = 'Z2FDTNDATAQYW2';
