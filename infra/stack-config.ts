import { z } from 'zod';
import { hostnameProblem, normalizeName } from '../shared/core/dns-name.ts';
import { DEFAULT_OWNER_ID, OWNER_ID_PATTERN } from '../shared/core/set-identifier.ts';

/** Deployment settings, from `-c key=value`, cdk.context.json or cdk.json; validated before anything is built. */
export interface StackConfig {
  /** Hosted zones the system may change (required): the IAM policy is scoped to them. */
  readonly hostedZoneIds: readonly string[];
  /** If set, chain names must end with one of these; also narrows the IAM policy. */
  readonly allowedNameSuffixes: readonly string[];
  /** Marks what this deployment owns; two deployments may share a zone with different ids. Default `default`. */
  readonly ownerId: string;
  /** Email subscribed to the alerts topic; required, `none` for no subscription. */
  readonly alertEmail?: string;
  /** Email subscribed to the operations topic; default `alertEmail`, `none` for no subscription. */
  readonly opsEmail?: string;
  /** Minutes between full reconciles of every chain. Default 15. */
  readonly resyncMinutes: number;
}

/** A bad deployment setting: its message is one line per bad value, fit to print as it is. */
export class StackConfigError extends Error {
  override name = 'StackConfigError';
}

const KEYS = [
  'hostedZoneIds',
  'allowedNameSuffixes',
  'ownerId',
  'alertEmail',
  'opsEmail',
  'resyncMinutes',
] as const;

const ZONE_ID = /^Z[A-Z0-9]{1,31}$/;
const quoted = (input: unknown) => JSON.stringify(input);

const list = z.string().transform((value) =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean),
);

// `none` is an explicit "no subscriber": without it, a deploy that forgot the value would silently
// drop the subscription the first deploy made.
const email = z.union([
  z.literal('none'),
  z.email({ error: (i) => `${quoted(i.input)} is not an email address (or none)` }),
]);

const configSchema = z.object({
  hostedZoneIds: list.pipe(
    z
      .array(
        z
          .string()
          .refine((id) => ZONE_ID.test(id.replace(/^\/hostedzone\//, '')), {
            error: (i) =>
              `${quoted(i.input)} is not a hosted zone id (Z followed by upper-case letters and digits)`,
          })
          .transform((id) => id.replace(/^\/hostedzone\//, '')),
      )
      .min(1, {
        error:
          'is required: the hosted zones the system may change, e.g. -c hostedZoneIds=Z0123456789ABC (see "Deploy to AWS" in the README)',
      }),
  ),
  allowedNameSuffixes: list
    .pipe(
      z.array(
        z
          .string()
          .transform(normalizeName)
          .refine((suffix) => hostnameProblem(suffix) === undefined, {
            error: (i) =>
              `${quoted(i.input)} is not a DNS name: ${hostnameProblem(normalizeName(String(i.input))) ?? ''}`,
          }),
      ),
    )
    .optional(),
  ownerId: z
    .string()
    .regex(OWNER_ID_PATTERN, {
      error: (i) => `${quoted(i.input)} must be 1 to 32 lower-case letters, digits or hyphens`,
    })
    .optional(),
  alertEmail: email.optional(),
  opsEmail: email.optional(),
  resyncMinutes: z
    .string()
    .regex(/^\d+$/, { error: (i) => `${quoted(i.input)} must be a whole number of minutes from 1 to 1440` })
    .transform(Number)
    .refine((n) => n >= 1 && n <= 1440, {
      error: (i) => `${quoted(String(i.input))} must be a whole number of minutes from 1 to 1440`,
    })
    .optional(),
});

/** Read and validate context; throws one StackConfigError naming every bad value, one a line. */
export function stackConfigFrom(context: (key: string) => unknown): StackConfig {
  const raw: Record<string, string> = {};
  // A value given but unusable is refused, never replaced by the default: an empty or malformed
  // allowedNameSuffixes would otherwise silently widen the IAM policy to every name.
  const unusable: string[] = [];
  for (const key of KEYS) {
    const value = context(key);
    if (value === undefined) continue;
    // `-c k=v` gives strings; cdk.context.json and cdk.json may give lists or numbers.
    if (typeof value === 'string' || typeof value === 'number') raw[key] = String(value).trim();
    else if (Array.isArray(value) && value.every((item) => typeof item === 'string'))
      raw[key] = value.join(',');
    else
      unusable.push(`-c ${key}: ${JSON.stringify(value)} is not a text value, a number or a list of texts`);
    if (raw[key] === '' && key !== 'hostedZoneIds' && key !== 'alertEmail')
      unusable.push(`-c ${key}: is empty: give a value, or leave it out for the default`);
  }
  const parsed = configSchema.safeParse({
    hostedZoneIds: '',
    ...Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== '')),
  });
  const problems = [
    ...unusable,
    ...(parsed.success ? [] : parsed.error.issues)
      .filter((issue) => !unusable.some((line) => line.startsWith(`-c ${String(issue.path[0])}:`)))
      .map((issue) => `-c ${String(issue.path[0])}: ${issue.message}`),
  ];
  if (raw.alertEmail === undefined || raw.alertEmail === '') {
    problems.push(
      '-c alertEmail: is required: the address told when traffic moves, or none (see "Deploy to AWS" in the README)',
    );
  }
  if (!parsed.success || problems.length > 0) throw new StackConfigError(problems.join('\n'));
  const value = parsed.data;
  const subscriber = (address: string | undefined) => (address === 'none' ? undefined : address);
  const alertEmail = subscriber(value.alertEmail);
  const opsEmail = value.opsEmail === undefined ? alertEmail : subscriber(value.opsEmail);
  return {
    hostedZoneIds: value.hostedZoneIds,
    allowedNameSuffixes: value.allowedNameSuffixes ?? [],
    ownerId: value.ownerId ?? DEFAULT_OWNER_ID,
    ...(alertEmail ? { alertEmail } : {}),
    ...(opsEmail ? { opsEmail } : {}),
    resyncMinutes: value.resyncMinutes ?? 15,
  };
}
