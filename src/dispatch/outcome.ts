import type { Decoded } from '../codec/decoded.js';
import type { ProcessStatus } from './status.js';

/** One subscriber's run on one message. */
export interface SubscriberResult {
  /** The subscriber's class name. */
  subscriber: string;
  status: ProcessStatus;
  /** The error it threw or the schema failure, when the status came from one. */
  error?: Error;
  durationMs: number;
}

/**
 * What should happen to the message, decided without any transport in sight:
 * - `delete`: every matching subscriber is done (DONE or FATAL_ERROR), none matched, or the body is invalid;
 * - `retry`: some subscriber asked for it (RETRY_LATER or RETRIABLE_ERROR); leave it on the queue.
 * `deadLetter` marks deletes that lose information (FATAL_ERROR, invalid body): the listener copies
 * those to its dead-letter queue first, when it has one.
 */
export interface Decision {
  readonly action: 'delete' | 'retry';
  readonly deadLetter: boolean;
  readonly reason: 'processed' | 'unmatched' | 'invalid' | 'fatal' | 'retry';
}

export interface DispatchOutcome {
  decoded: Decoded;
  results: SubscriberResult[];
  decision: Decision;
}
