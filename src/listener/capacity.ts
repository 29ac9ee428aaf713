/**
 * Bounds the messages held in memory. A poll loop reserves room before it calls ReceiveMessage
 * (so parallel loops can never overshoot), gives back what the receive did not fill, and each
 * message gives back its slot once it is settled (deleted, retried, released or abandoned).
 */
export class Capacity {
  private used = 0;
  private waiters: (() => void)[] = [];
  private readonly wakeSoon = afterReleases(() => {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  });

  constructor(readonly limit: number) {}

  get inFlight(): number {
    return this.used;
  }

  /**
   * Waits until there is room, then reserves up to `want` slots and returns how many it took
   * (at least 1). Returns 0 without reserving when `signal` aborts first.
   */
  async reserve(want: number, signal: AbortSignal): Promise<number> {
    while (this.used >= this.limit) {
      if (signal.aborted) return 0;
      await new Promise<void>((resolve) => {
        const wake = () => {
          signal.removeEventListener('abort', wake);
          resolve();
        };
        this.waiters.push(wake);
        signal.addEventListener('abort', wake, { once: true });
      });
    }
    if (signal.aborted) return 0;
    const taken = Math.min(want, this.limit - this.used);
    this.used += taken;
    return taken;
  }

  /** Gives back `count` slots and wakes the loops waiting for room, once the releases of this tick are in. */
  release(count = 1): void {
    if (count <= 0) return;
    this.used = Math.max(0, this.used - count);
    if (this.waiters.length > 0) this.wakeSoon();
  }

  /** Resolves once nothing is held, or when `signal` aborts. */
  async drained(signal?: AbortSignal): Promise<void> {
    while (this.used > 0 && !signal?.aborted) await nextWake(this.waiters, signal);
  }
}

/**
 * `run`, at most once per tick, after the releases of this tick are in. The messages of one receive
 * settle together (one DeleteMessageBatch answer) but give their slots back one by one: handing out
 * slots on the first would give a waiting loop 1 slot, i.e. a receive of 1 message for a whole
 * round trip (and wake every loop once per message).
 */
export function afterReleases(run: () => void): () => void {
  let scheduled = false;
  return () => {
    if (scheduled) return;
    scheduled = true;
    process.nextTick(() => {
      scheduled = false;
      run();
    });
  };
}

/** Waits until one of `waiters` is called (the owner calls them all on a change), or `signal` aborts. */
export function nextWake(waiters: (() => void)[], signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    const wake = () => {
      signal?.removeEventListener('abort', wake);
      resolve();
    };
    waiters.push(wake);
    signal?.addEventListener('abort', wake, { once: true });
  });
}
