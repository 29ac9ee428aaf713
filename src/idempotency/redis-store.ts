import type { ClaimResult, IdempotencyStore } from './store.js';

/**
 * The one method RedisIdempotencyStore needs from a Redis client. A node-redis client (`redis` 4 and
 * later, `createClient()`) has it as it is; for ioredis pass
 * `{ sendCommand: ([command, ...args]) => redis.call(command, ...args) }`.
 * Typed structurally, so this library never loads a Redis package itself.
 */
export interface RedisCommandClient {
  sendCommand(args: string[]): Promise<unknown>;
}

export interface RedisIdempotencyStoreOptions {
  /** A connected client (its connection, reconnection and offline queue are yours to configure). */
  client: RedisCommandClient;
  /** Prefix of every key this store writes (default `sqs-mega:idempotency:`). */
  prefix?: string;
}

const IN_PROGRESS = 'p:';
const COMPLETED = 'c:';

// Both scripts compare the claim's token first, so a consumer whose claim expired and was taken over
// never completes or frees the new holder's claim.
const COMPLETE = `local v = redis.call('GET', KEYS[1])
if v == false or v == ARGV[1] then return redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3]) end
return 0`;
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/**
 * An IdempotencyStore in Redis (7.0 or later): one round trip per operation, each atomic. A claim is
 * `SET key p:<token> NX PX <inProgressMs> GET` (sets only a free key, and returns what held it
 * otherwise); complete and release are Lua scripts (EVAL) that first compare the claim token.
 */
export class RedisIdempotencyStore implements IdempotencyStore {
  private readonly client: RedisCommandClient;
  private readonly prefix: string;

  constructor(options: RedisIdempotencyStoreOptions) {
    if (typeof options?.client?.sendCommand !== 'function') {
      throw new TypeError('RedisIdempotencyStore needs a client with sendCommand(args), such as a node-redis client');
    }
    this.client = options.client;
    this.prefix = options.prefix ?? 'sqs-mega:idempotency:';
  }

  async claim(key: string, token: string, inProgressMs: number): Promise<ClaimResult> {
    const previous = await this.client.sendCommand(['SET', this.prefix + key, IN_PROGRESS + token, 'NX', 'PX', ms(inProgressMs), 'GET']);
    if (previous === null || previous === undefined) return 'claimed';
    return String(previous).startsWith(COMPLETED) ? 'completed' : 'in_progress';
  }

  async complete(key: string, token: string, ttlMs: number): Promise<void> {
    await this.client.sendCommand(['EVAL', COMPLETE, '1', this.prefix + key, IN_PROGRESS + token, COMPLETED + token, ms(ttlMs)]);
  }

  async release(key: string, token: string): Promise<void> {
    await this.client.sendCommand(['EVAL', RELEASE, '1', this.prefix + key, IN_PROGRESS + token]);
  }
}

/** Redis wants a whole, positive number of milliseconds. */
const ms = (value: number) => String(Math.max(1, Math.ceil(value)));
