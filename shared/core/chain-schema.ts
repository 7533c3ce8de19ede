import * as z from 'zod/mini';
import { CHAIN_LIMITS } from './chain.ts';
import { HEALTH_CHECK_REGIONS } from './route53-types.ts';

// Structural schemas for a chain row. Messages say what is allowed; the validator adds the
// path and the rejected value. Targets and health checks depend on other fields, so their
// shape is checked here and their meaning in validate-chain.ts. zod/mini keeps the Lambda
// bundles small: they load this on every cold start.

/**
 * A map as a row holds it: a plain object. A string, number or binary set, binary data or a
 * number kept as text (StoredNumber) is an object to JavaScript, but not a map in the row.
 */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function strict<T extends z.core.$ZodLooseShape>(shape: T) {
  const allowed = Object.keys(shape).join(', ');
  // zod reads any object as a map (a Set as one without fields, binary as fields 0, 1, ...):
  // only a plain object gets as far as its fields.
  return z.pipe(
    z.custom<Record<string, unknown>>(isPlainObject, { error: 'must be an object' }),
    z.strictObject(shape, {
      error: (issue) =>
        issue.code === 'unrecognized_keys'
          ? `unknown field; allowed fields are ${allowed}`
          : 'must be an object',
    }),
  );
}

function intRange(min: number, max: number) {
  const error = `must be an integer from ${min} to ${max}`;
  return z.int({ error }).check(z.minimum(min, { error }), z.maximum(max, { error }));
}

const text = (what: string) => z.string({ error: `must be ${what}` });

function boundedText(what: string, max: number, prefix?: string) {
  const error = `must be ${what}`;
  return z
    .string({ error })
    .check(
      z.minLength(1, { error }),
      z.maxLength(max, { error }),
      ...(prefix ? [z.startsWith(prefix, { error })] : []),
    );
}

/** A tier id: short, lower case, usable in set identifiers, tags and alarm names. */
export const tierIdSchema = z.string({ error: 'must be a string' }).check(
  z.regex(/^[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?$/, {
    error: 'must be 1 to 32 lower-case letters, digits or hyphens, not starting or ending with a hyphen',
  }),
);

/** A health check the system creates and manages from these settings. */
export const managedHealthCheckSchema = strict({
  type: z.enum(['HTTP', 'HTTPS', 'HTTP_STR_MATCH', 'HTTPS_STR_MATCH', 'TCP'], {
    error: 'must be one of HTTP, HTTPS, HTTP_STR_MATCH, HTTPS_STR_MATCH, TCP',
  }),
  ip: z.optional(text('an IPv4 or IPv6 address')),
  domainName: z.optional(text('a host name')),
  port: z.optional(intRange(1, 65535)),
  path: z.optional(boundedText('a path of 1 to 255 characters starting with /', 255, '/')),
  searchString: z.optional(boundedText('a string of 1 to 255 characters', 255)),
  requestInterval: z.optional(z.union([z.literal(10), z.literal(30)], { error: 'must be 10 or 30 seconds' })),
  failureThreshold: z.optional(intRange(1, 10)),
  regions: z.optional(
    z
      .array(z.enum(HEALTH_CHECK_REGIONS, { error: `must be one of ${HEALTH_CHECK_REGIONS.join(', ')}` }), {
        error: 'must be a list of at least 3 health checker regions',
      })
      .check(z.minLength(3, { error: 'must list at least 3 health checker regions' })),
  ),
  enableSni: z.optional(z.boolean({ error: 'must be true or false' })),
});

/** A health check the user already has, named by its Route 53 id; the system never changes it. */
export const existingHealthCheckSchema = strict({
  id: z
    .string({ error: 'must be a Route 53 health check id' })
    .check(
      z.regex(/^[A-Za-z0-9-]{1,64}$/, { error: 'must be a Route 53 health check id such as 1b2c3d4e-...' }),
    ),
});

/** An AWS alias target: an AWS resource (ELB, CloudFront, S3 website, ...) or another record. */
export const aliasTargetSchema = strict({
  alias: strict({
    dnsName: text('the alias target DNS name'),
    hostedZoneId: text("the alias target's hosted zone id"),
    evaluateTargetHealth: z.optional(z.boolean({ error: 'must be true or false' })),
  }),
});

/**
 * One tier; `target` and `healthCheck` are checked against the chain's record type afterwards
 * (a missing target too, so it is reported once).
 */
export const tierSchema = strict({
  id: tierIdSchema,
  target: z.optional(z.unknown()),
  healthCheck: z.optional(z.unknown()),
});

/** The key of a hand-made record an imported chain may take over (see `adopt` in the README). */
export const adoptedRecordSchema = strict({
  name: text('the record name'),
  type: z.enum(['CNAME', 'A', 'AAAA'], { error: 'must be one of CNAME, A, AAAA' }),
  setIdentifier: z.optional(boundedText('a set identifier of 1 to 128 characters', 128)),
});

const tierCount = `must have from ${CHAIN_LIMITS.minTiers} to ${CHAIN_LIMITS.maxTiers} tiers`;

/** A chain row as a person writes it (plain attributes). */
export const chainRowSchema = strict({
  name: text('the DNS name clients use, such as site.example.com'),
  hostedZoneId: text('a Route 53 hosted zone id such as Z0123456789EXAMPLE'),
  recordType: z.enum(['CNAME', 'A', 'AAAA'], { error: 'must be one of CNAME, A, AAAA' }),
  ttl: z.optional(intRange(0, CHAIN_LIMITS.maxTtl)),
  tiers: z
    .array(tierSchema, {
      error: `must be a list of ${CHAIN_LIMITS.minTiers} to ${CHAIN_LIMITS.maxTiers} tiers`,
    })
    .check(
      z.minLength(CHAIN_LIMITS.minTiers, { error: tierCount }),
      z.maxLength(CHAIN_LIMITS.maxTiers, { error: tierCount }),
    ),
  drain: z.optional(z.array(tierIdSchema, { error: 'must be a list of tier ids' })),
  pin: z.optional(tierIdSchema),
  failback: z.optional(z.enum(['auto', 'manual'], { error: 'must be auto or manual' })),
  force: z.optional(z.boolean({ error: 'must be true or false' })),
  shared: z.optional(z.boolean({ error: 'must be true or false' })),
  changedBy: z.optional(
    text('a short note of who changed the row').check(
      z.maxLength(128, { error: 'must be at most 128 characters' }),
    ),
  ),
  adopt: z.optional(
    z
      .array(adoptedRecordSchema, {
        error: 'must be a list of { "name", "type", "setIdentifier" } record keys',
      })
      .check(z.maxLength(32, { error: 'must list at most 32 records' })),
  ),
});

/** The row as it parsed structurally, before targets and health checks are interpreted. */
export type ChainRow = z.infer<typeof chainRowSchema>;
export type ManagedHealthCheckRow = z.infer<typeof managedHealthCheckSchema>;
