import { FLAP_DEFAULTS, type FlapSettings } from './core/flap-guard.ts';
import { DEFAULT_OWNER_ID, OWNER_ID_PATTERN } from './core/set-identifier.ts';

/** Deployment settings shared by the Lambdas, the CLI and local mode, read from the environment. */
export interface Settings {
  ownerId: string;
  chainsTable: string;
  statusTable: string;
  alertsTopicArn?: string;
  allowedHostedZoneIds: string[];
  allowedNameSuffixes: string[];
  flap: FlapSettings;
  historyDays: number;
}

/** Defaults used when the environment names nothing; the stack sets every one explicitly. */
const SETTINGS_DEFAULTS = {
  chainsTable: 'failover-chains',
  statusTable: 'failover-chains-status',
} as const;

const list = (value: string | undefined): string[] =>
  (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');

/** Read settings from environment variables (the stack sets them on every Lambda). */
export function settingsFromEnv(env: NodeJS.ProcessEnv = process.env): Settings {
  const ownerId = env.OWNER_ID ?? DEFAULT_OWNER_ID;
  if (!OWNER_ID_PATTERN.test(ownerId)) {
    throw new Error(`OWNER_ID: must be 1 to 32 lower-case letters, digits or hyphens (got "${ownerId}")`);
  }
  return {
    ownerId,
    chainsTable: env.CHAINS_TABLE ?? SETTINGS_DEFAULTS.chainsTable,
    statusTable: env.STATUS_TABLE ?? SETTINGS_DEFAULTS.statusTable,
    ...(env.ALERTS_TOPIC_ARN ? { alertsTopicArn: env.ALERTS_TOPIC_ARN } : {}),
    allowedHostedZoneIds: list(env.ALLOWED_HOSTED_ZONE_IDS),
    allowedNameSuffixes: list(env.ALLOWED_NAME_SUFFIXES),
    flap: {
      maxFlips: positiveInt(env, 'FLAP_MAX_FLIPS', FLAP_DEFAULTS.maxFlips),
      windowSeconds: positiveInt(env, 'FLAP_WINDOW_SECONDS', FLAP_DEFAULTS.windowSeconds),
    },
    historyDays: positiveInt(env, 'HISTORY_DAYS', 90),
  };
}

function positiveInt(env: NodeJS.ProcessEnv, key: string, fallback: number): number {
  const raw = env[key];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`${key}: must be a positive integer (got "${raw}")`);
  return value;
}
