import type { Chain } from '../core/chain.ts';
import type { ChainStatus } from '../core/chain-status.ts';
import {
  healthCheckQuotaProblem,
  healthChecksToCreate,
  netNewRecords,
  recordQuotaProblem,
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

  constructor(private readonly route53: Pick<Route53Port, 'healthCheckQuota' | 'recordQuota'>) {}

  async admit(needs: { healthChecks: number; records: number; zoneId: string }): Promise<string | undefined> {
    const checks = needs.healthChecks > 0 ? await this.checkQuota() : undefined;
    const records = needs.records > 0 ? await this.recordQuota(needs.zoneId) : undefined;
    const problem =
      (checks && healthCheckQuotaProblem(checks, needs.healthChecks)) ??
      (records && recordQuotaProblem(needs.zoneId, records, needs.records));
    if (problem) return problem;
    if (checks) checks.used += needs.healthChecks;
    if (records) records.used += needs.records;
    return undefined;
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
export function admitChain(
  chain: Chain,
  status: Pick<ChainStatus, 'healthChecks'>,
  changes: readonly RecordChange[],
  deps: Pick<ReconcileDeps, 'quotaGate' | 'route53'>,
): Promise<string | undefined> {
  const gate = deps.quotaGate ?? new QuotaGate(deps.route53);
  return gate.admit({
    healthChecks: healthChecksToCreate(chain, status),
    records: netNewRecords(changes),
    zoneId: chain.hostedZoneId,
  });
}

/** One alert per quota a chain waits for, however its use moves meanwhile. */
export function blockedProblemKey(problem: string): string[] {
  return ['BLOCKED', problem.slice(0, problem.indexOf(' quota'))];
}
