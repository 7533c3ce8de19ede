import type { HealthCheckConfig } from './route53-types.ts';

// `chains import --manage-health-checks`: the settings of a hand-made health check, written as
// the row's `healthCheck` so the system creates its own check with them and takes over.

const MANAGEABLE = new Set(['HTTP', 'HTTPS', 'HTTP_STR_MATCH', 'HTTPS_STR_MATCH', 'TCP']);

/** A hand-made check's settings as a row's managed `healthCheck`, or why a chain cannot manage it. */
export function healthCheckRowOf(
  config: HealthCheckConfig,
): { ok: true; row: Record<string, unknown> } | { ok: false; reason: string } {
  if (!MANAGEABLE.has(config.Type)) {
    return { ok: false, reason: `its type ${config.Type} is not one a chain manages; keep it as { "id" }` };
  }
  if (config.Inverted === true) return { ok: false, reason: 'it is inverted; keep it as { "id" }' };
  if (config.Disabled === true) return { ok: false, reason: 'it is disabled; keep it as { "id" }' };
  const https = config.Type.startsWith('HTTPS');
  const row: Record<string, unknown> = { type: config.Type };
  if (config.IPAddress !== undefined) row.ip = config.IPAddress;
  if (config.FullyQualifiedDomainName !== undefined) row.domainName = config.FullyQualifiedDomainName;
  if (config.Port !== undefined) row.port = config.Port;
  if (config.Type !== 'TCP' && config.ResourcePath !== undefined) row.path = config.ResourcePath;
  if (config.SearchString !== undefined) row.searchString = config.SearchString;
  if (config.RequestInterval !== undefined) row.requestInterval = config.RequestInterval;
  if (config.FailureThreshold !== undefined) row.failureThreshold = config.FailureThreshold;
  if (config.Regions !== undefined && config.Regions.length > 0) row.regions = [...config.Regions];
  if (https && config.EnableSNI !== undefined) row.enableSni = config.EnableSNI;
  return { ok: true, row };
}
