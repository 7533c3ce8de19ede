import type { Route53StandIn } from '../../local/route53-stand-in.ts';
import { ZONE_ID } from './reference-model.ts';

// What Route 53 answers for a chain's name, worked out here from the records and check health the
// Route 53 stand-in holds, by the documented rules alone (Route 53 Developer Guide, "How Amazon
// Route 53 chooses records when health checking is configured": a record without a health check is
// healthy; a failover pair answers its primary when healthy, else its secondary when healthy, else
// the primary; a CNAME to a name in the same zone is followed). Written apart from the system's own
// answer model so that a mistake there cannot hide here.

/** Route 53's answer for a chain: the tier its CNAMEs end on, or why there is none. */
export type Served =
  | { kind: 'tier'; tier: string; target: string }
  | { kind: 'none' }
  /** A record uses a health check that no longer exists: Route 53 calls its health unpredictable. */
  | { kind: 'unpredictable' };

interface RecordSet {
  Name: string;
  Type: string;
  Failover?: string;
  HealthCheckId?: string;
  ResourceRecords?: { Value: string }[];
}

const bare = (name: string) => name.replace(/\.$/, '').toLowerCase();

/** Route 53's answer for `name` in the model's zone. */
export function servedBy(route53: Route53StandIn, name: string): Served {
  const records = route53.records(ZONE_ID) as RecordSet[];
  const healthy = (record: RecordSet): boolean | undefined => {
    if (record.HealthCheckId === undefined) return true;
    if (!route53.healthChecks.has(record.HealthCheckId)) return undefined;
    return !route53.unhealthy.has(record.HealthCheckId);
  };
  let current = bare(name);
  for (let hop = 0; hop < 16; hop++) {
    const group = records.filter((r) => bare(r.Name) === current && r.Type === 'CNAME');
    if (group.length === 0) return { kind: 'none' };
    let chosen: RecordSet | undefined;
    if (group.length === 1) chosen = group[0];
    else {
      const primary = group.find((r) => r.Failover === 'PRIMARY');
      const secondary = group.find((r) => r.Failover === 'SECONDARY');
      if (!primary || !secondary || group.length !== 2) return { kind: 'unpredictable' };
      const [p, s] = [healthy(primary), healthy(secondary)];
      if (p === undefined || s === undefined) return { kind: 'unpredictable' };
      chosen = p ? primary : s ? secondary : primary;
    }
    if (healthy(chosen!) === undefined && group.length === 1) return { kind: 'unpredictable' };
    const value = bare(chosen!.ResourceRecords?.[0]?.Value ?? '');
    if (records.some((r) => bare(r.Name) === value)) {
      current = value;
      continue;
    }
    const match = /^([a-z])\.e\d\.example\.net$/.exec(value);
    return match ? { kind: 'tier', tier: match[1]!, target: value } : { kind: 'none' };
  }
  return { kind: 'unpredictable' };
}
