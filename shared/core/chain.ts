import type { AliasTarget, ChainRecordType, HealthCheckConfig } from './route53-types.ts';

/** Where one tier sends traffic: a host name (CNAME chains), IP addresses or an AWS alias target. */
export type TierTarget =
  | { kind: 'hostname'; hostname: string }
  | { kind: 'ips'; ips: string[] }
  | { kind: 'alias'; alias: AliasTarget };

/** A tier's health check: one the system manages from a config, or one the user owns, by id. */
export type TierHealthCheck =
  { kind: 'managed'; config: HealthCheckConfig } | { kind: 'existing'; id: string };

/** One tier of a validated chain, defaults applied. */
export interface Tier {
  id: string;
  target: TierTarget;
  healthCheck?: TierHealthCheck;
}

/** How traffic returns to a tier that failed: by itself, or when an operator says so. */
export type FailbackMode = 'auto' | 'manual';

/** A hand-made record an imported chain may replace on its first reconcile (name, type, set identifier). */
export interface AdoptedRecordKey {
  name: string;
  type: string;
  setIdentifier?: string;
}

/** A validated chain row, normalised and with every default applied. */
export interface Chain {
  name: string;
  hostedZoneId: string;
  recordType: ChainRecordType;
  ttl: number;
  tiers: Tier[];
  /** Tiers left out of the built chain by an operator. */
  drain: string[];
  /** Serve this tier alone, whatever the health checks say. */
  pin?: string;
  failback: FailbackMode;
  /** The row accepts an operator action that leaves no healthy tier serving. */
  force: boolean;
  /** False: this chain's checks are its own, never shared with other chains (absent: shared). */
  shared?: false;
  /** Who made the last change, as the row says (the CLI fills it in). */
  changedBy?: string;
  /** Hand-made records the first reconcile replaces (`chains import`); spent once the chain's own records exist. */
  adopt?: AdoptedRecordKey[];
}

/** Defaults for optional row fields; the README documents the same values. */
export const CHAIN_DEFAULTS = {
  ttl: 60,
  requestInterval: 30,
  failureThreshold: 3,
  httpPort: 80,
  httpsPort: 443,
  path: '/',
} as const;

/** Limits Route 53 and this system put on a chain. */
export const CHAIN_LIMITS = { minTiers: 2, maxTiers: 8, maxTtl: 2_147_483_647 } as const;
