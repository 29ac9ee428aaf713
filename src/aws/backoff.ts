import { setTimeout as delay } from 'node:timers/promises';
import { SQS_MAX_VISIBILITY_SECONDS } from './limits.js';

const MAX_DEFAULT_RETRY_SECONDS = 900;

/** The default retry delay: a random whole number of seconds up to 2^receiveCount, at most 900. */
export function defaultRetryDelaySeconds(receiveCount: number): number {
  const ceiling = Math.min(MAX_DEFAULT_RETRY_SECONDS, 2 ** Math.max(1, Math.min(receiveCount, 10)));
  return Math.round(Math.random() * ceiling);
}

/**
 * Turns whatever a user's retryDelaySeconds returned into a visibility timeout SQS accepts: a whole
 * number of seconds from 0 to `maxSeconds` (what is left of the receive's 12 hours, see
 * visibility-limit.ts; SQS refuses more rather than shortening it). Anything not a finite number
 * falls back to the default.
 */
export function clampRetryDelay(seconds: unknown, receiveCount: number, maxSeconds = SQS_MAX_VISIBILITY_SECONDS): number {
  const value = typeof seconds === 'number' && Number.isFinite(seconds) ? seconds : defaultRetryDelaySeconds(receiveCount);
  return Math.min(maxSeconds, SQS_MAX_VISIBILITY_SECONDS, Math.max(0, Math.round(value)));
}

/**
 * Exponential backoff with "equal jitter": the n-th consecutive failure waits between half and all of
 * min(cap, base * 2^n), so retries spread out but never collapse to zero (the loop cannot spin).
 */
export class Backoff {
  private failures = 0;

  constructor(
    private readonly baseMs = 200,
    private readonly capMs = 20_000,
    private readonly random: () => number = Math.random,
  ) {}

  /** The delay before the next attempt; each call counts one more failure. */
  next(): number {
    const ceiling = Math.min(this.capMs, this.baseMs * 2 ** Math.min(this.failures, 30));
    this.failures += 1;
    return Math.round(ceiling / 2 + (this.random() * ceiling) / 2);
  }

  get attempts(): number {
    return this.failures;
  }

  reset(): void {
    this.failures = 0;
  }
}

/** Waits `ms`, or less if `signal` aborts; never rejects. */
export async function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return;
  try {
    await delay(ms, undefined, { signal });
  } catch {
    // aborted: the caller checks its own state
  }
}
