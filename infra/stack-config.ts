import { z } from 'zod';
import { DEFAULT_OWNER_ID, OWNER_ID_PATTERN } from '../shared/core/set-identifier.ts';

/** Deployment settings, from `-c key=value` or cdk.json context; validated before anything is built. */
export interface StackConfig {
  /** Hosted zones the system may change (required): the IAM policy is scoped to them. */
  readonly hostedZoneIds: readonly string[];
  /** If set, chain names must end with one of these; also narrows the IAM policy. */
  readonly allowedNameSuffixes: readonly string[];
  /** Marks what this deployment owns; two deployments may share a zone with different ids. Default `default`. */
  readonly ownerId: string;
  /** Optional email subscribed to the alerts topic. */
  readonly alertEmail?: string;
  /** Minutes between full reconciles of every chain. Default 15. */
  readonly resyncMinutes: number;
}

const list = z.string().transform((value) =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean),
);

const configSchema = z.object({
  hostedZoneIds: list.pipe(
    z
      .array(
        z
          .string()
          .regex(/^Z[A-Z0-9]{1,31}$/, { error: 'each must be a hosted zone id such as Z0123456789EXAMPLE' }),
      )
      .min(1, { error: 'must list at least one hosted zone id, e.g. -c hostedZoneIds=Z123,Z456' }),
  ),
  allowedNameSuffixes: list.optional(),
  ownerId: z
    .string()
    .regex(OWNER_ID_PATTERN, { error: 'must be 1 to 32 lower-case letters, digits or hyphens' })
    .optional(),
  alertEmail: z.email({ error: 'must be an email address' }).optional(),
  resyncMinutes: z.coerce
    .number({ error: 'must be a whole number of minutes from 1 to 1440' })
    .int({ error: 'must be a whole number of minutes from 1 to 1440' })
    .min(1, { error: 'must be a whole number of minutes from 1 to 1440' })
    .max(1440, { error: 'must be a whole number of minutes from 1 to 1440' })
    .optional(),
});

/** Read and validate context; throws one error naming every bad value. */
export function stackConfigFrom(context: (key: string) => unknown): StackConfig {
  const raw: Record<string, string> = {};
  for (const key of ['hostedZoneIds', 'allowedNameSuffixes', 'ownerId', 'alertEmail', 'resyncMinutes']) {
    const value = context(key);
    // `-c k=v` gives strings; cdk.json may give lists or numbers.
    if (typeof value === 'string' || typeof value === 'number') raw[key] = String(value);
    else if (Array.isArray(value)) raw[key] = value.join(',');
  }
  const parsed = configSchema.safeParse({
    hostedZoneIds: '',
    ...Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== '')),
  });
  if (!parsed.success) {
    const lines = parsed.error.issues.map(
      (issue) => `  -c ${issue.path.join('.') || 'context'}: ${issue.message}`,
    );
    throw new Error(`Invalid deployment settings:\n${lines.join('\n')}`);
  }
  const value = parsed.data;
  return {
    hostedZoneIds: value.hostedZoneIds,
    allowedNameSuffixes: (value.allowedNameSuffixes ?? []).map((suffix) =>
      suffix.toLowerCase().replace(/\.$/, ''),
    ),
    ownerId: value.ownerId ?? DEFAULT_OWNER_ID,
    ...(value.alertEmail ? { alertEmail: value.alertEmail } : {}),
    resyncMinutes: value.resyncMinutes ?? 15,
  };
}
