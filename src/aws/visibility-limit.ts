import { SQS_MAX_VISIBILITY_SECONDS } from './limits.js';
import { REQUEST_TIMEOUT_MS } from './request-timeout.js';

/**
 * The longest visibility timeout SQS still accepts for a message received at `receivedAt` (ms since
 * epoch, when the ReceiveMessage call went out), asked at `now`.
 *
 * SQS caps one receive's total visibility at 12 hours, counted from that receive (the one whose
 * receipt handle is used), not from the message's first receive: the ChangeMessageVisibility API
 * reference's example is a message with a 30-minute timeout extended by 2 h, after which "the
 * maximum allowed timeout would be 9 hours and 30 minutes", and a timeout past that is refused, not
 * shortened. The next receive starts afresh. A call may reach SQS up to one request timeout after we
 * sent it, so that much is kept in hand; 0 means nothing can be added any more.
 */
export function visibilityLeftSeconds(receivedAt: number, now: number): number {
  const elapsedSeconds = Math.max(0, now - receivedAt) / 1000;
  return Math.max(0, Math.floor(SQS_MAX_VISIBILITY_SECONDS - elapsedSeconds - REQUEST_TIMEOUT_MS / 1000));
}
