import { SqsMegaError } from '../protocol/errors.js';

/**
 * A message's processing ran past `handlerTimeoutSeconds`. It is the reason of the context's
 * `signal` (so a subscriber that honours it can tell a timeout from a shutdown) and the error of the
 * listener's `error` event (stage `timeout`). The message was left for a retry, not deleted.
 */
export class HandlerTimeoutError extends SqsMegaError {
  constructor(
    readonly messageId: string,
    readonly timeoutSeconds: number,
    /** What was still running: the matching subscribers that had not finished, or a processing hook. */
    readonly stillRunning: readonly string[],
  ) {
    super(
      `message ${messageId} was still being processed after ${timeoutSeconds} s (still running: ${stillRunning.join(', ') || 'nothing known'}); ` +
        'it is left on the queue for a retry and whatever its handler returns later is ignored',
    );
  }
}

/** Which part of a message's processing is running, to name it when the deadline passes. */
export type ProcessingPhase = 'onBeforeProcess' | 'subscribers' | 'onAfterProcess';

/**
 * Races `work` against a deadline: resolves with its value, or with `undefined` once `ms` passed
 * first (the work goes on; the caller decides what to do with it). A rejection of `work` in time
 * rejects; one after the deadline is left to the caller, who holds `work`.
 */
export function withinDeadline<T>(work: Promise<T>, ms: number): Promise<T | undefined> {
  // One promise and one timer per call (no async wrapper, no Promise.race): this runs for every message.
  return new Promise<T | undefined>((resolve, reject) => {
    const timer = setTimeout(() => resolve(undefined), ms);
    work.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

/**
 * Names what is still running: the matching subscribers without a result yet (a name once per
 * result, so two subscribers sharing a name are told apart by count), or the hook in progress.
 */
export function stillRunning(phase: ProcessingPhase, matched: readonly string[], finished: readonly string[]): string[] {
  if (phase !== 'subscribers') return [phase];
  const left = [...matched];
  for (const name of finished) {
    const index = left.indexOf(name);
    if (index >= 0) left.splice(index, 1);
  }
  return left;
}
