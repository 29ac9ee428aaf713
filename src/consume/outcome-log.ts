import type { DispatchOutcome } from '../dispatch/outcome.js';
import { ProcessStatus } from '../dispatch/status.js';
import { describeError, type ListenerLogger } from '../aws/logger.js';

/** One line per subscriber result (failures at warn/error, the rest at debug), and one for an invalid body. */
export function logOutcome(logger: ListenerLogger, messageId: string, outcome: DispatchOutcome, durationMs: number): void {
  for (const r of outcome.results) {
    const fields = { messageId, subscriber: r.subscriber, status: r.status, durationMs: Math.round(r.durationMs * 1000) / 1000 };
    if (r.status === ProcessStatus.FATAL_ERROR) logger.error('subscriber failed', { ...fields, error: r.error ? describeError(r.error) : undefined });
    else if (r.status === ProcessStatus.RETRIABLE_ERROR) logger.warn('subscriber failed; will retry', { ...fields, error: r.error ? describeError(r.error) : undefined });
    else logger.debug('subscriber processed the message', fields);
  }
  if (outcome.decoded.kind === 'invalid') {
    logger.warn('invalid message body', { messageId, error: describeError(outcome.decoded.error), durationMs });
  }
}
