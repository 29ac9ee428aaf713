import { ChangeMessageVisibilityCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs';
import type { MessageContext } from '../dispatch/context.js';
import type { DispatchOutcome } from '../dispatch/outcome.js';
import { clampRetryDelay } from '../aws/backoff.js';
import { describeError, truncate, type ListenerLogger } from '../aws/logger.js';
import { timeoutOptions } from '../aws/request-timeout.js';
import { visibilityLeftSeconds } from '../aws/visibility-limit.js';
import type { DeadLetterQueue } from './dead-letter.js';
import type { ListenerErrorStage, ListenerEventEmitter } from './events.js';

/**
 * What the transport must do with a message once its subscribers are done with it:
 * - `delete`: settled for good (done, unmatched, or failed for good after its dead-letter copy);
 * - `retry`: make it visible again after `delaySeconds` (a subscriber asked, the handler timed out,
 *   or the dead-letter copy failed);
 * - `keep`: touch nothing (the transport gave up on it; it comes back after its visibility timeout).
 */
export type Verdict =
  | { readonly action: 'delete' }
  | { readonly action: 'retry'; readonly delaySeconds: number; readonly receiveCount: number }
  | { readonly action: 'keep' };

export const DELETE: Verdict = Object.freeze({ action: 'delete' });
export const KEEP: Verdict = Object.freeze({ action: 'keep' });

const LOGGED_BODY_CHARS = 2048;

export interface VerdictDeps {
  client: SQSClient;
  options: { retryDelaySeconds: (receiveCount: number) => number; logger: ListenerLogger };
  deadLetter: DeadLetterQueue | undefined;
  events: ListenerEventEmitter;
  reportError: (error: Error, stage: ListenerErrorStage, messageId: string, text: string) => void;
}

/**
 * Turns a dispatch outcome into a verdict (with the dead-letter copy of what failed for good and the
 * retry delay), and carries a retry out on SQS for the transport.
 */
export class Verdicts {
  constructor(private readonly deps: VerdictDeps) {}

  /** The verdict of an outcome: at once, or once the dead-letter copy it needs is made. */
  of(message: Message, context: MessageContext, outcome: DispatchOutcome): Verdict | Promise<Verdict> {
    const { decision } = outcome;
    // Only deletes carry `deadLetter`: a delete that loses information is copied first.
    if (decision.deadLetter) return this.deadLettered(message, context, outcome);
    if (decision.action === 'retry') return this.retry(context.messageId, context.receiveCount);
    if (decision.reason === 'unmatched') {
      this.deps.options.logger.info('no subscriber matched the message; deleting it', { messageId: context.messageId, kind: outcome.decoded.kind });
    }
    return DELETE;
  }

  /** A retry after `retryDelaySeconds(receiveCount)`, clamped to what SQS takes. */
  retry(messageId: string, receiveCount: number): Verdict {
    let requested: unknown;
    try {
      requested = this.deps.options.retryDelaySeconds(receiveCount);
    } catch (error) {
      this.deps.reportError(toError(error), 'hook', messageId, 'retryDelaySeconds threw; using the default delay');
    }
    return { action: 'retry', delaySeconds: clampRetryDelay(requested, receiveCount), receiveCount };
  }

  /**
   * Makes a message visible again after its retry delay; `receivedAt` is when its receive went out.
   * When SQS refuses, the message still comes back once its current visibility timeout runs out,
   * only sooner than asked.
   */
  async setRetryDelay(
    queueUrl: string,
    messageId: string,
    receiptHandle: string,
    verdict: Extract<Verdict, { action: 'retry' }>,
    receivedAt: number,
    timeoutMs?: number,
  ): Promise<boolean> {
    const { client, options, events } = this.deps;
    const { receiveCount } = verdict;
    // SQS refuses (rather than shortens) a delay past the 12 hours of this receive.
    const delaySeconds = Math.min(verdict.delaySeconds, visibilityLeftSeconds(receivedAt, Date.now()));
    try {
      await client.send(new ChangeMessageVisibilityCommand({ QueueUrl: queueUrl, ReceiptHandle: receiptHandle, VisibilityTimeout: delaySeconds }), timeoutOptions(timeoutMs));
    } catch (error) {
      this.deps.reportError(toError(error), 'visibility', messageId, 'could not set the retry delay; the message comes back after its visibility timeout');
      return false;
    }
    options.logger.info('message left for a retry', { messageId, receiveCount, delaySeconds });
    if (events.has('message_retried')) events.emit('message_retried', { messageId, receiveCount, delaySeconds });
    return true;
  }

  private async deadLettered(message: Message, context: MessageContext, outcome: DispatchOutcome): Promise<Verdict> {
    // Back off like a retry: a copy that keeps failing must not come round every visibility timeout.
    return (await this.copy(message, context.messageId, outcome)) ? DELETE : this.retry(context.messageId, context.receiveCount);
  }

  /** Copies the message to the dead-letter queue; false (and the message is kept) when the copy failed. */
  private async copy(message: Message, messageId: string, outcome: DispatchOutcome): Promise<boolean> {
    const { deadLetter, options, events } = this.deps;
    const reason = outcome.decision.reason;
    const error = outcome.decoded.kind === 'invalid' ? outcome.decoded.error : outcome.results.find((r) => r.error)?.error;
    if (!deadLetter) {
      options.logger.warn('deleting a message that failed for good (no deadLetterQueueUrl set)', {
        messageId,
        reason,
        error: error ? describeError(error) : undefined,
        body: truncate(message.Body ?? '', LOGGED_BODY_CHARS),
      });
      return true;
    }
    try {
      const deadLetterMessageId = await deadLetter.send(message, outcome);
      options.logger.warn('copied a message that failed for good to the dead-letter queue; deleting it', {
        messageId,
        reason,
        deadLetterMessageId,
        error: error ? describeError(error) : undefined,
      });
      if (events.has('message_dead_lettered')) events.emit('message_dead_lettered', { messageId, deadLetterMessageId, reason });
      return true;
    } catch (copyError) {
      this.deps.reportError(toError(copyError), 'dead-letter', messageId, 'dead-letter copy failed; the message stays on the queue and is retried later');
      return false;
    }
  }
}

export function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
