/**
 * A virtual clock for discrete-event models: `sleep` registers a timer, and `run` lets every
 * pending promise settle before moving the clock to the earliest timer. Code under test must wait
 * only through `sleep` (no real timers or I/O), which the model's stand-ins and in-memory stores do.
 */
export class VirtualTime {
  now = 0;
  private timers: { at: number; seq: number; resolve: () => void }[] = [];
  private seq = 0;

  /** Resolve after `ms` of virtual time. */
  sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      this.timers.push({ at: this.now + Math.max(ms, 0), seq: this.seq++, resolve });
    });

  /** A promise that rejects with `error()` after `ms`, for invocation timeouts. */
  deadline(ms: number, error: () => Error): Promise<never> {
    return this.sleep(ms).then(() => Promise.reject(error()));
  }

  /** Advance time until `done()` holds or no timer is left; resolves with the final time. */
  async run(done: () => boolean, limitMs = Number.POSITIVE_INFINITY): Promise<number> {
    for (;;) {
      // setImmediate runs after every queued promise job: the model has gone as far as it can now.
      await new Promise((resolve) => setImmediate(resolve));
      if (done() || this.timers.length === 0) return this.now;
      let next = 0;
      for (let i = 1; i < this.timers.length; i++) {
        const t = this.timers[i]!;
        const best = this.timers[next]!;
        if (t.at < best.at || (t.at === best.at && t.seq < best.seq)) next = i;
      }
      const [timer] = this.timers.splice(next, 1);
      if (timer!.at > limitMs) return this.now;
      this.now = timer!.at;
      timer!.resolve();
    }
  }
}
