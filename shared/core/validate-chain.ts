import type * as z from 'zod/mini';
import { CHAIN_DEFAULTS, type Chain, type Tier, type TierHealthCheck, type TierTarget } from './chain.ts';
import { readAdoptList } from './adopt-records.ts';
import {
  aliasTargetSchema,
  chainRowSchema,
  existingHealthCheckSchema,
  isPlainObject,
  managedHealthCheckSchema,
  type ManagedHealthCheckRow,
} from './chain-schema.ts';
import { hostnameProblem, normalizeName } from './dns-name.ts';
import { canonicalIp, ipFamily, reservedRange } from './ip-address.ts';
import { CLOUDFRONT_HOSTED_ZONE_ID, type ChainRecordType, type HealthCheckConfig } from './route53-types.ts';
import { recordLimitErrors } from './record-limits.ts';
import { checkChainRules, checkControls, Errors, type Path } from './chain-rules.ts';
import { describeValue, formatPath, type ValidationError } from './validation-error.ts';

/** What validation may allow beyond Route 53's own rules. */
export interface ValidateOptions {
  /** Local mode only: let health checks probe loopback and private addresses. */
  allowReservedAddresses?: boolean;
}

/** Either a chain ready to plan, or every reason the row was rejected. */
export type ValidationResult = { ok: true; chain: Chain } | { ok: false; errors: ValidationError[] };

/**
 * Turn an untrusted row (plain attributes) into a valid, normalised chain, or list every
 * error with its field path. Nothing here looks at AWS: zone checks happen in reconcile.
 */
export function validateChain(row: unknown, options: ValidateOptions = {}): ValidationResult {
  const errs = new Errors();
  const errors = errs.errors;
  const parsed = parse(chainRowSchema, row, [], errors);

  // Targets and health checks are read even when other fields failed, so one run shows every error.
  const raw = isPlainObject(row) ? row : {};
  const recordType = parsed?.recordType ?? asRecordType(raw.recordType);
  const rawTiers = Array.isArray(raw.tiers) ? raw.tiers : [];
  const tiers: (Tier | undefined)[] = rawTiers.map((rawTier, index) =>
    isPlainObject(rawTier) && recordType ? readTier(rawTier, index, recordType, options, errs) : undefined,
  );

  if (!parsed || errors.length > 0) return { ok: false, errors };

  const name = normalizeName(parsed.name);
  const nameProblem = hostnameProblem(name);
  if (nameProblem) errs.add(['name'], nameProblem);
  const hostedZoneId = normalizeZoneId(parsed.hostedZoneId);
  if (!isHostedZoneId(hostedZoneId)) {
    errs.add(
      ['hostedZoneId'],
      `must be a Route 53 hosted zone id such as Z0123456789EXAMPLE (got ${describeValue(parsed.hostedZoneId)})`,
    );
  }
  if (errors.length > 0) return { ok: false, errors };

  const chain: Chain = {
    name,
    hostedZoneId,
    recordType: parsed.recordType,
    ttl: parsed.ttl ?? CHAIN_DEFAULTS.ttl,
    tiers: tiers.filter((tier): tier is Tier => tier !== undefined),
    drain: [...new Set(parsed.drain ?? [])],
    ...(parsed.pin === undefined ? {} : { pin: parsed.pin }),
    failback: parsed.failback ?? 'auto',
    force: parsed.force ?? false,
    ...(parsed.shared === false ? { shared: false as const } : {}),
    ...(parsed.changedBy === undefined ? {} : { changedBy: parsed.changedBy }),
    ...(parsed.adopt === undefined || parsed.adopt.length === 0
      ? {}
      : { adopt: readAdoptList(parsed.adopt, errors) }),
  };
  checkChainRules(chain, errs);
  checkControls(chain, errs);
  errors.push(...recordLimitErrors(chain));
  return errors.length > 0 ? { ok: false, errors } : { ok: true, chain };
}

/**
 * True for a normalised id shaped like a Route 53 hosted zone id: the only kind worth asking
 * Route 53 about (it refuses ids over 32 characters with InvalidInput, which no retry cures).
 */
export function isHostedZoneId(id: string): boolean {
  return /^Z[A-Z0-9]{1,31}$/.test(id);
}

/** Accept `Z123`, `/hostedzone/Z123` (as the API returns ids) and lower-case input. */
export function normalizeZoneId(id: string): string {
  return id
    .trim()
    .replace(/^\/?hostedzone\//i, '')
    .toUpperCase();
}

function readTier(
  raw: Record<string, unknown>,
  index: number,
  recordType: ChainRecordType,
  options: ValidateOptions,
  errs: Errors,
): Tier | undefined {
  const base: Path = ['tiers', index];
  const before = errs.errors.length;
  if (raw.target === undefined) errs.add([...base, 'target'], 'is required');
  const target =
    raw.target === undefined ? undefined : readTarget(raw.target, [...base, 'target'], recordType, errs);
  const healthCheck =
    raw.healthCheck === undefined
      ? undefined
      : readHealthCheck(raw.healthCheck, [...base, 'healthCheck'], target, options, errs);
  if (errs.errors.length > before || !target || typeof raw.id !== 'string') return undefined;
  return healthCheck ? { id: raw.id, target, healthCheck } : { id: raw.id, target };
}

function readTarget(
  raw: unknown,
  path: Path,
  recordType: ChainRecordType,
  errs: Errors,
): TierTarget | undefined {
  if (recordType === 'CNAME') {
    if (typeof raw !== 'string' || ipFamily(raw) !== undefined) {
      errs.add(
        path,
        `must be a host name for recordType CNAME (got ${describeValue(raw)}); use recordType A or AAAA for IP addresses or alias targets`,
      );
      return undefined;
    }
    const hostname = normalizeName(raw);
    const problem = hostnameProblem(hostname);
    if (problem) errs.add(path, `must be a host name: ${problem}`);
    return problem ? undefined : { kind: 'hostname', hostname };
  }

  const family = recordType === 'A' ? 4 : 6;
  if (isPlainObject(raw)) {
    const alias = parse(aliasTargetSchema, raw, path, errs.errors)?.alias;
    if (!alias) return undefined;
    const dnsName = normalizeName(alias.dnsName);
    const problem = hostnameProblem(dnsName);
    if (problem) errs.add([...path, 'alias', 'dnsName'], `must be a host name: ${problem}`);
    const hostedZoneId = normalizeZoneId(alias.hostedZoneId);
    if (!isHostedZoneId(hostedZoneId)) {
      errs.add(
        [...path, 'alias', 'hostedZoneId'],
        `must be a hosted zone id (got ${describeValue(alias.hostedZoneId)})`,
      );
    }
    const cloudFront = hostedZoneId === CLOUDFRONT_HOSTED_ZONE_ID;
    if (cloudFront && alias.evaluateTargetHealth === true) {
      errs.add(
        [...path, 'alias', 'evaluateTargetHealth'],
        'must be false for a CloudFront target (Route 53 cannot evaluate CloudFront health); give the tier a healthCheck instead',
      );
    }
    if (problem) return undefined;
    return {
      kind: 'alias',
      alias: {
        DNSName: dnsName,
        HostedZoneId: hostedZoneId,
        EvaluateTargetHealth: alias.evaluateTargetHealth ?? !cloudFront,
      },
    };
  }

  const values = typeof raw === 'string' ? [raw] : Array.isArray(raw) ? raw : undefined;
  const allowed = `an IPv${family} address, a list of them, or { "alias": { "dnsName", "hostedZoneId" } }`;
  if (!values || values.length === 0 || values.length > 100) {
    errs.add(path, `must be ${allowed} for recordType ${recordType} (got ${describeValue(raw)})`);
    return undefined;
  }
  const ips: string[] = [];
  values.forEach((value: unknown, i) => {
    const at = typeof raw === 'string' ? path : [...path, i];
    if (typeof value !== 'string' || ipFamily(value) === undefined) {
      errs.add(at, `must be ${allowed} (got ${describeValue(value)})`);
    } else if (ipFamily(value) !== family) {
      errs.add(
        at,
        `must be an IPv${family} address for recordType ${recordType} (got ${describeValue(value)})`,
      );
    } else if (ips.includes(canonicalIp(value))) {
      errs.add(at, `repeats ${describeValue(value)}; list each address once`);
    } else {
      ips.push(canonicalIp(value));
    }
  });
  return ips.length === values.length ? { kind: 'ips', ips } : undefined;
}

function readHealthCheck(
  raw: unknown,
  path: Path,
  target: TierTarget | undefined,
  options: ValidateOptions,
  errs: Errors,
): TierHealthCheck | undefined {
  if (isPlainObject(raw) && 'id' in raw) {
    const existing = parse(existingHealthCheckSchema, raw, path, errs.errors);
    return existing ? { kind: 'existing', id: existing.id } : undefined;
  }
  const spec = parse(managedHealthCheckSchema, raw, path, errs.errors);
  if (!spec) return undefined;
  const config = toHealthCheckConfig(spec, path, target, options, errs);
  return config ? { kind: 'managed', config } : undefined;
}

function toHealthCheckConfig(
  spec: ManagedHealthCheckRow,
  path: Path,
  target: TierTarget | undefined,
  options: ValidateOptions,
  errs: Errors,
): HealthCheckConfig | undefined {
  const before = errs.errors.length;
  const strMatch = spec.type.endsWith('_STR_MATCH');
  const https = spec.type.startsWith('HTTPS');
  const tcp = spec.type === 'TCP';

  if (strMatch && spec.searchString === undefined) {
    errs.add(
      [...path, 'searchString'],
      `is required for type ${spec.type} (the text the response must contain)`,
    );
  }
  if (!strMatch && spec.searchString !== undefined) {
    errs.add(
      [...path, 'searchString'],
      `is only allowed for HTTP_STR_MATCH and HTTPS_STR_MATCH (type is ${spec.type})`,
    );
  }
  if (tcp && spec.path !== undefined) errs.add([...path, 'path'], 'is not allowed for type TCP');
  if (tcp && spec.port === undefined)
    errs.add([...path, 'port'], 'is required for type TCP (an integer from 1 to 65535)');
  if (!https && spec.enableSni !== undefined) {
    errs.add([...path, 'enableSni'], `is only allowed for HTTPS and HTTPS_STR_MATCH (type is ${spec.type})`);
  }

  let ip = spec.ip;
  let domainName = spec.domainName === undefined ? undefined : normalizeName(spec.domainName);
  if (ip === undefined && domainName === undefined) {
    // Probe the tier's own target when the row does not say where: what a user expects.
    if (target?.kind === 'hostname') domainName = target.hostname;
    else if (target?.kind === 'ips' && target.ips.length === 1) ip = target.ips[0];
    else if (target) {
      errs.add(path, 'needs ip or domainName: the tier target is not a single host name or address to probe');
    }
  }
  if (ip !== undefined) {
    const at = spec.ip === undefined ? path : [...path, 'ip'];
    if (ipFamily(ip) === undefined) {
      errs.add(at, `must be an IPv4 or IPv6 address (got ${describeValue(ip)})`);
    } else {
      const range = reservedRange(ip);
      if (range && !options.allowReservedAddresses) {
        errs.add(
          at,
          `must be a public address: ${ip} is in a ${range} range, which Route 53 health checkers cannot reach`,
        );
      }
      ip = canonicalIp(ip);
    }
  }
  if (domainName !== undefined) {
    const problem = hostnameProblem(domainName);
    if (problem) errs.add([...path, 'domainName'], `must be a host name: ${problem}`);
  }
  if (errs.errors.length > before) return undefined;

  const config: HealthCheckConfig = {
    Type: spec.type,
    ...(ip === undefined ? {} : { IPAddress: ip }),
    Port: spec.port ?? (https ? CHAIN_DEFAULTS.httpsPort : CHAIN_DEFAULTS.httpPort),
    ...(tcp ? {} : { ResourcePath: spec.path ?? CHAIN_DEFAULTS.path }),
    ...(domainName === undefined ? {} : { FullyQualifiedDomainName: domainName }),
    ...(spec.searchString === undefined ? {} : { SearchString: spec.searchString }),
    RequestInterval: spec.requestInterval ?? CHAIN_DEFAULTS.requestInterval,
    FailureThreshold: spec.failureThreshold ?? CHAIN_DEFAULTS.failureThreshold,
    ...(spec.regions === undefined ? {} : { Regions: [...spec.regions] }),
    ...(https ? { EnableSNI: spec.enableSni ?? true } : {}),
  };
  return config;
}

/** Run a schema and turn its issues into path-named errors; undefined when it failed. */
function parse<T extends z.ZodMiniType>(
  schema: T,
  value: unknown,
  base: Path,
  errors: ValidationError[],
): z.infer<T> | undefined {
  const result = schema.safeParse(value, { reportInput: true });
  if (result.success) return result.data;
  for (const issue of result.error.issues) {
    const path = [...base, ...(issue.path as Path)];
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) errors.push({ path: formatPath([...path, key]), message: issue.message });
      continue;
    }
    const input: unknown = 'input' in issue ? issue.input : undefined;
    const message =
      input === undefined
        ? issue.code === 'invalid_type'
          ? `is required: ${issue.message}`
          : issue.message
        : `${issue.message} (got ${describeValue(input)})`;
    // One value can fail two checks with one message (1e+125 is neither a safe integer nor in range).
    const at = formatPath(path);
    if (!errors.some((error) => error.path === at && error.message === message))
      errors.push({ path: at, message });
  }
  return undefined;
}

function asRecordType(value: unknown): ChainRecordType | undefined {
  return value === 'CNAME' || value === 'A' || value === 'AAAA' ? value : undefined;
}
