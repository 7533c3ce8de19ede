import { z } from 'zod';
import type { ResourceRecordSet } from '../shared/core/route53-types.ts';
import { formatPath } from '../shared/core/validation-error.ts';
import { UsageError } from './usage-error.ts';

// The fields of a ResourceRecordSet the diff reads; others (Weight, GeoLocation...) pass through.
const record = z.looseObject({
  Name: z.string().min(1),
  Type: z.string().min(1),
  SetIdentifier: z.string().optional(),
  Failover: z.enum(['PRIMARY', 'SECONDARY']).optional(),
  TTL: z.number().int().nonnegative().optional(),
  ResourceRecords: z.array(z.looseObject({ Value: z.string() })).optional(),
  AliasTarget: z
    .looseObject({ HostedZoneId: z.string(), DNSName: z.string(), EvaluateTargetHealth: z.boolean() })
    .optional(),
  HealthCheckId: z.string().optional(),
});
const listing = z.union([z.looseObject({ ResourceRecordSets: z.array(record) }), z.array(record)]);

/** The records of a ListResourceRecordSets result (or a bare list of them), checked field by field. */
export function parseObservedRecords(value: unknown, source: string): ResourceRecordSet[] {
  if (typeof value !== 'object' || value === null) {
    throw new UsageError(
      `--observed ${source}: holds ${value === null ? 'null' : `a ${typeof value}`}; expected a ListResourceRecordSets result ({ "ResourceRecordSets": [...] })`,
    );
  }
  const result = listing.safeParse(value);
  if (result.success) {
    return Array.isArray(result.data) ? result.data : result.data.ResourceRecordSets;
  }
  // Report against the shape the file seems to use: a list, or an object with ResourceRecordSets.
  const shaped = Array.isArray(value)
    ? z.array(record)
    : z.looseObject({ ResourceRecordSets: z.array(record) });
  const issues = shaped.safeParse(value).error?.issues ?? result.error.issues;
  const first = issues[0]!;
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
  const path = first.path.length > 0 ? `${formatPath(first.path)}: ` : '';
  throw new UsageError(`--observed ${source}: ${path}${first.message}${more}`);
}
