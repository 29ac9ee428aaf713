import { z } from 'zod';
import type { IdempotencyKey } from './keys.js';
import type { IdempotencyStore } from './store.js';

/** `idempotency` on SqsListener and createLambdaHandler: effectively-once processing (docs/idempotency.md). */
export interface IdempotencyOptions {
  /** Where claims and completed keys live: MemoryIdempotencyStore, RedisIdempotencyStore or your own. */
  store: IdempotencyStore;
  /** What makes two messages the same (default `'messageId'`). */
  key?: IdempotencyKey;
  /** How long a completed key is remembered, in seconds (default 86400, one day). */
  ttlSeconds?: number;
  /**
   * How long a claim holds before it expires, in seconds: the time a crashed consumer's message waits
   * before its next delivery may run it. At least `handlerTimeoutSeconds` (a claim must outlive the
   * processing it guards); default `handlerTimeoutSeconds` + 10.
   */
  inProgressSeconds?: number;
  /**
   * When the store cannot answer a claim: `'retry'` (default) leaves the message for a retry (no
   * duplicate, no loss, but nothing is processed while the store is down); `'process'` runs it
   * unguarded (availability first: a duplicate may slip through).
   */
  onStoreError?: 'retry' | 'process';
}

/** The idempotency options after validation, with every default filled in. */
export interface ResolvedIdempotency {
  store: IdempotencyStore;
  key: IdempotencyKey;
  ttlMs: number;
  inProgressMs: number;
  onStoreError: 'retry' | 'process';
}

const DEFAULT_IDEMPOTENCY_TTL_SECONDS = 86_400;
/** Added to handlerTimeoutSeconds for the default claim: time for the dead-letter copy and the store calls. */
const IN_PROGRESS_MARGIN_SECONDS = 10;
const isFunction = (v: unknown) => typeof v === 'function';

/** The zod field of `idempotency`, for the consumer options schema. */
export const idempotencyOptionField = z
  .object({
    store: z.custom<IdempotencyStore>(
      (v) => typeof v === 'object' && v !== null && ['claim', 'complete', 'release'].every((m) => isFunction((v as Record<string, unknown>)[m])),
      'must be an idempotency store (claim, complete and release methods), such as MemoryIdempotencyStore or RedisIdempotencyStore',
    ),
    key: z
      .custom<IdempotencyKey>((v) => v === 'messageId' || v === 'payloadHash' || isFunction(v), "must be 'messageId', 'payloadHash' or a function of the decoded message and its context")
      .optional(),
    ttlSeconds: z.number().gt(0, 'must be more than 0 seconds').optional(),
    inProgressSeconds: z.number().gt(0, 'must be more than 0 seconds').optional(),
    onStoreError: z.enum(['retry', 'process'], "must be 'retry' or 'process'").optional(),
  })
  .strict()
  .optional();

/** Options that only make sense together: a claim shorter than the handler deadline lets a redelivery run beside a slow handler. */
export function idempotencyIssues(parsed: { idempotency?: { inProgressSeconds?: number | undefined } | undefined; handlerTimeoutSeconds: number }): { path: string; message: string }[] {
  const inProgress = parsed.idempotency?.inProgressSeconds;
  if (inProgress === undefined || inProgress >= parsed.handlerTimeoutSeconds) return [];
  return [{ path: 'idempotency.inProgressSeconds', message: `must be at least handlerTimeoutSeconds (${parsed.handlerTimeoutSeconds}): a claim must outlive the processing it guards` }];
}

/** The validated option with defaults; the store and key function are taken as given. */
export function resolveIdempotency(options: IdempotencyOptions | undefined, handlerTimeoutSeconds: number): ResolvedIdempotency | undefined {
  if (options === undefined) return undefined;
  return {
    store: options.store,
    key: options.key ?? 'messageId',
    ttlMs: (options.ttlSeconds ?? DEFAULT_IDEMPOTENCY_TTL_SECONDS) * 1000,
    inProgressMs: (options.inProgressSeconds ?? handlerTimeoutSeconds + IN_PROGRESS_MARGIN_SECONDS) * 1000,
    onStoreError: options.onStoreError ?? 'retry',
  };
}
