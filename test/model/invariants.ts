import { CHAIN_NAMES, ENDPOINTS, type ReferenceModel, type RowSpec } from './reference-model.ts';
import type { ModelSystem, SeenAlert } from './model-system.ts';
import type { Served } from './route53-view.ts';

// The invariants, checked whenever the system has settled after a step:
// (1) Route 53's answer (from the records and check health it holds) is the model's tier;
// (2) the chain's status names that tier;
// (3) every change of the tier served is announced by exactly one alert with the right from/to,
//     and no alert is sent when nothing changed;
// (4) a deleted row leaves nothing behind: no record, no check or alarm of its own, a shared check
//     only while a row uses it;
// (5) no request is lost: after time passes with the schedule's run, every row is built and IN_SYNC.
// Documented exceptions, each kept narrow:
// - the flap guard (README, Alerts) replaces alerts one by one with FLAPPING: the model's world
//   sets it out of reach;
// - ALL_TIERS_DOWN may be sent when the last tier's watched check fails while it already serves;
// - FAILBACK_PENDING is sent for a manual-failback chain whose held tier recovers;
// - a chain's first build (a new row, or a tree built by hand and imported) may say once, with
//   `firstAnswer`, that it serves another tier than its first (README, Alerts);
// - a record whose health check was deleted by hand is unpredictable in Route 53 (Developer Guide,
//   "Deleting health checks"): its chain is not judged until the system has replaced the check.

/** What happened in the step being checked, as far as alerts are concerned. */
export interface StepFacts {
  /** The step's name, for messages. */
  step: string;
  /** Chains whose controls (drain, pin, failback mode) the step changed, or which were failed back. */
  controls: ReadonlySet<string>;
  /** True after every check reported and the schedule's full run ran (check (5)). */
  timePassed: boolean;
  /**
   * Set when an AWS fault was injected since the last check: alerts are judged over the whole
   * faulted stretch (the last one must tell the truth; RECONCILE_FAILED and a resent copy of an
   * alert whose publish reply was lost are allowed), since retries may announce in another order.
   */
  faulted?: { alerts: SeenAlert[] };
}

const MOVES = new Set(['TIER_CHANGED', 'RECOVERED', 'ALL_TIERS_DOWN', 'EDIT_MOVED_TRAFFIC']);

/** The tier an alert says serves now. */
const announcedTier = (alert: SeenAlert) =>
  (alert.detail.to ?? alert.detail.servingTier) as string | undefined;

const show = (served: Served | undefined) =>
  !served ? 'nothing' : served.kind === 'tier' ? `${served.tier} (${served.target})` : served.kind;

/** Check every invariant; throws with what a user would see when one fails. */
export async function checkInvariants(
  system: ModelSystem,
  model: ReferenceModel,
  lastServed: Map<string, Served>,
  facts: StepFacts,
): Promise<void> {
  const alerts = [...(facts.faulted?.alerts ?? []), ...system.newAlerts()];
  const failures: string[] = [];
  for (const name of CHAIN_NAMES) {
    const spec = model.rows.get(name);
    const served = system.served(name);
    const mine = alerts.filter((a) => a.chain === name);
    const other = mine.filter((a) => !MOVES.has(a.event) && a.event !== 'CONTROL_CHANGED');
    for (const alert of other)
      if (
        !(alert.event === 'FAILBACK_PENDING' && spec?.manual) &&
        !(alert.event === 'RECONCILE_FAILED' && facts.faulted)
      )
        failures.push(`${name}: unexpected ${alert.event} alert: ${JSON.stringify(alert.detail.subject)}`);
    const tree = model.handBuilt.get(name);
    if (spec) failures.push(...(await checkLive(system, model, spec, served, facts)));
    else if (tree) failures.push(...handBuiltAnswer(model, name, served, mine));
    else if (served.kind !== 'none')
      failures.push(`(4) ${name}: row deleted but Route 53 answers ${show(served)}`);
    if (!tree)
      failures.push(
        ...(facts.faulted
          ? lastTellsTruth(name, lastServed.get(name), served, mine)
          : checkAlerts(name, lastServed.get(name), served, mine, model, facts)),
      );
    lastServed.set(name, served);
  }
  failures.push(...leftovers(system, model));
  if (failures.length > 0) throw new Error(`after ${facts.step}:\n  ${failures.join('\n  ')}`);
}

/** A tree built by hand answers by Route 53's rules alone, and the system says nothing of it. */
function handBuiltAnswer(
  model: ReferenceModel,
  name: string,
  served: Served,
  alerts: readonly SeenAlert[],
): string[] {
  const failures = alerts.map((a) => `${name}: built by hand, yet alerted ${a.event}`);
  const expected = model.expected(name);
  if (served.kind !== 'tier' || !expected.has(served.tier))
    failures.push(
      `(1) ${name} (built by hand): Route 53 answers ${show(served)}, the model says ${[...expected].join(' or ')}`,
    );
  return failures;
}

async function checkLive(
  system: ModelSystem,
  model: ReferenceModel,
  spec: RowSpec,
  served: Served,
  facts: StepFacts,
): Promise<string[]> {
  const name = spec.name;
  const status = await system.status(name);
  const expected = model.expected(name);
  if (served.kind === 'unpredictable') {
    const lost = [...(model.knowledge.get(name)?.values() ?? [])].includes('either');
    return lost ? [] : [`(1) ${name}: a record uses a health check that does not exist`];
  }
  if (served.kind === 'none')
    return [
      `(5) ${name}: the row is not built (status ${status?.state ?? 'none'} ${JSON.stringify(status?.errors ?? [])}), Route 53 has no answer`,
    ];
  const failures: string[] = [];
  if (!expected.has(served.tier))
    failures.push(
      `(1) ${name}: Route 53 answers ${show(served)}, the model says ${[...expected].join(' or ')} (endpoints up: ${model.up.map((u, i) => `${ENDPOINTS[i]}=${u ? 'up' : 'down'}`).join(' ')}; held: ${(model.held.get(name) ?? []).join(',') || 'none'})`,
    );
  if (status?.servingTier !== served.tier)
    failures.push(
      `(2) ${name}: status says ${status?.servingTier ?? 'nothing'} serves, Route 53 answers ${show(served)}`,
    );
  if (facts.timePassed && status?.state !== 'IN_SYNC')
    failures.push(`(5) ${name}: still ${status?.state ?? 'without status'} after time passed`);
  return failures;
}

function checkAlerts(
  name: string,
  before: Served | undefined,
  now: Served,
  alerts: readonly SeenAlert[],
  model: ReferenceModel,
  facts: StepFacts,
): string[] {
  if (before?.kind === 'unpredictable' || now.kind === 'unpredictable') return [];
  // A chain's first build (a new row, or an imported tree) may say once that it does not serve
  // its first tier (`firstAnswer`): that alert must name the tier Route 53 answers.
  const first = alerts.filter((a) => a.detail.firstAnswer === true);
  const moves = alerts.filter((a) => MOVES.has(a.event) && !first.includes(a));
  const controls = alerts.filter((a) => a.event === 'CONTROL_CHANGED');
  const list = (xs: readonly SeenAlert[]) =>
    xs.map((a) => `${a.event} -> ${announcedTier(a) ?? '?'}`).join(', ');
  const failures: string[] = first
    .filter((a) => now.kind !== 'tier' || announcedTier(a) !== now.tier || first.length > 1)
    .map(
      (a) => `(3) ${name}: first answer alerted as ${announcedTier(a) ?? '?'}, Route 53 answers ${show(now)}`,
    );
  const isNew = before === undefined || before.kind === 'none';
  if (facts.controls.has(name) ? controls.length !== 1 && !isNew : controls.length > 0)
    failures.push(`(3) ${name}: ${controls.length} CONTROL_CHANGED alerts for ${facts.step}`);
  if (now.kind !== 'tier') {
    if (moves.length > 0) failures.push(`(3) ${name}: removed, yet alerted ${list(moves)}`);
    return failures;
  }
  if (isNew) {
    if (moves.length > 1 || moves.some((a) => announcedTier(a) !== now.tier))
      failures.push(`(3) ${name}: new chain serving ${now.tier} alerted ${list(moves)}`);
    return failures;
  }
  const moved = before.tier !== now.tier || before.target !== now.target;
  if (!moved) {
    const allowed = moves.filter((a) => a.event === 'ALL_TIERS_DOWN' && model.allDown(name));
    if (moves.length > allowed.length)
      failures.push(`(3) ${name}: still serving ${show(now)}, yet alerted ${list(moves)}`);
    return failures;
  }
  const byControl = moves.length === 0 && controls.length === 1 && announcedTier(controls[0]!) === now.tier;
  if (!byControl && (moves.length !== 1 || announcedTier(moves[0]!) !== now.tier))
    failures.push(
      `(3) ${name}: traffic moved ${show(before)} -> ${show(now)}, alerted: ${list([...moves, ...controls]) || 'nothing'}`,
    );
  const from = moves[0]?.detail.from as string | null | undefined;
  if (moves.length === 1 && typeof from === 'string' && from !== before.tier)
    failures.push(`(3) ${name}: alert says from ${from}, traffic left ${before.tier}`);
  return failures;
}

/** After faults: the last alert that says where traffic is says where it is. */
function lastTellsTruth(
  name: string,
  before: Served | undefined,
  now: Served,
  alerts: readonly SeenAlert[],
): string[] {
  if (now.kind !== 'tier' || before?.kind === 'unpredictable') return [];
  const announced = alerts.filter((a) => MOVES.has(a.event) || a.event === 'CONTROL_CHANGED');
  const last = announced.at(-1);
  const moved = before?.kind === 'tier' && (before.tier !== now.tier || before.target !== now.target);
  if (moved && !last) return [`(3) ${name}: traffic moved ${show(before)} -> ${show(now)}, alerted: nothing`];
  if (last && announcedTier(last) !== now.tier)
    return [
      `(3) ${name}: the last alert says ${announcedTier(last) ?? '?'} serves, Route 53 answers ${show(now)}`,
    ];
  return [];
}

/** (4): every check and alarm left is one a live row (or a record) still needs. */
function leftovers(system: ModelSystem, model: ReferenceModel): string[] {
  const route53 = system.world.route53;
  const used = new Set(route53.records('Z0123456789EXAMPLE').flatMap((r) => r.HealthCheckId ?? []));
  const failures: string[] = [];
  for (const check of route53.healthChecks.values()) {
    // Checks without the system's tags are the person's own (made by hand), never the system's to remove.
    if (used.has(check.Id) || !check.tags.has('failover-chains:owner')) continue;
    const chain = check.tags.get('failover-chains:chain');
    const ip = check.HealthCheckConfig.IPAddress;
    const threshold = check.HealthCheckConfig.FailureThreshold;
    const wanted = chain
      ? model.rows.has(chain)
      : [...model.rows.values()].some(
          (spec) =>
            spec.shared &&
            spec.tiers.some((t) => t.check && ENDPOINTS[t.endpoint] === ip && t.threshold === threshold),
        );
    if (!wanted)
      failures.push(`(4) health check ${check.Id} (${chain ?? 'shared'} ${ip} x${threshold}) is left behind`);
  }
  for (const alarm of system.world.cloudwatch.alarms.values()) {
    const chain = CHAIN_NAMES.find((name) => alarm.AlarmName!.includes(`/${name}/`));
    if (chain && !model.rows.has(chain)) failures.push(`(4) alarm ${alarm.AlarmName!} is left behind`);
  }
  return failures;
}
