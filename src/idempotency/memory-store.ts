import type { ClaimResult, IdempotencyStore } from './store.js';

interface Entry {
  state: 'in_progress' | 'completed';
  token: string;
  expiresAt: number;
}

/**
 * An IdempotencyStore in this process's memory: for tests, and for a single consumer process that
 * only needs to skip redeliveries to itself. Keys are lost on restart. Expired keys are swept as
 * new claims come in, so memory follows the keys alive within `ttlSeconds`.
 */
export class MemoryIdempotencyStore implements IdempotencyStore {
  private readonly entries = new Map<string, Entry>();
  private readonly now: () => number;
  private claimsSinceSweep = 0;

  /** `now` is the clock in ms (default Date.now), for tests. */
  constructor(options: { now?: () => number } = {}) {
    this.now = options.now ?? Date.now;
  }

  /** Keys held (in progress or completed), expired ones included until the next sweep. */
  get size(): number {
    return this.entries.size;
  }

  claim(key: string, token: string, inProgressMs: number): Promise<ClaimResult> {
    const now = this.now();
    if (++this.claimsSinceSweep >= 1000) this.sweep(now);
    const entry = this.live(key, now);
    if (entry) return Promise.resolve(entry.state);
    this.entries.set(key, { state: 'in_progress', token, expiresAt: now + inProgressMs });
    return Promise.resolve('claimed');
  }

  complete(key: string, token: string, ttlMs: number): Promise<void> {
    const now = this.now();
    const entry = this.live(key, now);
    if (!entry || (entry.state === 'in_progress' && entry.token === token)) {
      this.entries.set(key, { state: 'completed', token, expiresAt: now + ttlMs });
    }
    return Promise.resolve();
  }

  release(key: string, token: string): Promise<void> {
    const entry = this.live(key, this.now());
    if (entry?.state === 'in_progress' && entry.token === token) this.entries.delete(key);
    return Promise.resolve();
  }

  private live(key: string, now: number): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry && entry.expiresAt <= now) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  private sweep(now: number): void {
    this.claimsSinceSweep = 0;
    for (const [key, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(key);
  }
}
