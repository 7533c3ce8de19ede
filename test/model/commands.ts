import fc from 'fast-check';
import { checkInvariants, type StepFacts } from './invariants.ts';
import { ModelSystem, type SeenAlert } from './model-system.ts';
import type { FaultKind } from '../../local/faults.ts';
import {
  CHAIN_NAMES,
  ENDPOINTS,
  TIER_IDS,
  rowOf,
  type ReferenceModel,
  type RowSpec,
} from './reference-model.ts';
import type { Served } from './route53-view.ts';

/** The system under test and what the last check saw. */
export interface Real {
  system: ModelSystem;
  lastServed: Map<string, Served>;
  /** Set from an injected fault until time passes with the schedule's run: what was seen meanwhile. */
  recovering?: { from: Map<string, Served>; alerts: SeenAlert[]; controls: Set<string> };
}

/** A fresh system under test. */
export async function newReal(): Promise<Real> {
  return { system: await ModelSystem.create(), lastServed: new Map() };
}

type Command = fc.AsyncCommand<ReferenceModel, Real>;

/** Make a spec valid the way a careful person would: checks on non-last tiers, controls that fit. */
export function normalise(spec: RowSpec): RowSpec {
  const tiers = spec.tiers.map((t, i) => (i < spec.tiers.length - 1 ? { ...t, check: true } : { ...t }));
  const ids = tiers.map((t) => t.id);
  const pin = spec.pin !== undefined && ids.includes(spec.pin) ? spec.pin : undefined;
  const drain = spec.drain.filter((id) => ids.includes(id) && id !== pin).slice(0, tiers.length - 1);
  return { ...spec, tiers, pin, drain };
}

const controlsOf = (spec: RowSpec | undefined) =>
  JSON.stringify([spec?.drain ?? [], spec?.pin ?? null, spec?.manual ?? false]);

/** Run one step: act, let the system settle, then check every invariant. */
async function step(
  model: ReferenceModel,
  real: Real,
  name: string,
  act: () => Promise<void>,
  facts: Partial<StepFacts> = {},
): Promise<void> {
  const fired = real.system.faults.fired;
  await act();
  const settled = await real.system.settle();
  const all: StepFacts = { step: name, controls: new Set(), timePassed: false, ...facts };
  if (real.system.faults.fired > fired && !real.recovering)
    real.recovering = { from: new Map(real.lastServed), alerts: [], controls: new Set() };
  const recovering = real.recovering;
  if (recovering && !all.timePassed) {
    // Retries and the schedule finish what a fault interrupted: judged once time has passed.
    recovering.alerts.push(...real.system.newAlerts());
    for (const chain of all.controls) recovering.controls.add(chain);
    for (const chain of CHAIN_NAMES) real.lastServed.set(chain, real.system.served(chain));
    return;
  }
  if (!settled) throw new Error(`after ${name}: the system did not settle`);
  if (recovering) {
    real.recovering = undefined;
    await checkInvariants(real.system, model, recovering.from, {
      ...all,
      faulted: { alerts: recovering.alerts },
    });
    for (const [chain, served] of recovering.from) real.lastServed.set(chain, served);
    return;
  }
  await checkInvariants(real.system, model, real.lastServed, all);
}

/** What the checkers see as served, for the model's manual-failback rule. */
const servedTiers = (real: Real) =>
  new Map([...real.lastServed].map(([name, s]) => [name, s.kind === 'tier' ? s.tier : undefined]));

/** Write a whole row (a new chain, or an edit of every field at once). */
export class WriteRow implements Command {
  constructor(readonly spec: RowSpec) {}
  check = (model: Readonly<ReferenceModel>) => !model.handBuilt.has(this.spec.name);
  async run(model: ReferenceModel, real: Real): Promise<void> {
    const before = model.rows.get(this.spec.name);
    model.write(this.spec);
    real.system.tick(5);
    await step(model, real, this.toString(), () => real.system.put(rowOf(this.spec)), {
      controls: new Set(controlsOf(before) !== controlsOf(this.spec) ? [this.spec.name] : []),
    });
  }
  toString = () => `write ${describe(this.spec)}`;
}

/** The edits a person makes to one field of a row. */
export type Edit =
  | { kind: 'threshold' | 'endpoint' | 'drain' | 'pin' | 'remove'; tier: number }
  | { kind: 'shared' | 'manual' | 'reorder' | 'watch-last' | 'add' };

/** Apply an edit to a spec; undefined when it does not apply. */
export function applyEdit(spec: RowSpec, edit: Edit): RowSpec | undefined {
  const tiers = spec.tiers.map((t) => ({ ...t }));
  const at = 'tier' in edit ? edit.tier % tiers.length : 0;
  const tier = tiers[at]!;
  switch (edit.kind) {
    case 'threshold':
      tier.threshold = tier.threshold === 1 ? 3 : 1;
      delete tier.checkId;
      return normalise({ ...spec, tiers });
    case 'endpoint':
      tier.endpoint = (tier.endpoint + 1) % ENDPOINTS.length;
      delete tier.checkId;
      return normalise({ ...spec, tiers });
    case 'drain':
      return normalise({ ...spec, drain: spec.drain.length > 0 ? [] : [tier.id] });
    case 'pin':
      return normalise({ ...spec, pin: spec.pin ? undefined : tier.id });
    case 'remove':
      return tiers.length <= 2 ? undefined : normalise({ ...spec, tiers: tiers.filter((_, i) => i !== at) });
    case 'shared':
      return { ...spec, shared: !spec.shared };
    case 'manual':
      return { ...spec, manual: !spec.manual };
    case 'reorder':
      return normalise({ ...spec, tiers: [...tiers.slice(1), tiers[0]!] });
    case 'watch-last':
      tiers[tiers.length - 1]!.check = !tiers.at(-1)!.check;
      return normalise({ ...spec, tiers });
    case 'add': {
      const id = TIER_IDS.find((x) => !tiers.some((t) => t.id === x));
      if (!id || tiers.length >= 4) return undefined;
      return normalise({
        ...spec,
        tiers: [...tiers, { id, endpoint: tiers.length % ENDPOINTS.length, check: false, threshold: 3 }],
      });
    }
  }
}

export class EditRow implements Command {
  constructor(
    readonly name: string,
    readonly edit: Edit,
  ) {}
  check = (model: Readonly<ReferenceModel>) => {
    const spec = model.rows.get(this.name);
    return spec !== undefined && applyEdit(spec, this.edit) !== undefined;
  };
  async run(model: ReferenceModel, real: Real): Promise<void> {
    const before = model.rows.get(this.name)!;
    const after = applyEdit(before, this.edit)!;
    model.write(after);
    real.system.tick(5);
    await step(model, real, this.toString(), () => real.system.put(rowOf(after)), {
      controls: new Set(controlsOf(before) !== controlsOf(after) ? [this.name] : []),
    });
  }
  toString = () => `edit ${this.name}: ${this.edit.kind}${'tier' in this.edit ? ` #${this.edit.tier}` : ''}`;
}

export class DeleteRow implements Command {
  constructor(readonly name: string) {}
  check = (model: Readonly<ReferenceModel>) => model.rows.has(this.name);
  async run(model: ReferenceModel, real: Real): Promise<void> {
    model.delete(this.name);
    real.system.tick(5);
    await step(model, real, this.toString(), () => real.system.remove(this.name));
  }
  toString = () => `delete ${this.name}`;
}

/** An endpoint goes down (or comes back), and Route 53's checkers see it. */
export class ToggleEndpoint implements Command {
  private up = false;
  constructor(readonly endpoint: number) {}
  check = () => true;
  async run(model: ReferenceModel, real: Real): Promise<void> {
    this.up = !model.up[this.endpoint];
    real.system.tick(60);
    model.setEndpoint(this.endpoint, this.up, servedTiers(real));
    await step(model, real, this.toString(), () => {
      real.system.report(model.up);
      return Promise.resolve();
    });
  }
  toString = () => `${ENDPOINTS[this.endpoint]} ${this.up ? 'up' : 'down'}`;
}

/** The schedule's default period (`resyncMinutes`, 15): a longer wait always sees a full run. */
const SCHEDULE_SECONDS = 900;

/** Time passes: every check reports twice (a new check gets data), optionally with the schedule's run. */
export class Wait implements Command {
  constructor(
    readonly seconds: number,
    readonly fullRun: boolean,
  ) {}
  check = () => true;
  async run(model: ReferenceModel, real: Real): Promise<void> {
    let scheduled = false;
    for (let round = 0; round < 2; round++) {
      real.system.tick(this.seconds / 2);
      model.report(servedTiers(real));
      await step(
        model,
        real,
        this.toString(),
        async () => {
          real.system.report(model.up);
          if (round === 0 && (this.fullRun || real.recovering || this.seconds >= SCHEDULE_SECONDS)) {
            scheduled = await real.system.fullRun();
            if (scheduled) model.fullRan();
          }
        },
        // A tier kept on its failing check moves on the schedule's run once the new check has data.
        { timePassed: round === 1 && scheduled },
      );
    }
  }
  toString = () => `wait ${this.seconds} s${this.fullRun ? " (with the schedule's full run)" : ''}`;
}

export class Failback implements Command {
  constructor(readonly name: string) {}
  check = (model: Readonly<ReferenceModel>) => model.rows.get(this.name)?.manual === true;
  async run(model: ReferenceModel, real: Real): Promise<void> {
    const held = model.failback(this.name);
    real.system.tick(5);
    const outcome = { accepted: false };
    await step(
      model,
      real,
      this.toString(),
      async () => {
        outcome.accepted = await real.system.failback(this.name);
      },
      { controls: new Set(held ? [this.name] : []) },
    );
    if (outcome.accepted !== held)
      throw new Error(
        `${this.toString()}: ${outcome.accepted ? 'accepted' : 'refused'}, the model held ${held ? 'tiers' : 'nothing'}`,
      );
  }
  toString = () => `chains failback ${this.name}`;
}

/** A person builds a failover tree by hand in the console, for a name with no row. */
export class BuildByHand implements Command {
  constructor(readonly spec: RowSpec) {}
  check = (model: Readonly<ReferenceModel>) => model.specOf(this.spec.name) === undefined;
  async run(model: ReferenceModel, real: Real): Promise<void> {
    real.system.tick(5);
    const built = await real.system.buildByHand(this.spec);
    model.buildByHand(built);
    await step(model, real, this.toString(), () => Promise.resolve());
  }
  toString = () => `build by hand ${describe(this.spec)}`;
}

/** `chains import NAME --write`, with or without --manage-health-checks. */
export class Import implements Command {
  constructor(
    readonly name: string,
    readonly manage: boolean,
  ) {}
  check = (model: Readonly<ReferenceModel>) => model.handBuilt.has(this.name);
  async run(model: ReferenceModel, real: Real): Promise<void> {
    real.system.tick(5);
    model.imported(this.name, this.manage);
    await step(model, real, this.toString(), async () => {
      const { code, output } = await real.system.import(this.name, this.manage);
      if (code !== 0) throw new Error(`${this.toString()} exited ${code}: ${output}`);
    });
  }
  toString = () => `chains import ${this.name} --write${this.manage ? ' --manage-health-checks' : ''}`;
}

/** The next AWS calls of the system: the `offset`-th fails (refused, or applied with its reply lost). */
export class Fault implements Command {
  constructor(
    readonly offset: number,
    readonly kind: FaultKind,
  ) {}
  check = () => true;
  run(_model: ReferenceModel, real: Real): Promise<void> {
    real.system.faults.arm(this.offset, this.kind);
    return Promise.resolve();
  }
  toString = () => `fault: AWS call +${this.offset} ${this.kind}`;
}

/** A person deletes one of the health checks in the console. */
export class DeleteCheckByHand implements Command {
  constructor(readonly pick: number) {}
  check = () => true;
  async run(model: ReferenceModel, real: Real): Promise<void> {
    real.system.tick(5);
    await step(model, real, this.toString(), async () => {
      const endpoint = await real.system.deleteCheckByHand(this.pick);
      if (endpoint !== undefined) model.lostCheck(endpoint);
    });
  }
  toString = () => `delete health check #${this.pick} by hand`;
}

/** `value` once in `odds` draws, null otherwise. */
const rarely = <T>(value: fc.Arbitrary<T>, odds: number) =>
  fc.oneof({ weight: odds - 1, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: value });

/** A row as a person might write it for one of the chains. */
export const rowArb: fc.Arbitrary<RowSpec> = fc
  .record({
    name: fc.constantFrom(...CHAIN_NAMES),
    ids: fc.shuffledSubarray([...TIER_IDS], { minLength: 2, maxLength: 3 }),
    shared: fc.constantFrom(true, true, true, false),
    manual: fc.boolean(),
    drain: rarely(fc.nat({ max: 2 }), 4),
    pin: rarely(fc.nat({ max: 2 }), 6),
    seed: fc.array(fc.tuple(fc.nat({ max: 3 }), fc.boolean(), fc.boolean()), { minLength: 3, maxLength: 3 }),
  })
  .map(({ name, ids, shared, manual, drain, pin, seed }) =>
    normalise({
      name,
      tiers: ids.map((id, i) => ({
        id,
        endpoint: seed[i]![0],
        check: seed[i]![1],
        threshold: seed[i]![2] ? 1 : 3,
      })),
      shared,
      manual,
      drain: drain === null ? [] : [ids[drain % ids.length]!],
      pin: pin === null ? undefined : ids[pin % ids.length],
    }),
  );

const editArb: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({
    kind: fc.constantFrom(
      'threshold' as const,
      'endpoint' as const,
      'drain' as const,
      'pin' as const,
      'remove' as const,
    ),
    tier: fc.nat({ max: 3 }),
  }),
  fc.record({
    kind: fc.constantFrom(
      'shared' as const,
      'manual' as const,
      'reorder' as const,
      'watch-last' as const,
      'add' as const,
    ),
  }),
);

/** Every command of the model, weighted towards health changes and small edits. */
export const commandArbs: fc.Arbitrary<Command>[] = [
  rowArb.map((spec) => new WriteRow(spec)),
  rowArb.map((spec) => new WriteRow(spec)),
  fc.tuple(fc.constantFrom(...CHAIN_NAMES), editArb).map(([name, edit]) => new EditRow(name, edit)),
  fc.tuple(fc.constantFrom(...CHAIN_NAMES), editArb).map(([name, edit]) => new EditRow(name, edit)),
  fc.constantFrom(...CHAIN_NAMES).map((name) => new DeleteRow(name)),
  fc.nat({ max: ENDPOINTS.length - 1 }).map((e) => new ToggleEndpoint(e)),
  fc.nat({ max: ENDPOINTS.length - 1 }).map((e) => new ToggleEndpoint(e)),
  fc.nat({ max: ENDPOINTS.length - 1 }).map((e) => new ToggleEndpoint(e)),
  fc.tuple(fc.constantFrom(60, 400, 1000), fc.boolean()).map(([s, full]) => new Wait(s, full)),
  fc.constantFrom(...CHAIN_NAMES).map((name) => new Failback(name)),
  fc.nat({ max: 7 }).map((pick) => new DeleteCheckByHand(pick)),
  rowArb.map(
    (spec) =>
      new BuildByHand({
        ...spec,
        // By hand, the last tier's record has no check: the tree falls back to it.
        tiers: spec.tiers.map((t, i) => (i === spec.tiers.length - 1 ? { ...t, check: false } : t)),
        shared: true,
        manual: false,
        drain: [],
        pin: undefined,
      }),
  ),
  fc.tuple(fc.constantFrom(...CHAIN_NAMES), fc.boolean()).map(([name, manage]) => new Import(name, manage)),
  fc
    .tuple(fc.nat({ max: 40 }), fc.constantFrom<FaultKind>('refused', 'reply-lost', 'throttle'))
    .map(([offset, kind]) => new Fault(offset, kind)),
];

/** A short, readable name of a spec for a counterexample. */
export function describe(spec: RowSpec): string {
  const tiers = spec.tiers
    .map((t) => `${t.id}@${ENDPOINTS[t.endpoint]}${t.check ? `/x${t.threshold}` : ''}`)
    .join(' > ');
  const flags = [
    spec.shared ? '' : 'shared:false',
    spec.manual ? 'failback:manual' : '',
    spec.drain.length ? `drain:${spec.drain.join(',')}` : '',
    spec.pin ? `pin:${spec.pin}` : '',
  ].filter(Boolean);
  return `${spec.name} [${tiers}]${flags.length ? ` ${flags.join(' ')}` : ''}`;
}
