import type { Chain, TierTarget } from './chain.ts';
import { hostnameProblem, levelName } from './dns-name.ts';
import { formatPath, type ValidationError } from './validation-error.ts';

/** Where in a row a problem is: keys and list indexes. */
export type Path = (string | number)[];

/** The errors found so far in one validation run. */
export class Errors {
  readonly errors: ValidationError[] = [];
  add(path: Path, message: string): void {
    this.errors.push({ path: formatPath(path), message });
  }
}

/** Rules that need the whole chain: uniqueness, loops, names that fit, failover that can happen. */
export function checkChainRules(chain: Chain, errs: Errors): void {
  const levels = chain.tiers.length - 1;
  const chainNames = new Map<string, string>();
  for (let level = 0; level < levels; level++) {
    const name = levelName(chain.name, level);
    chainNames.set(name, level === 0 ? 'the chain name' : `the chain's level-${level} name`);
    const problem = hostnameProblem(name);
    if (problem) {
      errs.add(
        ['name'],
        `is too long for a ${chain.tiers.length}-tier chain: its level-${level} name "${name}" ${problem}`,
      );
    }
  }

  const seenIds = new Map<string, number>();
  const seenTargets = new Map<string, number>();
  chain.tiers.forEach((tier, index) => {
    const at: Path = ['tiers', index];
    const firstId = seenIds.get(tier.id);
    if (firstId !== undefined) {
      errs.add([...at, 'id'], `duplicates tiers[${firstId}].id ("${tier.id}"); tier ids must be unique`);
    } else seenIds.set(tier.id, index);

    const key = targetKey(tier.target);
    const firstTarget = seenTargets.get(key);
    if (firstTarget !== undefined) {
      errs.add(
        [...at, 'target'],
        `duplicates tiers[${firstTarget}].target; each tier must send traffic somewhere else`,
      );
    } else seenTargets.set(key, index);

    const hostname = tier.target.kind === 'hostname' ? tier.target.hostname : undefined;
    const aliasName = tier.target.kind === 'alias' ? tier.target.alias.DNSName : undefined;
    const loopName = hostname ?? aliasName;
    const loop = loopName === undefined ? undefined : chainNames.get(loopName);
    if (loop) {
      errs.add(
        [...at, 'target', ...(aliasName ? ['alias', 'dnsName'] : [])],
        `must not be ${loop} ("${loopName}"): that would make a loop`,
      );
    }

    const config = tier.healthCheck?.kind === 'managed' ? tier.healthCheck.config : undefined;
    const probed = config?.FullyQualifiedDomainName;
    const probedLevel = probed === undefined ? undefined : chainNames.get(probed);
    if (probedLevel) {
      errs.add(
        [...at, 'healthCheck', 'domainName'],
        `must not be ${probedLevel} ("${probed}"): Route 53 calls a health check on a name it serves unpredictable; probe the endpoint itself`,
      );
    }

    const last = index === chain.tiers.length - 1;
    if (!last && !tier.healthCheck) {
      if (tier.target.kind !== 'alias') {
        errs.add(
          [...at, 'healthCheck'],
          'is required on every tier but the last: Route 53 refuses a non-alias PRIMARY record without a health check',
        );
      } else if (!tier.target.alias.EvaluateTargetHealth) {
        errs.add(
          [...at, 'healthCheck'],
          'is required on an alias tier that does not evaluate target health, or traffic could never fail over from it',
        );
      }
    }
  });
}

/** Operator controls must name tiers of the chain and leave something to serve. */
export function checkControls(chain: Chain, errs: Errors): void {
  const ids = chain.tiers.map((tier) => tier.id);
  const known = `the chain's tiers are ${ids.join(', ')}`;
  chain.drain.forEach((id, index) => {
    if (!ids.includes(id)) errs.add(['drain', index], `names no tier of this chain ("${id}"); ${known}`);
  });
  if (chain.drain.length > 0 && ids.every((id) => chain.drain.includes(id))) {
    errs.add(['drain'], 'must leave at least one tier serving; it drains every tier');
  }
  if (chain.pin !== undefined) {
    if (!ids.includes(chain.pin)) errs.add(['pin'], `names no tier of this chain ("${chain.pin}"); ${known}`);
    else if (chain.drain.includes(chain.pin))
      errs.add(['pin'], `pins "${chain.pin}", which drain also lists; remove it from one`);
  }
}

function targetKey(target: TierTarget): string {
  switch (target.kind) {
    case 'hostname':
      return `host:${target.hostname}`;
    case 'ips':
      return `ips:${[...target.ips].sort().join(',')}`;
    case 'alias':
      return `alias:${target.alias.HostedZoneId}:${target.alias.DNSName}`;
  }
}
