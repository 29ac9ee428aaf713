import { PublishError, PublisherOptionsError } from './publish-errors.js';
import { REQUEST_TIMEOUT_MS } from '../aws/request-timeout.js';

// setTimeout (and so AbortSignal.timeout) fires at once for anything longer.
const MAX_TIMEOUT_MS = 2_147_483_647;

/**
 * A publish request got no answer within `requestTimeoutMs` and was abandoned. The service may still
 * have stored the message (the answer may be what was lost), so a retry can duplicate it.
 * `publishBatch` retries it like any transient failure.
 */
export class PublishTimeoutError extends PublishError {
  constructor(
    action: string,
    readonly timeoutMs: number,
    options?: { cause?: unknown },
  ) {
    super(`${action}: no answer within ${timeoutMs} ms (requestTimeoutMs); the request was abandoned`, 'RequestTimeout', false, options);
  }
}

/** The publisher's `requestTimeoutMs`: default the listener's request deadline (20 s). */
export function checkRequestTimeout(value: unknown): number {
  if (value === undefined) return REQUEST_TIMEOUT_MS;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_TIMEOUT_MS) {
    throw new PublisherOptionsError(`requestTimeoutMs must be a whole number of milliseconds from 1 to ${MAX_TIMEOUT_MS}, got ${String(value)}`, 'requestTimeoutMs');
  }
  return value;
}

/**
 * Runs one request (the SDK's own retries included) with a deadline: a connection that never answers
 * must not hang the producer. Past it the request is aborted and PublishTimeoutError thrown.
 */
export async function sendWithin<T>(timeoutMs: number, action: string, send: (abortSignal: AbortSignal) => Promise<T>): Promise<T> {
  const abortSignal = AbortSignal.timeout(timeoutMs);
  try {
    return await send(abortSignal);
  } catch (error) {
    if (abortSignal.aborted) throw new PublishTimeoutError(action, timeoutMs, { cause: error });
    throw error;
  }
}
