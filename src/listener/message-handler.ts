import type { Message } from '@aws-sdk/client-sqs';
import type { MessageProcessor, Processed, ProcessOptions } from '../consume/message-processor.js';
import type { Verdict } from '../consume/verdicts.js';
import type { Slots } from './queue-budget.js';
import type { DeleteBatcher } from './deleter.js';
import type { Heartbeat } from './heartbeat.js';
import type { ListenerEventEmitter } from '../consume/events.js';
import type { ResolvedListenerOptions } from './listener-options.js';

export type { MessageDispatcher } from '../consume/message-processor.js';

/** A delete with nothing else attached (no timeout, idempotency completion or large payload). */
const isPlainDelete = (p: Processed): boolean => p.verdict.action === 'delete' && p.timedOut === undefined && p.onDeleted === undefined && p.completing === undefined;

export interface MessageHandlerDeps {
  options: ResolvedListenerOptions;
  processor: MessageProcessor;
  capacity: Slots;
  deleter: DeleteBatcher;
  heartbeat: Heartbeat;
  events: ListenerEventEmitter;
  /** Aborted when shutdown passes its deadline; passed on to every context's `signal`. */
  signal: AbortSignal;
}

/**
 * The listener's side of one message: keeps it hidden (heartbeat) and holds its capacity slot while
 * the shared MessageProcessor takes it to a verdict, then settles that verdict on the queue (batched
 * delete, or the retry delay).
 */
export class MessageHandler {
  /** Set once shutdown gave up waiting: results that arrive later are left alone (the message is redelivered). */
  abandoned = false;
  /** Handlers that timed out but have not returned yet. */
  private zombies = 0;
  /** What every message is processed with: the shutdown signal, and whether shutdown gave up on it. */
  private readonly options: ProcessOptions;

  constructor(private readonly deps: MessageHandlerDeps) {
    this.options = { signal: deps.signal, abandoned: () => this.abandoned };
  }

  /** How many timed-out handlers are still running (their results will be ignored). */
  get timedOutRunning(): number {
    return this.zombies;
  }

  /**
   * Takes a message to its end; it holds one capacity slot, given back when it settles. Never rejects;
   * resolves true when the message was deleted (so the next one of its FIFO group may go).
   */
  handle(message: Message, requestedAt: number): Promise<boolean> {
    return new Promise((settled) => this.start(message, requestedAt, settled));
  }

  /** As `handle`, telling `settled` (if given) rather than a promise: most messages have nobody waiting. */
  start(message: Message, requestedAt: number, settled?: (deleted: boolean) => void): void {
    const { heartbeat, capacity, processor, deleter, events } = this.deps;
    const messageId = message.MessageId ?? '(no message id)';
    const receiptHandle = message.ReceiptHandle;
    if (receiptHandle === undefined) {
      processor.reportError(new Error('received a message without a receipt handle'), 'process', messageId);
      capacity.release(1);
      settled?.(false);
      return;
    }
    // Kept hidden until the message is settled (deleted, retried or left), dead-letter copy included.
    heartbeat.track(messageId, receiptHandle, requestedAt);
    const processing = processor.process(message, messageId, this.options);
    if (!(processing instanceof Promise) && isPlainDelete(processing) && !events.has('message_deleted')) {
      // The common case: decided at once, only the batched delete to wait for, and no promise of ours.
      deleter.delete(messageId, receiptHandle, (deleted) => {
        heartbeat.untrack(receiptHandle);
        capacity.release(1);
        settled?.(deleted);
      });
      return;
    }
    void this.finish(processing, messageId, receiptHandle, requestedAt).then(settled);
  }

  /** Everything else: a verdict still to come, a retry, a timeout, an idempotency completion or a large payload. */
  private async finish(processing: Processed | Promise<Processed>, messageId: string, receiptHandle: string, requestedAt: number): Promise<boolean> {
    const { heartbeat, capacity } = this.deps;
    let slotHeldByZombie = false;
    try {
      const { verdict, timedOut, onDeleted, completing } = processing instanceof Promise ? await processing : processing;
      if (timedOut) slotHeldByZombie = this.zombie(messageId, timedOut);
      const settling = this.settle(messageId, receiptHandle, verdict, requestedAt);
      // The idempotency store's completion goes out beside the delete, not after it.
      const deleted = completing === undefined ? await settling : (await Promise.all([settling, completing]))[0];
      if (deleted && onDeleted) void onDeleted();
      return deleted;
    } finally {
      heartbeat.untrack(receiptHandle);
      if (!slotHeldByZombie) capacity.release(1);
    }
  }

  /** `requestedAt` is when this receive went out: SQS's 12-hour cap on its visibility counts from it. */
  private async settle(messageId: string, receiptHandle: string, verdict: Verdict, requestedAt: number): Promise<boolean> {
    const { deleter, events, heartbeat, processor, options } = this.deps;
    if (verdict.action === 'keep') return false;
    if (verdict.action === 'retry') {
      // An extension already sent could land after the retry delay and override it: let it land first.
      heartbeat.untrack(receiptHandle);
      await heartbeat.settled(receiptHandle);
      await processor.retry(options.queueUrl, messageId, receiptHandle, verdict, requestedAt);
      return false;
    }
    const deleted = await new Promise<boolean>((settled) => deleter.delete(messageId, receiptHandle, settled));
    if (deleted && events.has('message_deleted')) events.emit('message_deleted', { messageId });
    return deleted;
  }

  /**
   * A handler ran past its deadline and runs on as a zombie whose result is ignored. Returns true
   * when it keeps its capacity slot until it ends: once as many zombies as `maxInFlight` pile up,
   * new ones hold their slots, so memory stays bounded (and the listener slows down visibly instead
   * of growing).
   */
  private zombie(messageId: string, work: Promise<unknown>): boolean {
    const { options, capacity } = this.deps;
    this.zombies += 1;
    const holdSlot = this.zombies > options.maxInFlight;
    const ended = () => {
      this.zombies -= 1;
      if (holdSlot) capacity.release(1);
      options.logger.info('a handler that timed out has ended; its result is ignored', { messageId });
    };
    work.then(ended, ended);
    if (holdSlot) {
      options.logger.warn('more timed-out handlers are still running than maxInFlight; this one keeps its slot until it ends', {
        messageId,
        timedOutRunning: this.zombies,
        maxInFlight: options.maxInFlight,
      });
    }
    return holdSlot;
  }
}
