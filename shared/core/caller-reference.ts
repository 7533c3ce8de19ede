import { CALLER_REFERENCE_MAX } from './aws-limits.ts';

// A health check's CallerReference is set at creation and listed with every check
// (ListHealthChecks), so it tells a full run, with no extra call, which checks this deployment
// may have made: only those are worth a tag look-up. Tags stay the proof of ownership.

/** The start of every CallerReference a deployment makes: `failover-chains/<owner>/`. */
export function callerReferencePrefix(owner: string): string {
  return `failover-chains/${owner}/`;
}

/**
 * A CallerReference for a new check: the owner's prefix and as much of `unique` (a random UUID)
 * as fits in Route 53's 64 characters, dashes dropped. A 32-character owner id leaves 15 hex
 * digits, plenty for references that are never reused.
 */
export function newCallerReference(owner: string, unique: string): string {
  const prefix = callerReferencePrefix(owner);
  return `${prefix}${unique.replaceAll('-', '')}`.slice(0, CALLER_REFERENCE_MAX);
}

/** True when a CallerReference was made by this owner's deployment (see newCallerReference). */
export function isOwnCallerReference(owner: string, callerReference: string): boolean {
  return callerReference.startsWith(callerReferencePrefix(owner));
}
