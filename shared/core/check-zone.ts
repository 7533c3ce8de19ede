import type { Chain } from './chain.ts';
import { isWithinZone, normalizeName } from './dns-name.ts';
import type { ValidationError } from './validation-error.ts';

/** The zones and names a deployment may change; empty lists allow everything. */
export interface DeploymentScope {
  allowedHostedZoneIds: readonly string[];
  allowedNameSuffixes: readonly string[];
}

/**
 * Checked before Route 53 is asked anything, so a row outside what the deployment may change
 * is INVALID with a reason rather than an AccessDenied from AWS.
 */
export function checkScope(chain: Chain, scope: DeploymentScope): ValidationError[] {
  const errors: ValidationError[] = [];
  const { allowedHostedZoneIds: zones, allowedNameSuffixes: suffixes } = scope;
  if (zones.length > 0 && !zones.includes(chain.hostedZoneId)) {
    errors.push({
      path: 'hostedZoneId',
      message: `${chain.hostedZoneId} is not a hosted zone this deployment may change (allowed: ${zones.join(', ')})`,
    });
  }
  if (suffixes.length > 0 && !suffixes.some((suffix) => isWithinZone(chain.name, suffix))) {
    errors.push({
      path: 'name',
      message: `must end with one of the allowed name suffixes (${suffixes.join(', ')})`,
    });
  }
  return errors;
}

/** The chain must fit its zone: the zone exists, holds the name, and no CNAME sits at its apex. */
export function checkZone(chain: Chain, zone: { name: string } | undefined): ValidationError[] {
  if (!zone) {
    return [{ path: 'hostedZoneId', message: `no hosted zone ${chain.hostedZoneId} exists in this account` }];
  }
  const errors: ValidationError[] = [];
  const zoneName = normalizeName(zone.name);
  if (!isWithinZone(chain.name, zoneName)) {
    errors.push({
      path: 'name',
      message: `${chain.name} is not in hosted zone ${chain.hostedZoneId} (${zoneName})`,
    });
  } else if (chain.recordType === 'CNAME' && chain.name === zoneName) {
    errors.push({
      path: 'recordType',
      message: `a CNAME chain cannot be at the zone apex (${zoneName}); use A or AAAA with alias or IP targets`,
    });
  }
  return errors;
}
