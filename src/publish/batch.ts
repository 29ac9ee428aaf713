import { PublishError } from './publish-errors.js';
import { PublishTimeoutError } from './publish-timeout.js';
import type { PreparedMessage } from './publish-message.js';

/** One entry of a batch publish, at its input position. */
export type PublishBatchEntry =
  | { index: number; ok: true; messageId: string; sequenceNumber?: string }
  | PublishBatchFailure;

export interface PublishBatchFailure {
  index: number;
  ok: false;
  error: Error;
}

/** Every input's outcome, in input order; `failed` lists the failures (empty when all went through). */
export interface PublishBatchResult extends ReadonlyArray<PublishBatchEntry> {
  readonly failed: readonly PublishBatchFailure[];
}

/** What one SendMessageBatch / PublishBatch call reports; `id` is the entry's position in the request. */
export interface BatchResponse {
  successful: ReadonlyArray<{ id: number; messageId: string; sequenceNumber?: string }>;
  failed: ReadonlyArray<{ id: number; code: string; message: string; senderFault: boolean }>;
}

export type SendBatch = (entries: readonly PreparedMessage[]) => Promise<BatchResponse>;

export interface BatchRunOptions {
  /** Requests in flight at once. */
  concurrency: number;
  /** Tries per entry, counting the first; only transient failures are retried. */
  maxAttempts: number;
  /** First retry delay; doubles per attempt with full jitter. */
  retryBaseDelayMs: number;
}

/** Hands out the next request's worth of messages, or undefined when none are left. */
export type NextBatch = () => PreparedMessage[] | undefined;

const MAX_RETRY_DELAY_MS = 5_000;

/**
 * Groups a stream of messages into consecutive requests within the entry and byte limits. Messages
 * are pulled (and so encoded) only when a request is being filled, so encoding overlaps with sending.
 */
export function packBatches(nextMessage: () => PreparedMessage | undefined, maxEntries: number, maxBytes: number): NextBatch {
  let carry: PreparedMessage | undefined;
  return () => {
    const batch: PreparedMessage[] = [];
    let bytes = 0;
    for (;;) {
      const message = carry ?? nextMessage();
      carry = undefined;
      if (message === undefined) break;
      if (batch.length > 0 && bytes + message.bytes > maxBytes) {
        carry = message;
        break;
      }
      batch.push(message);
      bytes += message.bytes;
      if (batch.length === maxEntries) break;
    }
    return batch.length === 0 ? undefined : batch;
  };
}

/**
 * Sends every batch with at most `concurrency` requests in flight, retrying transient failures (entries
 * the service failed without sender fault, and thrown retryable errors) with backoff, and writes each
 * entry's final outcome into `results` at its input index.
 */
export async function runBatches(next: NextBatch, send: SendBatch, results: PublishBatchEntry[], options: BatchRunOptions): Promise<void> {
  const worker = async (): Promise<void> => {
    for (let batch = next(); batch !== undefined; batch = next()) await sendWithRetries(batch, send, results, options);
  };
  const workers: Promise<void>[] = [];
  for (let i = 0; i < options.concurrency; i++) workers.push(worker());
  await Promise.all(workers);
}

async function sendWithRetries(
  batch: readonly PreparedMessage[],
  send: SendBatch,
  results: PublishBatchEntry[],
  options: BatchRunOptions,
): Promise<void> {
  let pending = batch;
  for (let attempt = 1; ; attempt++) {
    const last = attempt >= options.maxAttempts;
    let retry: PreparedMessage[] = [];
    try {
      const response = await send(pending);
      for (const ok of response.successful) {
        const message = pending[ok.id];
        if (message === undefined) continue;
        results[message.index] =
          ok.sequenceNumber === undefined
            ? { index: message.index, ok: true, messageId: ok.messageId }
            : { index: message.index, ok: true, messageId: ok.messageId, sequenceNumber: ok.sequenceNumber };
      }
      for (const failure of response.failed) {
        const message = pending[failure.id];
        if (message === undefined) continue;
        if (!failure.senderFault && !last) {
          retry.push(message);
          continue;
        }
        const error = new PublishError(`${failure.code}: ${failure.message}`, failure.code, failure.senderFault);
        results[message.index] = { index: message.index, ok: false, error };
      }
      // An entry the service neither accepted nor failed would otherwise vanish: report it.
      for (const message of pending) {
        if (results[message.index] === undefined && !retry.includes(message)) {
          const error = new PublishError('the service reported no outcome for this entry', 'MissingResult', false);
          if (last) results[message.index] = { index: message.index, ok: false, error };
          else retry.push(message);
        }
      }
    } catch (error) {
      if (!last && isTransient(error)) {
        retry = [...pending];
      } else {
        const failure = toPublishError(error);
        for (const message of pending) results[message.index] = { index: message.index, ok: false, error: failure };
      }
    }
    if (retry.length === 0) return;
    pending = retry;
    await sleep(retryDelay(attempt, options.retryBaseDelayMs));
  }
}

function retryDelay(attempt: number, baseMs: number): number {
  return Math.random() * Math.min(MAX_RETRY_DELAY_MS, baseMs * 2 ** (attempt - 1));
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

const TRANSIENT_NAMES = new Set([
  'ThrottlingException',
  'Throttling',
  'RequestThrottled',
  'TooManyRequestsException',
  'ServiceUnavailable',
  'InternalError',
  'InternalFailure',
  'KMSThrottlingException',
  'TimeoutError',
  'RequestTimeout',
]);
const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENOTFOUND', 'ECONNABORTED']);

/** Errors worth another try: throttling, server faults, timeouts, dropped connections. */
export function isTransient(error: unknown): boolean {
  if (error === null || typeof error !== 'object') return false;
  if (error instanceof PublishTimeoutError) return true;
  const e = error as { name?: unknown; code?: unknown; $retryable?: unknown; $fault?: unknown; $metadata?: { httpStatusCode?: unknown } };
  if (e.$retryable !== undefined && e.$retryable !== null) return true;
  if (e.$fault === 'server') return true;
  const status = e.$metadata?.httpStatusCode;
  if (typeof status === 'number' && (status >= 500 || status === 429)) return true;
  if (typeof e.name === 'string' && TRANSIENT_NAMES.has(e.name)) return true;
  return typeof e.code === 'string' && NETWORK_CODES.has(e.code);
}

/** Wraps whatever a request threw in a PublishError, keeping the original as `cause`. */
export function toPublishError(error: unknown, action?: string): PublishError {
  if (error instanceof PublishError) return error;
  const name = error instanceof Error ? error.name : 'Error';
  const message = error instanceof Error ? error.message : String(error);
  const fault = (error as { $fault?: unknown } | null)?.$fault;
  const prefix = action === undefined ? '' : `${action} failed: `;
  return new PublishError(`${prefix}${name}: ${message}`, name, fault === 'client' && !isTransient(error), { cause: error });
}
