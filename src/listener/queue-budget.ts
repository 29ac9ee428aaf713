import { afterReleases, nextWake } from './capacity.js';
import type { QueuePolling } from './listener-options.js';

/** What a poll loop and a message handler need from the in-flight budget (Capacity fits). */
export interface Slots {
  reserve(want: number, signal: AbortSignal): Promise<number>;
  release(count?: number): void;
  /** Slots held now. */
  readonly inFlight: number;
}

/** A queue's view of the shared budget, plus what its poll loops tell it and ask of it. */
export interface QueueSlots extends Slots {
  /** After each receive: how many messages it brought (0 for an empty or failed one). */
  received(count: number): void;
  /** The long-poll wait for this queue's next receive, from its configured one. */
  waitTimeSeconds(configured: number): number;
}

interface QueueState {
  readonly weight: number;
  used: number;
  /** Whether its last receive brought messages (unknown counts as yes until the first answer). */
  busy: boolean;
  readonly waiters: Waiter[];
}

interface Waiter {
  readonly want: number;
  readonly signal: AbortSignal;
  readonly grant: (count: number) => void;
}

/**
 * One `maxInFlight` shared by several queues. A queue that is served holds slots until its messages
 * settle; when they are scarce, freed slots go:
 * - weighted: to the queue furthest below its share, each queue's share being `maxInFlight` split by
 *   weight among the queues that have work (a queue whose last receive came back empty lends its
 *   share, and takes it back as slots free once it has work again);
 * - strict: to the first queue in order; a queue receives only while every queue above it is empty.
 * While the budget has room, every queue takes what it asks: weights and priorities order
 * contention, they never leave the listener idle.
 */
export class QueueBudget {
  private readonly queues: QueueState[];
  private used = 0;
  private drainWaiters: (() => void)[] = [];
  /** One pump after the releases of a tick, so a waiting loop gets the slots of a whole settled receive. */
  private readonly pumpSoon = afterReleases(() => this.pump());

  constructor(
    readonly limit: number,
    weights: readonly number[],
    private readonly polling: QueuePolling,
  ) {
    this.queues = weights.map((weight) => ({ weight, used: 0, busy: true, waiters: [] }));
  }

  get inFlight(): number {
    return this.used;
  }

  /** The view one queue's poll loops and message handler use. */
  slotsFor(index: number): QueueSlots {
    const queue = this.queues[index] as QueueState;
    const lower = index < this.queues.length - 1;
    return {
      get inFlight() {
        return queue.used;
      },
      reserve: (want, signal) => this.reserve(queue, want, signal),
      release: (count = 1) => this.release(queue, count),
      received: (count) => this.received(queue, count),
      // Strict: a busy queue short-polls, so that the moment it is empty the queues below it go on,
      // rather than after a long poll on an empty queue (Shoryuken #695). An empty one long-polls,
      // which picks up new work at once and costs one request per wait.
      waitTimeSeconds: (configured) => (this.polling === 'strict' && lower && queue.busy ? 0 : configured),
    };
  }

  /** Resolves once nothing is held, or when `signal` aborts. */
  async drained(signal?: AbortSignal): Promise<void> {
    while (this.used > 0 && !signal?.aborted) await nextWake(this.drainWaiters, signal);
  }

  private reserve(queue: QueueState, want: number, signal: AbortSignal): Promise<number> {
    if (signal.aborted) return Promise.resolve(0);
    return new Promise<number>((resolve) => {
      const waiter: Waiter = {
        want,
        signal,
        grant: (count) => {
          signal.removeEventListener('abort', onAbort);
          resolve(count);
        },
      };
      const onAbort = () => {
        const at = queue.waiters.indexOf(waiter);
        if (at >= 0) queue.waiters.splice(at, 1);
        resolve(0);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      queue.waiters.push(waiter);
      this.pump();
    });
  }

  private release(queue: QueueState, count: number): void {
    if (count <= 0) return;
    queue.used = Math.max(0, queue.used - count);
    this.used = Math.max(0, this.used - count);
    this.pumpSoon();
    if (this.drainWaiters.length > 0) {
      const waiters = this.drainWaiters;
      this.drainWaiters = [];
      for (const wake of waiters) wake();
    }
  }

  private received(queue: QueueState, count: number): void {
    const busy = count > 0;
    if (queue.busy === busy) return;
    queue.busy = busy;
    this.pump(); // shares and strict eligibility changed
  }

  /** Hands free slots to the waiting loops, best-placed queue first. */
  private pump(): void {
    while (this.used < this.limit) {
      const queue = this.next();
      if (!queue) return;
      const waiter = queue.waiters.shift() as Waiter;
      const taken = Math.min(waiter.want, this.limit - this.used, Math.max(1, this.room(queue)));
      queue.used += taken;
      this.used += taken;
      waiter.grant(taken);
    }
  }

  /** The queue whose waiting loop gets the next free slots, if any may have them. */
  private next(): QueueState | undefined {
    let best: QueueState | undefined;
    for (let i = 0; i < this.queues.length; i += 1) {
      const queue = this.queues[i] as QueueState;
      if (this.polling === 'strict') {
        if (queue.waiters.length > 0) return queue;
        if (queue.busy) return undefined; // nothing below a queue with work may receive
        continue;
      }
      if (queue.waiters.length === 0 || this.room(queue) <= 0) continue;
      if (!best || queue.used / queue.weight < best.used / best.weight) best = queue;
    }
    return best;
  }

  /** Weighted: how far a queue is below its share of the budget among the queues that have work. */
  private room(queue: QueueState): number {
    if (this.polling === 'strict') return this.limit;
    let active = 0;
    for (const q of this.queues) if (q.busy || q === queue) active += q.weight;
    return Math.max(1, Math.floor((this.limit * queue.weight) / active)) - queue.used;
  }
}
