import { toFqdn } from './dns-name.ts';
import type { AliasTarget, ResourceRecordSet } from './route53-types.ts';

// What Route 53 answers for a name, given which health checks are healthy. The rules follow
// the Route 53 Developer Guide:
// - "How Amazon Route 53 chooses records when health checking is configured"
//   https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/health-checks-how-route-53-chooses-records.html
//   A record without a health check is always healthy; when every record of a group is
//   unhealthy, Route 53 answers as if all were healthy.
// - "Active-passive failover" and "How health checks work in complex configurations"
//   https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-types.html
//   https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-complex-configs.html
//   Primary healthy -> primary; primary unhealthy and secondary healthy -> secondary; secondary
//   unhealthy -> primary, whatever its health. An alias with EvaluateTargetHealth is healthy
//   when the branch it points to holds a healthy record.
// - "Choosing between alias and non-alias records": an alias answers with its target's records;
//   Route 53 follows a CNAME whose target is in the same hosted zone.

/** Health of alias targets outside the zone (ELB, API Gateway, ...); they count as healthy by default. */
export interface AnswerOptions {
  aliasTargetHealthy?: (target: AliasTarget) => boolean;
}

/** Route 53's answer: the records it followed, and the final values. */
export interface Answer {
  /** NXDOMAIN when the name has no records at all in the zone. */
  rcode: 'NOERROR' | 'NXDOMAIN';
  /** The records Route 53 chose, in the order it followed them (CNAMEs and aliases included). */
  path: ResourceRecordSet[];
  /** Final record type and values; for a CNAME that leaves the zone, its target. */
  type: string;
  values: string[];
  /** Set when the answer is an alias to an AWS resource outside the zone. */
  externalAlias?: string;
}

const MAX_DEPTH = 24;

/** Compute Route 53's answer to a query for `name`/`type` over one zone's records. */
export function answer(
  records: readonly ResourceRecordSet[],
  healthyHealthCheckIds: ReadonlySet<string>,
  name: string,
  type: string,
  options: AnswerOptions = {},
): Answer {
  const byName = new Map<string, ResourceRecordSet[]>();
  for (const record of records) {
    const key = toFqdn(record.Name);
    byName.set(key, [...(byName.get(key) ?? []), record]);
  }

  const groupFor = (queryName: string, queryType: string): ResourceRecordSet[] => {
    const atName = byName.get(toFqdn(queryName)) ?? [];
    const exact = atName.filter((record) => record.Type === queryType);
    return exact.length > 0 ? exact : atName.filter((record) => record.Type === 'CNAME');
  };

  const isHealthy = (record: ResourceRecordSet, depth: number): boolean => {
    if (record.HealthCheckId !== undefined && !healthyHealthCheckIds.has(record.HealthCheckId)) return false;
    const alias = record.AliasTarget;
    if (!alias?.EvaluateTargetHealth) return true;
    if (!byName.has(toFqdn(alias.DNSName))) return options.aliasTargetHealthy?.(alias) ?? true;
    if (depth > MAX_DEPTH) return false;
    return groupFor(alias.DNSName, record.Type).some((target) => isHealthy(target, depth + 1));
  };

  const choose = (group: ResourceRecordSet[], depth: number): ResourceRecordSet => {
    const primary = group.find((record) => record.Failover === 'PRIMARY');
    const secondary = group.find((record) => record.Failover === 'SECONDARY');
    if (!primary || !secondary) return (primary ?? secondary ?? group[0])!;
    if (isHealthy(primary, depth)) return primary;
    return isHealthy(secondary, depth) ? secondary : primary;
  };

  const path: ResourceRecordSet[] = [];
  let queryName = name;
  let queryType = type;
  for (let depth = 0; depth < MAX_DEPTH; depth++) {
    const group = groupFor(queryName, queryType);
    if (group.length === 0) {
      const rcode = path.length === 0 && !byName.has(toFqdn(queryName)) ? 'NXDOMAIN' : 'NOERROR';
      return { rcode, path, type: queryType, values: [] };
    }
    const chosen = choose(group, depth);
    path.push(chosen);
    if (chosen.AliasTarget) {
      if (!byName.has(toFqdn(chosen.AliasTarget.DNSName))) {
        return {
          rcode: 'NOERROR',
          path,
          type: chosen.Type,
          values: [],
          externalAlias: toFqdn(chosen.AliasTarget.DNSName),
        };
      }
      queryName = chosen.AliasTarget.DNSName;
      queryType = chosen.Type;
      continue;
    }
    const values = (chosen.ResourceRecords ?? []).map((record) => record.Value);
    if (
      chosen.Type === 'CNAME' &&
      type !== 'CNAME' &&
      values[0] !== undefined &&
      byName.has(toFqdn(values[0]))
    ) {
      queryName = values[0];
      continue;
    }
    return { rcode: 'NOERROR', path, type: chosen.Type, values };
  }
  throw new Error(`answer: more than ${MAX_DEPTH} steps resolving ${name}: the records form a loop`);
}
