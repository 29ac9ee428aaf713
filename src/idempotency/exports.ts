// Public names of effectively-once processing (the `idempotency` option of the listener and the Lambda handler).
export { MemoryIdempotencyStore } from './memory-store.js';
export { RedisIdempotencyStore } from './redis-store.js';
export type { RedisCommandClient, RedisIdempotencyStoreOptions } from './redis-store.js';
export type { ClaimResult, IdempotencyStore } from './store.js';
export type { IdempotencyKey } from './keys.js';
export type { IdempotencyOptions } from './options.js';
