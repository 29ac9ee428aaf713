// Knows when a queue of `expected` numbered messages has been drained: every message id seen once.
// Counting distinct ids (not calls) means a redelivered message cannot end a round early.

export class DrainCounter {
  private readonly seen: Uint8Array;
  private count = 0;
  duplicates = 0;
  /** performance.now() when the last distinct message was counted. */
  finishedAt = 0;
  readonly done: Promise<void>;
  private resolve!: () => void;

  constructor(readonly expected: number) {
    this.seen = new Uint8Array(expected);
    this.done = new Promise((r) => (this.resolve = r));
  }

  get processed(): number {
    return this.count;
  }

  /** Records message number `n` (the order_id the fixtures put in event.attributes). */
  record(n: unknown): void {
    if (typeof n !== 'number' || !(n >= 0 && n < this.expected)) throw new Error(`DrainCounter: unexpected message number ${String(n)}`);
    if (this.seen[n]) {
      this.duplicates++;
      return;
    }
    this.seen[n] = 1;
    if (++this.count === this.expected) {
      this.finishedAt = performance.now();
      this.resolve();
    }
  }
}

/** The fixture's message number from a parsed MEGA wire object (baselines) or a decoded payload. */
export function orderId(payload: unknown): unknown {
  const event = (payload as { event?: { attributes?: { order_id?: unknown } } }).event;
  return event?.attributes?.order_id;
}
