import type { Decoded } from '../codec/decoded.js';
import type { Decision, SubscriberResult } from './outcome.js';
import { ProcessStatus } from './status.js';

/**
 * What to do with a message once its subscribers are done: delete it unless some subscriber asked
 * for a retry; dead-letter deletes that lose information (an invalid body, a FATAL_ERROR).
 */
export function decide(decoded: Decoded, results: readonly SubscriberResult[]): Decision {
  if (decoded.kind === 'invalid') return { action: 'delete', deadLetter: true, reason: 'invalid' };
  if (results.length === 0) return { action: 'delete', deadLetter: false, reason: 'unmatched' };
  if (results.some((r) => r.status === ProcessStatus.RETRY_LATER || r.status === ProcessStatus.RETRIABLE_ERROR)) {
    return { action: 'retry', deadLetter: false, reason: 'retry' };
  }
  if (results.some((r) => r.status === ProcessStatus.FATAL_ERROR)) return { action: 'delete', deadLetter: true, reason: 'fatal' };
  return { action: 'delete', deadLetter: false, reason: 'processed' };
}
