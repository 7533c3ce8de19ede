import type { Chain } from '../core/chain.ts';
import type { ChainStatus } from '../core/chain-status.ts';
import {
  healthCheckQuotaProblem,
  healthChecksToCreate,
  netNewRecords,
  recordQuotaProblem,
  sharedChecksNeeded,
  type Quota,
} from '../core/quotas.ts';
import type { RecordChange } from '../core/route53-types.ts';
import {
  HealthCheckQuotaReached,
  type QuotaGatePort,
  type ReconcileDeps,
  type Route53Port,
} from '../ports.ts';

/**
 * Admits chains' creations against Route 53's quotas. Each quota is read once, the first time a
 * chain is about to create something that counts against it (a run that creates nothing reads
 * none), and what each admitted chain will create is counted as used: a full run of many chains
 * reads the account's limit once, not once per chain, and never admits more than fits.
 */
export class QuotaGate implements QuotaGatePort {
  private healthChecks: Promise<Quota> | undefined;
  private readonly zones = new Map<string, Promise<Quota>>();
  private readonly sharedCounted = new Set<string>();
  /** Route 53 said the quota is reached although the count had room (checks made by others). */
  private full = false;

  constructor(private readonly route53: Pick<Route53Port, 'healthCheckQuota' | 'recordQuota'>) {}

  async admit(needs: Parameters<QuotaGatePort['admit']>[0]): Promise<string | undefined> {
    // A shared check another chain of this run was admitted for is counted once.
    const shared = [...new Set(needs.sharedChecks ?? [])].filter((fp) => !this.sharedCounted.has(fp));
    const needed = needs.healthChecks + shared.length;
    if (needed > 0 && this.full) return quotaReachedProblem(new HealthCheckQuotaReached());
    const checks = needed > 0 ? await this.checkQuota() : undefined;
    const records = needs.records > 0 ? await this.recordQuota(needs.zoneId) : undefined;
    const problem =
      (checks && healthCheckQuotaProblem(checks, needed)) ??
      (records && recordQuotaProblem(needs.zoneId, records, needs.records));
    if (problem) return problem;
    if (checks) checks.used += needed;
    for (const fp of shared) this.sharedCounted.add(fp);
    if (records) records.used += needs.records;
    return undefined;
  }

  healthChecksFull(): void {
    this.full = true;
  }

  private checkQuota(): Promise<Quota> {
    this.healthChecks ??= this.route53.healthCheckQuota().then((quota) => ({ ...quota }));
    this.healthChecks.catch(() => (this.healthChecks = undefined));
    return this.healthChecks;
  }

  private recordQuota(zoneId: string): Promise<Quota> {
    let quota = this.zones.get(zoneId);
    if (!quota) {
      quota = this.route53.recordQuota(zoneId).then((read) => ({ ...read }));
      quota.catch(() => this.zones.delete(zoneId));
      this.zones.set(zoneId, quota);
    }
    return quota;
  }
}

/**
 * CreateHealthCheck answered TooManyHealthChecks although the gate admitted the chain (another
 * tool made checks meanwhile): the same BLOCKED problem, in the same words.
 */
export function quotaReachedProblem(error: unknown): string | undefined {
  if (!(error instanceof HealthCheckQuotaReached)) return undefined;
  return 'health check quota reached (Route 53 refused to create a health check), ask AWS for more';
}

/** Undefined when what the chain is about to create fits the quotas; else why it waits. */
export async function admitChain(
  chain: Chain,
  status: Pick<ChainStatus, 'healthChecks'>,
  changes: readonly RecordChange[],
  deps: Pick<ReconcileDeps, 'quotaGate' | 'route53' | 'sharedChecks'>,
): Promise<string | undefined> {
  const gate = deps.quotaGate ?? new QuotaGate(deps.route53);
  const registry = deps.sharedChecks;
  // Joining a shared check that exists creates nothing: only fingerprints with no check count.
  const sharedChecks: string[] = [];
  for (const fp of registry ? sharedChecksNeeded(chain, status) : []) {
    const item = await registry!.get(fp);
    if (!item || item.deleting) sharedChecks.push(fp);
  }
  return gate.admit({
    healthChecks: healthChecksToCreate(chain, status, registry !== undefined),
    sharedChecks,
    records: netNewRecords(changes),
    zoneId: chain.hostedZoneId,
  });
}

/** One alert per quota a chain waits for, however its use moves meanwhile. */
export function blockedProblemKey(problem: string): string[] {
  return ['BLOCKED', problem.slice(0, problem.indexOf(' quota'))];
}
