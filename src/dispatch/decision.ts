import type { Decoded } from '../codec/decoded.js';
import type { Decision, SubscriberResult } from './outcome.js';
import { ProcessStatus } from './status.js';

// Five decisions exist: shared and frozen rather than built for every message.
const decision = (action: Decision['action'], deadLetter: boolean, reason: Decision['reason']): Decision => Object.freeze({ action, deadLetter, reason });
const INVALID = decision('delete', true, 'invalid');
const UNMATCHED = decision('delete', false, 'unmatched');
const RETRY = decision('retry', false, 'retry');
const FATAL = decision('delete', true, 'fatal');
const PROCESSED = decision('delete', false, 'processed');

/**
 * What to do with a message once its subscribers are done: delete it unless some subscriber asked
 * for a retry; dead-letter deletes that lose information (an invalid body, a FATAL_ERROR).
 */
export function decide(decoded: Decoded, results: readonly SubscriberResult[]): Decision {
  if (decoded.kind === 'invalid') return INVALID;
  if (results.length === 0) return UNMATCHED;
  let fatal = false;
  for (const { status } of results) {
    if (status === ProcessStatus.RETRY_LATER || status === ProcessStatus.RETRIABLE_ERROR) return RETRY;
    if (status === ProcessStatus.FATAL_ERROR) fatal = true;
  }
  return fatal ? FATAL : PROCESSED;
}
