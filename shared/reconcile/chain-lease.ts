import type { AlarmPort, ReconcileDeps, Route53Port } from '../ports.ts';
import { bindMethods } from './bind-methods.ts';

/**
 * How long a reconcile may hold a chain without renewing it: far longer than any one AWS call
 * with the SDK's retries, short enough that a crashed holder blocks its chain only briefly.
 */
export const LEASE_MS = 120_000;

/**
 * The same deps, but every call that changes Route 53 or CloudWatch first makes sure this
 * reconcile holds the chain (`hold` takes or renews the lease). A reconcile that only reads
 * never writes its status for the lease.
 */
export function leasedDeps(deps: ReconcileDeps, hold: () => Promise<void>): ReconcileDeps {
  const held = async <R>(call: () => Promise<R>): Promise<R> => {
    await hold();
    return call();
  };
  const r = deps.route53;
  const route53: Route53Port = {
    ...bindMethods(r),
    changeRecords: (...a) => held(() => r.changeRecords(...a)),
    createHealthCheck: (...a) => held(() => r.createHealthCheck(...a)),
    tagHealthCheck: (...a) => held(() => r.tagHealthCheck(...a)),
    updateHealthCheck: (...a) => held(() => r.updateHealthCheck(...a)),
    deleteHealthCheck: (...a) => held(() => r.deleteHealthCheck(...a)),
  };
  const alarms: AlarmPort = {
    ...bindMethods(deps.alarms),
    put: (...a) => held(() => deps.alarms.put(...a)),
    delete: (...a) => held(() => deps.alarms.delete(...a)),
  };
  return { ...deps, route53, alarms };
}
