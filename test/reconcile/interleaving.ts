import type { ReconcileDeps } from '../../shared/ports.ts';

/**
 * Runs actors step by step: each call an actor makes to a gated port method waits here until
 * every other running actor is also waiting (or done), then one of them is let through, chosen by
 * `prefix` at each point where there is a choice (the first by default). `choices` records every
 * such point, so the caller can enumerate every interleaving depth first.
 */
export class Scheduler {
  readonly choices: { chosen: number; options: number }[] = [];
  private readonly waiting = new Map<string, () => void>();
  private readonly active = new Set<string>();

  private last: string | undefined;
  private preemptions = 0;

  /**
   * `maxPreemptions` bounds how often an actor that could go on is stopped for another (the
   * CHESS bound: nearly every concurrency bug shows with two); switching when an actor waits
   * on nothing else is free.
   */
  constructor(
    private readonly prefix: readonly number[],
    private readonly maxPreemptions = Infinity,
  ) {}

  /** Run the actors to the end, interleaved; a thrown error is returned, not raised. */
  async run(actors: Record<string, () => Promise<unknown>>): Promise<Record<string, unknown>> {
    const names = Object.keys(actors).sort();
    for (const name of names) this.active.add(name);
    const results = await Promise.all(
      names.map(async (name) => {
        try {
          await this.step(name);
          return await actors[name]!();
        } catch (error) {
          return error;
        } finally {
          this.active.delete(name);
          this.dispatch();
        }
      }),
    );
    return Object.fromEntries(names.map((name, i) => [name, results[i]]));
  }

  /** Wait for this actor's turn. */
  step(actor: string): Promise<void> {
    return new Promise((resolve) => {
      this.waiting.set(actor, resolve);
      this.dispatch();
    });
  }

  private dispatch(): void {
    if ([...this.active].some((actor) => !this.waiting.has(actor))) return;
    const ready = [...this.waiting.keys()].sort();
    if (ready.length === 0) return;
    const lastReady = this.last !== undefined && ready.includes(this.last);
    let actor = ready[0]!;
    if (lastReady && this.preemptions >= this.maxPreemptions) actor = this.last!;
    else if (ready.length > 1) {
      const index = this.prefix[this.choices.length] ?? 0;
      this.choices.push({ chosen: index, options: ready.length });
      actor = ready[index]!;
      if (lastReady && actor !== this.last) this.preemptions++;
    }
    this.last = actor;
    const resume = this.waiting.get(actor)!;
    this.waiting.delete(actor);
    resume();
  }
}

/** The next schedule after `choices` in depth-first order, or undefined when all were run. */
export function nextPrefix(choices: readonly { chosen: number; options: number }[]): number[] | undefined {
  for (let i = choices.length - 1; i >= 0; i--) {
    const choice = choices[i]!;
    if (choice.chosen + 1 < choice.options) {
      return [...choices.slice(0, i).map((c) => c.chosen), choice.chosen + 1];
    }
  }
  return undefined;
}

/**
 * The same deps for one actor, with a scheduling point before every call that reads or writes
 * what a race is about: the status item, the row, and the chain's records.
 */
export function gated(deps: ReconcileDeps, actor: string, scheduler: Scheduler): ReconcileDeps {
  const gate =
    <A extends unknown[], R>(call: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      await scheduler.step(actor);
      return call(...args);
    };
  const { status, chains, route53 } = deps;
  return {
    ...deps,
    status: {
      get: gate((name: string) => status.get(name)),
      save: gate((item: Parameters<typeof status.save>[0], revision: number) => status.save(item, revision)),
      list: gate(() => status.list()),
      outboxesDue: gate((at: string) => status.outboxesDue(at)),
    },
    chains: { get: gate((name: string) => chains.get(name)), scan: gate(() => chains.scan()) },
    route53: Object.assign(Object.create(route53) as ReconcileDeps['route53'], {
      listRecordsUnder: gate((zone: string, name: string) => route53.listRecordsUnder(zone, name)),
      listZone: gate((zone: string) => route53.listZone(zone)),
      changeRecords: gate((...args: Parameters<typeof route53.changeRecords>) =>
        route53.changeRecords(...args),
      ),
    }),
    sleep: () => Promise.resolve(),
  };
}
