import { randomUUID } from 'node:crypto';
import type { MessageContext } from '../dispatch/context.js';
import { describeError, truncate, type ListenerLogger } from '../aws/logger.js';
import { SqsMegaError } from '../protocol/errors.js';
import { keyOf } from '../idempotency/keys.js';
import type { ResolvedIdempotency } from '../idempotency/options.js';
import type { ListenerEventEmitter } from './events.js';
import { withinDeadline } from './handler-timeout.js';

/** Longest a store call may take before it counts as a store error (a hung store must not hang messages). */
const STORE_TIMEOUT_MS = 5_000;
/** A key in progress elsewhere is not retried sooner than this, whatever retryDelaySeconds says. */
const MIN_BUSY_RETRY_SECONDS = 1;
const LOGGED_KEY_CHARS = 200;

/**
 * What the guard reads of a verdict and makes itself: the message processor's Verdict, written out
 * structurally because the processor imports the guard (no import cycle).
 */
type Verdict = { readonly action: 'delete' } | { readonly action: 'retry'; readonly delaySeconds: number; readonly receiveCount: number } | { readonly action: 'keep' };

/** The store did not answer in time. */
class StoreTimeoutError extends SqsMegaError {
  constructor(operation: string) {
    super(`the idempotency store did not answer ${operation} within ${STORE_TIMEOUT_MS} ms`);
  }
}

/**
 * Effectively-once processing in front of the subscribers: claims the message's key before they run,
 * skips a message whose key was completed, leaves one whose key is in progress elsewhere for a retry,
 * and after the verdict marks the key completed (delete) or frees it (retry, timeout, kept).
 * A crash leaves the claim to expire after `inProgressMs`; the next delivery then runs the message.
 */
export class IdempotencyGuard {
  constructor(
    private readonly options: ResolvedIdempotency,
    private readonly logger: ListenerLogger,
    private readonly events: ListenerEventEmitter,
  ) {}

  /** Takes a decoded message to its verdict through `work`, or without it for a duplicate. Never rejects. */
  async run<P extends { verdict: Verdict }>(context: MessageContext, work: () => P | Promise<P>, retry: () => Verdict): Promise<(P & { completing?: Promise<void> }) | { verdict: Verdict }> {
    const { messageId } = context;
    let key: string | undefined;
    try {
      key = keyOf(this.options.key, context);
    } catch (error) {
      this.storeError(error, messageId, 'the idempotency key function threw; processing the message without a claim');
    }
    if (key === undefined) return work();

    const token = randomUUID();
    let claim: 'claimed' | 'completed' | 'in_progress' | 'unguarded';
    try {
      claim = await this.call('claim', this.options.store.claim(key, token, this.options.inProgressMs));
    } catch (error) {
      if (this.options.onStoreError === 'retry') {
        this.storeError(error, messageId, 'the idempotency store failed; leaving the message for a retry', key);
        return { verdict: retry() };
      }
      this.storeError(error, messageId, 'the idempotency store failed; processing the message unguarded (onStoreError: process)', key);
      claim = 'unguarded';
    }
    if (claim === 'completed' || claim === 'in_progress') return { verdict: this.duplicate(context, key, claim, retry) };

    const processed = await work();
    if (processed.verdict.action === 'delete') {
      // Sent before the transport's delete, which awaits it alongside (not after): a lost delete finds the
      // key completed, and the message's slot is not held for one more store round trip.
      const completing = this.settle('complete', messageId, key, () => this.options.store.complete(key, token, this.options.ttlMs));
      return { ...processed, completing };
    }
    if (claim === 'claimed') await this.settle('release', messageId, key, () => this.options.store.release(key, token));
    return processed;
  }

  private duplicate(context: MessageContext, key: string, state: 'completed' | 'in_progress', retry: () => Verdict): Verdict {
    const { messageId, receiveCount } = context;
    const fields = { messageId, key: truncate(key, LOGGED_KEY_CHARS), receiveCount };
    let verdict: Verdict;
    if (state === 'completed') {
      this.logger.info('duplicate message skipped: its key was processed already; deleting it', fields);
      verdict = { action: 'delete' };
    } else {
      this.logger.info('duplicate message skipped for now: its key is being processed elsewhere; leaving it for a retry', fields);
      const asked = retry();
      verdict = asked.action === 'retry' ? { ...asked, delaySeconds: Math.max(asked.delaySeconds, MIN_BUSY_RETRY_SECONDS) } : asked;
    }
    if (this.events.has('message_duplicate')) this.events.emit('message_duplicate', { messageId, key, state });
    return verdict;
  }

  /** Completes or frees a claim; a failure is reported and the verdict stands (the claim then expires). */
  private async settle(operation: string, messageId: string, key: string, call: () => Promise<void>): Promise<void> {
    try {
      await this.call(operation, call());
    } catch (error) {
      this.storeError(error, messageId, `the idempotency store failed to ${operation} a claim; it expires on its own`, key);
    }
  }

  private async call<T>(operation: string, pending: Promise<T>): Promise<T> {
    const answered = pending.then((value) => ({ value }));
    const result = await withinDeadline(answered, STORE_TIMEOUT_MS);
    if (result === undefined) {
      answered.catch(() => undefined); // a late failure has nobody left to tell
      throw new StoreTimeoutError(operation);
    }
    return result.value;
  }

  private storeError(error: unknown, messageId: string, text: string, key?: string): void {
    const err = error instanceof Error ? error : new Error(String(error));
    this.logger.error(text, { messageId, stage: 'idempotency', key: key === undefined ? undefined : truncate(key, LOGGED_KEY_CHARS), error: describeError(err) });
    this.events.emit('error', { error: err, stage: 'idempotency', messageId });
  }
}
