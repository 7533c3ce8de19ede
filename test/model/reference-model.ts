// The reference model of the whole-system test, written from the README and Route 53's documented
// rules, never from the system's code. It knows the rows a person wrote, which endpoints are up,
// what Route 53's checkers have reported, and the tiers manual failback holds; from those alone it
// says which tier Route 53 must serve for each chain.
//
// Rules (README "The records it builds", "Operator controls", "Shared health checks"; Route 53
// Developer Guide, "How Amazon Route 53 chooses records when health checking is configured" and
// "How Amazon Route 53 determines whether a health check is healthy"):
// - a chain serves its first healthy tier among those not drained and not held; when none is
//   healthy, its last such tier (the last tier's record has no check, so Route 53 falls back to it);
// - a pinned chain serves its pinned tier, whatever the checks say;
// - a new health check is healthy until Route 53 has data for it; the system never points a tier
//   that Route 53 knows as failing at a new check, so a tier keeps what Route 53 knew of its
//   endpoint through any change of its check's settings (threshold, sharing);
// - chains probing the same endpoint with the same settings share one check (the README's
//   default), so a new user of a check that has data is known at once;
// - with `failback: "manual"`, a tier that traffic left because it failed is held out of the chain
//   until `chains failback`; switching back to automatic failback releases nothing by itself but
//   holds nothing either.

/** The endpoints the generated rows probe; a tier's target is `<tier>.e<endpoint>.example.net`. */
export const ENDPOINTS = ['11.0.0.1', '12.0.0.2', '13.0.0.3', '14.0.0.4'] as const;
/** Tier ids: a tier keeps its id through edits, so an edit is recognisable as the same tier. */
export const TIER_IDS = ['a', 'b', 'c', 'd'] as const;
export const CHAIN_NAMES = ['alpha.example.com', 'bravo.example.com', 'charlie.example.com'] as const;
export const ZONE_ID = 'Z0123456789EXAMPLE';

/** One tier of a generated row. */
export interface TierSpec {
  id: string;
  endpoint: number;
  /** A non-last tier always has a check; the last may be watched by one. */
  check: boolean;
  threshold: 1 | 3;
  /** A check the person made and the row names by id (imported without --manage-health-checks). */
  checkId?: string;
}

/** A row as the person wrote it, in the model's terms. */
export interface RowSpec {
  name: string;
  tiers: TierSpec[];
  shared: boolean;
  manual: boolean;
  drain: string[];
  pin: string | undefined;
}

/** What Route 53 knows of a tier's health: an endpoint it has data for, a new check, or either. */
export type Knowledge = { endpoint: number } | 'new' | 'either';

/** A tier's target: its first label is the tier id, as `chains import` names tiers. */
export const targetOf = (tier: Pick<TierSpec, 'id' | 'endpoint'>) =>
  `${tier.id}.e${tier.endpoint}.example.net`;

/** The row the Chains table holds for a spec. */
export function rowOf(spec: RowSpec): Record<string, unknown> {
  return {
    name: spec.name,
    hostedZoneId: ZONE_ID,
    recordType: 'CNAME',
    ttl: 60,
    tiers: spec.tiers.map((tier) => ({
      id: tier.id,
      target: targetOf(tier),
      ...(tier.checkId
        ? { healthCheck: { id: tier.checkId } }
        : tier.check
          ? {
              healthCheck: {
                type: 'HTTP',
                ip: ENDPOINTS[tier.endpoint],
                port: 80,
                failureThreshold: tier.threshold,
              },
            }
          : {}),
    })),
    ...(spec.shared ? {} : { shared: false }),
    ...(spec.manual ? { failback: 'manual' } : {}),
    ...(spec.drain.length > 0 ? { drain: spec.drain, force: true } : {}),
    ...(spec.pin ? { pin: spec.pin } : {}),
    changedBy: 'model',
  };
}

/** A shared check is one per endpoint and settings. */
const sharedKey = (tier: TierSpec) => `${tier.endpoint}/${tier.threshold}`;

/** The shared checks a row's tiers use (a check named by id is the person's own). */
const sharedKeys = (spec: RowSpec) =>
  spec.shared ? spec.tiers.filter((t) => t.check && !t.checkId).map(sharedKey) : [];

/** The model: rows, endpoints, what Route 53 has reported, and held tiers. */
export class ReferenceModel {
  readonly rows = new Map<string, RowSpec>();
  readonly up: boolean[] = ENDPOINTS.map(() => true);
  /** Per chain and tier: what Route 53 knows of the tier's health. */
  readonly knowledge = new Map<string, Map<string, Knowledge>>();
  /** Shared checks (by endpoint and settings) that have data and users. */
  readonly sharedWithData = new Set<string>();
  readonly held = new Map<string, string[]>();
  /** Failover trees a person built by hand in the console: no row, checks of their own. */
  readonly handBuilt = new Map<string, RowSpec>();
  /**
   * Tiers whose check was deleted by hand: reports still to pass before Route 53 surely has data
   * for its replacement (Infinity until the schedule's full run, which finds a deletion that no
   * alarm reports: an alarm that never had data does not change state when its check goes).
   */
  private readonly lost = new Map<string, number>();

  /** A person wrote `spec` (new row or edit). */
  write(spec: RowSpec): void {
    const before = this.rows.get(spec.name);
    const known = this.knowledge.get(spec.name) ?? new Map<string, Knowledge>();
    const next = new Map<string, Knowledge>();
    for (const tier of spec.tiers) {
      if (!tier.check) continue;
      const was = known.get(tier.id);
      const old = before?.tiers.find((t) => t.id === tier.id);
      if (was !== undefined && was !== 'new' && was !== 'either' && was.endpoint === tier.endpoint)
        next.set(tier.id, was);
      else if (spec.shared && !tier.checkId && this.sharedWithData.has(sharedKey(tier)))
        next.set(tier.id, { endpoint: tier.endpoint });
      else if (old?.check && old.endpoint !== tier.endpoint) next.set(tier.id, 'either');
      else if (was === 'either') next.set(tier.id, 'either');
      else next.set(tier.id, 'new');
    }
    // A tier whose check was lost keeps that only while it is still the same tier on the same endpoint.
    for (const key of [...this.lost.keys()]) {
      const [chain, tierId] = key.split('/') as [string, string];
      if (chain === spec.name && next.get(tierId) !== 'either') this.lost.delete(key);
    }
    this.rows.set(spec.name, spec);
    this.knowledge.set(spec.name, next);
    const held = (this.held.get(spec.name) ?? []).filter(
      (id) => spec.manual && spec.tiers.some((t) => t.id === id),
    );
    this.held.set(spec.name, held);
    this.forgetUnusedShared();
  }

  delete(name: string): void {
    for (const key of [...this.lost.keys()]) if (key.startsWith(`${name}/`)) this.lost.delete(key);
    this.rows.delete(name);
    this.knowledge.delete(name);
    this.held.delete(name);
    this.forgetUnusedShared();
  }

  /**
   * A check on `endpoint` was deleted by hand: Route 53's view of every tier probing it is
   * unpredictable until the system has replaced the check and the new check has data.
   */
  lostCheck(endpoint: number): void {
    for (const [name, spec] of [...this.rows, ...this.handBuilt])
      for (const tier of spec.tiers)
        if (tier.check && tier.endpoint === endpoint) {
          this.knowledge.get(name)!.set(tier.id, 'either');
          this.lost.set(`${name}/${tier.id}`, Infinity);
        }
    for (const key of [...this.sharedWithData])
      if (key.startsWith(`${endpoint}/`)) this.sharedWithData.delete(key);
  }

  /** A person built a failover tree by hand: its checks are new. */
  buildByHand(spec: RowSpec): void {
    this.handBuilt.set(spec.name, spec);
    this.knowledge.set(
      spec.name,
      new Map(spec.tiers.filter((t) => t.check).map((t) => [t.id, 'new' as const])),
    );
  }

  /**
   * `chains import NAME --write`: the tree becomes a row naming the person's checks by id, or, with
   * --manage-health-checks, with their settings copied for the system to make (and share).
   */
  imported(name: string, manage: boolean): RowSpec {
    const tree = this.handBuilt.get(name)!;
    this.handBuilt.delete(name);
    const spec: RowSpec = {
      ...tree,
      shared: true,
      tiers: tree.tiers.map((t) => {
        const { checkId, ...rest } = t;
        return manage || !checkId ? rest : { ...rest, checkId };
      }),
    };
    this.write(spec);
    return spec;
  }

  /** The row, or the tree built by hand, that Route 53 answers `name` from. */
  specOf(name: string): RowSpec | undefined {
    return this.rows.get(name) ?? this.handBuilt.get(name);
  }

  /** Route 53's checkers reported (time passed): every check that exists has data. */
  report(served: ReadonlyMap<string, string | undefined>): void {
    for (const [name, spec] of [...this.rows, ...this.handBuilt]) {
      const known = this.knowledge.get(name)!;
      for (const tier of spec.tiers) {
        if (!tier.check) continue;
        const key = `${name}/${tier.id}`;
        const left = (this.lost.get(key) ?? 0) - 1;
        if (left > 0) this.lost.set(key, left);
        else {
          this.lost.delete(key);
          known.set(tier.id, { endpoint: tier.endpoint });
        }
      }
    }
    this.sharedWithData.clear();
    for (const spec of this.rows.values())
      if (spec.shared)
        for (const tier of spec.tiers) if (tier.check) this.sharedWithData.add(sharedKey(tier));
    this.holdFailed(served);
  }

  /** An endpoint went down or came back; the checkers report it. */
  setEndpoint(endpoint: number, up: boolean, served: ReadonlyMap<string, string | undefined>): void {
    this.up[endpoint] = up;
    this.report(served);
  }

  /** The schedule's full run replaced what was deleted by hand: one more report gives the new checks data. */
  fullRan(): void {
    for (const key of this.lost.keys()) this.lost.set(key, 1);
  }

  /** `chains failback NAME`: held tiers return. True when something was held. */
  failback(name: string): boolean {
    const held = this.held.get(name) ?? [];
    this.held.set(name, []);
    return held.length > 0;
  }

  /** Tiers that serve when nothing is held or drained, in order. */
  private active(spec: RowSpec): TierSpec[] {
    const held = spec.manual ? (this.held.get(spec.name) ?? []) : [];
    return spec.tiers.filter((t) => !spec.drain.includes(t.id) && !held.includes(t.id));
  }

  /** Every tier Route 53 may serve for the chain now (one unless Route 53's knowledge is partial). */
  expected(name: string): Set<string> {
    const spec = this.specOf(name);
    if (!spec) return new Set();
    if (spec.pin) return new Set([spec.pin]);
    const active = this.active(spec);
    const known = this.knowledge.get(name)!;
    // Each tier is up, down, or (partial knowledge) either: every assignment gives one answer.
    let answers = new Set<string>();
    const walk = (i: number): void => {
      if (i === active.length - 1) {
        answers.add(active[i]!.id);
        return;
      }
      const tier = active[i]!;
      const k = known.get(tier.id) ?? 'new';
      const states = k === 'new' ? [true] : k === 'either' ? [true, false] : [this.up[k.endpoint]!];
      for (const healthy of states) {
        if (healthy) answers.add(tier.id);
        else walk(i + 1);
      }
    };
    walk(0);
    if (active.length === 0) answers = new Set([spec.tiers.at(-1)!.id]);
    return answers;
  }

  /** Every tier of the chain is failing its check (the ALL_TIERS_DOWN condition). */
  allDown(name: string): boolean {
    const spec = this.rows.get(name);
    return !!spec && spec.tiers.every((t) => t.check && !this.up[t.endpoint]);
  }

  /** Manual failback: a tier traffic left because it failed is held (README, Operator controls). */
  private holdFailed(served: ReadonlyMap<string, string | undefined>): void {
    for (const [name, spec] of this.rows) {
      if (!spec.manual || spec.pin) continue;
      const from = served.get(name);
      const tier = spec.tiers.find((t) => t.id === from);
      if (!tier || spec.drain.includes(tier.id) || !tier.check || this.up[tier.endpoint]) continue;
      const to = this.expected(name);
      if (to.size === 1 && !to.has(tier.id)) this.held.set(name, [...(this.held.get(name) ?? []), tier.id]);
    }
  }

  private forgetUnusedShared(): void {
    const used = new Set([...this.rows.values()].flatMap(sharedKeys));
    for (const key of this.sharedWithData) if (!used.has(key)) this.sharedWithData.delete(key);
  }
}
