import * as z from 'zod';
import { CHAIN_LIMITS } from './chain.ts';
import { HEALTH_CHECK_REGIONS } from './route53-types.ts';

// Structural schemas for a chain row. Messages say what is allowed; the validator adds the
// path and the rejected value. Targets and health checks depend on other fields, so their
// shape is checked here and their meaning in validate-chain.ts.

function strict<T extends z.core.$ZodLooseShape>(shape: T) {
  const allowed = Object.keys(shape).join(', ');
  return z.strictObject(shape, {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `unknown field; allowed fields are ${allowed}`
        : 'must be an object',
  });
}

function intRange(min: number, max: number) {
  const error = `must be an integer from ${min} to ${max}`;
  return z.int({ error }).min(min, { error }).max(max, { error });
}

const text = (what: string) => z.string({ error: `must be ${what}` });

/** A tier id: short, lower case, usable in set identifiers, tags and alarm names. */
export const tierIdSchema = z
  .string({ error: 'must be a string' })
  .regex(/^[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?$/, {
    error: 'must be 1 to 32 lower-case letters, digits or hyphens, not starting or ending with a hyphen',
  });

/** A health check the system creates and manages from these settings. */
export const managedHealthCheckSchema = strict({
  type: z.enum(['HTTP', 'HTTPS', 'HTTP_STR_MATCH', 'HTTPS_STR_MATCH', 'TCP'], {
    error: 'must be one of HTTP, HTTPS, HTTP_STR_MATCH, HTTPS_STR_MATCH, TCP',
  }),
  ip: text('an IPv4 or IPv6 address').optional(),
  domainName: text('a host name').optional(),
  port: intRange(1, 65535).optional(),
  path: text('a path of 1 to 255 characters starting with /')
    .min(1, { error: 'must be a path of 1 to 255 characters starting with /' })
    .max(255, { error: 'must be a path of 1 to 255 characters starting with /' })
    .startsWith('/', { error: 'must be a path of 1 to 255 characters starting with /' })
    .optional(),
  searchString: text('a string of 1 to 255 characters')
    .min(1, { error: 'must be a string of 1 to 255 characters' })
    .max(255, { error: 'must be a string of 1 to 255 characters' })
    .optional(),
  requestInterval: z.union([z.literal(10), z.literal(30)], { error: 'must be 10 or 30 seconds' }).optional(),
  failureThreshold: intRange(1, 10).optional(),
  regions: z
    .array(z.enum(HEALTH_CHECK_REGIONS, { error: `must be one of ${HEALTH_CHECK_REGIONS.join(', ')}` }), {
      error: 'must be a list of at least 3 health checker regions',
    })
    .min(3, { error: 'must list at least 3 health checker regions' })
    .optional(),
  enableSni: z.boolean({ error: 'must be true or false' }).optional(),
});

/** A health check the user already has, named by its Route 53 id; the system never changes it. */
export const existingHealthCheckSchema = strict({
  id: z
    .string({ error: 'must be a Route 53 health check id' })
    .regex(/^[A-Za-z0-9-]{1,64}$/, { error: 'must be a Route 53 health check id such as 1b2c3d4e-...' }),
});

/** An AWS alias target: an AWS resource (ELB, CloudFront, S3 website, ...) or another record. */
export const aliasTargetSchema = strict({
  alias: strict({
    dnsName: text('the alias target DNS name'),
    hostedZoneId: text("the alias target's hosted zone id"),
    evaluateTargetHealth: z.boolean({ error: 'must be true or false' }).optional(),
  }),
});

/** One tier; `target` and `healthCheck` are checked against the chain's record type afterwards. */
export const tierSchema = strict({
  id: tierIdSchema,
  target: z.unknown(),
  healthCheck: z.unknown().optional(),
});

/** A chain row as a person writes it (plain attributes). */
export const chainRowSchema = strict({
  name: text('the DNS name clients use, such as site.example.com'),
  hostedZoneId: text('a Route 53 hosted zone id such as Z0123456789EXAMPLE'),
  recordType: z.enum(['CNAME', 'A', 'AAAA'], { error: 'must be one of CNAME, A, AAAA' }),
  ttl: intRange(0, CHAIN_LIMITS.maxTtl).optional(),
  tiers: z
    .array(tierSchema, {
      error: `must be a list of ${CHAIN_LIMITS.minTiers} to ${CHAIN_LIMITS.maxTiers} tiers`,
    })
    .min(CHAIN_LIMITS.minTiers, {
      error: `must have from ${CHAIN_LIMITS.minTiers} to ${CHAIN_LIMITS.maxTiers} tiers`,
    })
    .max(CHAIN_LIMITS.maxTiers, {
      error: `must have from ${CHAIN_LIMITS.minTiers} to ${CHAIN_LIMITS.maxTiers} tiers`,
    }),
  drain: z.array(tierIdSchema, { error: 'must be a list of tier ids' }).optional(),
  pin: tierIdSchema.optional(),
  failback: z.enum(['auto', 'manual'], { error: 'must be auto or manual' }).optional(),
  force: z.boolean({ error: 'must be true or false' }).optional(),
  changedBy: text('a short note of who changed the row')
    .max(128, { error: 'must be at most 128 characters' })
    .optional(),
});

/** The row as it parsed structurally, before targets and health checks are interpreted. */
export type ChainRow = z.infer<typeof chainRowSchema>;
export type ManagedHealthCheckRow = z.infer<typeof managedHealthCheckSchema>;
