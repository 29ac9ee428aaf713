/**
 * What a claim found under its key: `claimed` (the caller now holds it and must complete or release
 * it), `completed` (a message with this key was processed already) or `in_progress` (someone else
 * holds an unexpired claim).
 */
export type ClaimResult = 'claimed' | 'completed' | 'in_progress';

/**
 * Where the idempotency guard keeps its keys. Three atomic operations, each one round trip; `token`
 * is unique per claim, so a consumer never completes or releases a claim that is no longer its own.
 * A store throws (or rejects) when it cannot answer; the guard then applies `onStoreError`.
 *
 * Implementations: MemoryIdempotencyStore (one process), RedisIdempotencyStore; docs/idempotency.md
 * shows a DynamoDB store built on conditional writes.
 */
export interface IdempotencyStore {
  /**
   * If `key` is free (absent or expired), records it as in progress under `token` for `inProgressMs`
   * and returns `claimed`; otherwise returns what holds it. Must be atomic: of two concurrent claims,
   * one wins.
   */
  claim(key: string, token: string, inProgressMs: number): Promise<ClaimResult>;
  /**
   * Records `key` as completed for `ttlMs`, if it is still claimed under `token` or free (the claim
   * expired and nobody took it over). Leaves a claim held by another token alone.
   */
  complete(key: string, token: string, ttlMs: number): Promise<void>;
  /** Frees `key` if it is still claimed under `token` (never a completed key, never another's claim). */
  release(key: string, token: string): Promise<void>;
}
