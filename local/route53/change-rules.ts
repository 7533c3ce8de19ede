import type { Change, ResourceRecordSet } from '@aws-sdk/client-route-53';
import { toFqdn } from '../../shared/core/dns-name.ts';
import type { ZoneView } from './zone-index.ts';
import { zoneIdOf } from './zone-id.ts';

/** A hosted zone as the stand-in keeps it. */
export interface Zone {
  id: string;
  name: string;
  records: ResourceRecordSet[];
}

// "Maximum number of ResourceRecord elements in a request: 1,000" and "maximum number of
// characters in a request: 32,000", where "if a request includes an UPSERT action, the values
// of ResourceRecord elements and the characters in Value elements are counted twice".
// https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/DNSLimitations.html#limits-api-requests-changeresourcerecordsets
const MAX_RECORD_VALUES = 1000;
const MAX_VALUE_CHARACTERS = 32_000;

/** Why a change batch exceeds Route 53's per-request limits (empty when it fits). */
export function batchLimitProblems(changes: readonly Change[]): string[] {
  let values = 0;
  let characters = 0;
  for (const change of changes) {
    const weight = change.Action === 'UPSERT' ? 2 : 1;
    for (const record of change.ResourceRecordSet?.ResourceRecords ?? []) {
      values += weight;
      characters += weight * (record.Value ?? '').length;
    }
  }
  const problems: string[] = [];
  if (values > MAX_RECORD_VALUES) {
    problems.push(
      `Number of records limit of ${MAX_RECORD_VALUES} exceeded: the request counts ${values} ResourceRecord elements (UPSERT counts twice)`,
    );
  }
  if (characters > MAX_VALUE_CHARACTERS) {
    problems.push(
      `Maximum character limit of ${MAX_VALUE_CHARACTERS} exceeded: the request counts ${characters} characters of values (UPSERT counts twice)`,
    );
  }
  return problems;
}

/** The rules a zone must satisfy after a batch, checked at the names the batch touched. */
export function zoneRuleProblems(
  zone: Pick<Zone, 'id' | 'name'>,
  after: ZoneView,
  touched: string[],
  checkExists: (id: string) => boolean,
): string[] {
  const errors: string[] = [];
  const exists = (name: string, type: string | undefined) => after.at(name).some((r) => r.Type === type);
  for (const name of new Set(touched)) {
    const atName = after.at(name);
    if (atName.some((r) => r.Type === 'CNAME')) {
      if (name === zone.name)
        errors.push(`RRSet of type CNAME with DNS name ${name} is not permitted at the zone apex`);
      if (atName.some((r) => r.Type !== 'CNAME')) {
        errors.push(
          `RRSet of type CNAME with DNS name ${name} is not permitted as it conflicts with other records with the same DNS name in zone ${zone.name}`,
        );
      }
    }
    for (const type of new Set(atName.map((r) => r.Type))) errors.push(...groupProblems(name, type, atName));
    for (const record of atName) errors.push(...recordProblems(zone, record, exists, checkExists));
  }
  // An alias elsewhere in the zone may point at a record this batch deleted.
  for (const target of new Set(touched)) {
    for (const record of after.aliasesTo(target)) {
      if (zoneIdOf(record.AliasTarget?.HostedZoneId) !== zone.id) continue;
      if (!exists(target, record.Type))
        errors.push(`${describe(record)} would alias ${target}, which this batch removes`);
    }
  }
  return [...new Set(errors)];
}

function groupProblems(
  name: string,
  type: string | undefined,
  atName: readonly ResourceRecordSet[],
): string[] {
  const errors: string[] = [];
  const group = atName.filter((r) => r.Type === type);
  const failover = group.filter((r) => r.Failover);
  if (failover.length > 0 && failover.length !== group.length)
    errors.push(`RRSet with DNS name ${name}, type ${type} cannot mix failover and non-failover records`);
  if (group.filter((r) => !r.SetIdentifier).length > 1) errors.push(`Duplicate RRSet ${name} ${type}`);
  for (const role of ['PRIMARY', 'SECONDARY']) {
    if (group.filter((r) => r.Failover === role).length > 1)
      errors.push(`RRSet with DNS name ${name}, type ${type} cannot have two ${role} failover records`);
  }
  return errors;
}

function recordProblems(
  zone: Pick<Zone, 'id' | 'name'>,
  record: ResourceRecordSet,
  exists: (name: string, type: string | undefined) => boolean,
  checkExists: (id: string) => boolean,
): string[] {
  const errors: string[] = [];
  const label = describe(record);
  if (record.Failover === 'PRIMARY' && !record.AliasTarget && !record.HealthCheckId)
    errors.push(`A non-alias primary ResourceRecordSet must have an associated health check: ${label}`);
  if (record.HealthCheckId && !checkExists(record.HealthCheckId))
    errors.push(`${label} refers to health check ${record.HealthCheckId}, which does not exist`);
  const alias = record.AliasTarget;
  if (alias && zoneIdOf(alias.HostedZoneId) === zone.id) {
    const target = toFqdn(alias.DNSName!);
    if (!exists(target, record.Type)) {
      errors.push(
        `Tried to create an alias that targets ${target}, type ${record.Type} in zone ${zone.id}, but the alias target name does not lie within the target zone`,
      );
    }
  }
  if (!record.AliasTarget && (record.ResourceRecords ?? []).length === 0)
    errors.push(`${label} has no values`);
  return errors;
}

/** A record set as Route 53 names it in error messages. */
export function describe(record: ResourceRecordSet): string {
  const id = record.SetIdentifier ? `, set-identifier='${record.SetIdentifier}'` : '';
  return `[name='${record.Name ?? ''}', type='${record.Type ?? ''}'${id}]`;
}
