import { ChangeMessageVisibilityCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs';
import type { Decoded } from '../codec/decoded.js';
import type { MessageContext } from '../dispatch/context.js';
import type { DispatchOutcome, SubscriberResult } from '../dispatch/outcome.js';
import { ProcessStatus } from '../dispatch/status.js';
import { subscriberName } from '../dispatch/subscriber.js';
import { clampRetryDelay } from './backoff.js';
import type { Capacity } from './capacity.js';
import type { DeadLetterQueue } from './dead-letter.js';
import type { DeleteBatcher } from './deleter.js';
import type { Heartbeat } from './heartbeat.js';
import type { ListenerErrorStage, ListenerEventEmitter } from './listener-events.js';
import type { ResolvedListenerOptions } from './listener-options.js';
import { HandlerTimeoutError, stillRunning, withinDeadline, type ProcessingPhase } from './listener-timeout.js';
import { describeError, truncate } from './logger.js';
import { timeoutOptions } from './request-timeout.js';
import { visibilityLeftSeconds } from './visibility-limit.js';

/** The part of the Dispatcher the listener needs. */
export interface MessageDispatcher {
  dispatch(decoded: Decoded, context: MessageContext, onResult?: (result: SubscriberResult) => void): Promise<DispatchOutcome>;
  /** The subscribers a message matches (asked only when its processing times out, to name them). */
  match(decoded: Decoded): readonly object[];
}

/** One message's processing, watched so that it can be named and given up at the deadline. */
interface Processing {
  phase: ProcessingPhase;
  /** Names of the subscribers that have finished. */
  readonly finished: string[];
}

export interface MessageHandlerDeps {
  client: SQSClient;
  options: ResolvedListenerOptions;
  dispatcher: MessageDispatcher;
  decode: (body: string) => Decoded;
  capacity: Capacity;
  deleter: DeleteBatcher;
  heartbeat: Heartbeat;
  deadLetter: DeadLetterQueue | undefined;
  events: ListenerEventEmitter;
  /** Aborted when shutdown passes its deadline; passed on to every context's `signal`. */
  signal: AbortSignal;
}

const LOGGED_BODY_CHARS = 2048;

/**
 * Takes one received message from decode to its end: dispatch to the subscribers, then delete it
 * (after a dead-letter copy when it failed for good), or make it visible again later for a retry.
 */
export class MessageHandler {
  /** Set once shutdown gave up waiting: results that arrive later are left alone (the message is redelivered). */
  abandoned = false;
  /** Each running message's own abort controller (a timeout aborts one, the shutdown deadline all). */
  private readonly running = new Set<AbortController>();
  /** Handlers that timed out but have not returned yet. */
  private zombies = 0;

  constructor(private readonly deps: MessageHandlerDeps) {
    deps.signal.addEventListener('abort', () => {
      for (const controller of this.running) controller.abort(deps.signal.reason);
    }, { once: true });
  }

  /** How many timed-out handlers are still running (their results will be ignored). */
  get timedOutRunning(): number {
    return this.zombies;
  }

  /**
   * Takes a message to its end; it holds one capacity slot, given back when it settles. Never rejects;
   * resolves true when the message was deleted (so the next one of its FIFO group may go).
   */
  async handle(message: Message, requestedAt: number): Promise<boolean> {
    const { heartbeat, capacity, options, events } = this.deps;
    const messageId = message.MessageId ?? '(no message id)';
    const receiptHandle = message.ReceiptHandle;
    if (receiptHandle === undefined) {
      this.reportError(new Error('received a message without a receipt handle'), 'process', messageId);
      capacity.release(1);
      return false;
    }
    // Kept hidden until the message is settled (deleted, retried or left), dead-letter copy included.
    heartbeat.track(messageId, receiptHandle, requestedAt);
    const controller = new AbortController();
    if (this.deps.signal.aborted) controller.abort(this.deps.signal.reason);
    this.running.add(controller);
    let slotHeldByZombie = false;
    try {
      const context = this.contextFor(message, messageId, controller.signal);
      if (events.has('message_received')) events.emit('message_received', { messageId, receiveCount: context.receiveCount });
      const processing: Processing = { phase: 'onBeforeProcess', finished: [] };
      const work = this.process(context, messageId, processing);
      const done = await withinDeadline(work, options.handlerTimeoutSeconds * 1000);
      if (done === undefined) {
        slotHeldByZombie = this.giveUp(context, processing, work, controller);
        await this.retry(messageId, receiptHandle, context.receiveCount, requestedAt);
        return false;
      }
      if (this.abandoned) return false;
      const { outcome, durationMs } = done;
      this.logOutcome(messageId, outcome, durationMs);
      if (events.has('message_processed')) events.emit('message_processed', { messageId, outcome, durationMs });
      return await this.settle(message, messageId, receiptHandle, context, outcome, requestedAt);
    } catch (error) {
      // Dispatch never rejects; reaching here is a bug of ours. Leave the message to be redelivered.
      this.reportError(toError(error), 'process', messageId);
      return false;
    } finally {
      this.running.delete(controller);
      heartbeat.untrack(receiptHandle);
      if (!slotHeldByZombie) capacity.release(1);
    }
  }

  /** Hooks and subscribers, in order; never rejects (each part catches its own errors). */
  private async process(context: MessageContext, messageId: string, processing: Processing): Promise<{ outcome: DispatchOutcome; durationMs: number }> {
    const { options, dispatcher } = this.deps;
    if (options.onBeforeProcess) await this.hook(() => options.onBeforeProcess?.(context), messageId);
    processing.phase = 'subscribers';
    const started = performance.now();
    const outcome = await dispatcher.dispatch(context.decoded, context, (result) => void processing.finished.push(result.subscriber));
    const durationMs = performance.now() - started;
    processing.phase = 'onAfterProcess';
    if (options.onAfterProcess) await this.hook(() => options.onAfterProcess?.(context, outcome), messageId);
    return { outcome, durationMs };
  }

  /**
   * The deadline passed: abort the message's signal, report what is still running and let the
   * handler run on as a zombie whose result is ignored. Returns true when the zombie keeps its
   * capacity slot until it ends: once as many zombies as `maxInFlight` pile up, new ones hold their
   * slots, so memory stays bounded (and the listener slows down visibly instead of growing).
   */
  private giveUp(context: MessageContext, processing: Processing, work: Promise<unknown>, controller: AbortController): boolean {
    const { options, dispatcher, capacity } = this.deps;
    const { messageId } = context;
    const matched = processing.phase === 'subscribers' ? dispatcher.match(context.decoded).map(subscriberName) : [];
    const running = stillRunning(processing.phase, matched, processing.finished);
    const error = new HandlerTimeoutError(messageId, options.handlerTimeoutSeconds, running);
    controller.abort(error);
    this.zombies += 1;
    const holdSlot = this.zombies > options.maxInFlight;
    const ended = () => {
      this.zombies -= 1;
      if (holdSlot) capacity.release(1);
      options.logger.info('a handler that timed out has ended; its result is ignored', { messageId });
    };
    work.then(ended, ended);
    options.logger.error('message processing timed out; leaving the message for a retry', {
      messageId,
      stillRunning: running,
      timeoutSeconds: options.handlerTimeoutSeconds,
      timedOutRunning: this.zombies,
    });
    if (holdSlot) {
      options.logger.warn('more timed-out handlers are still running than maxInFlight; this one keeps its slot until it ends', {
        messageId,
        timedOutRunning: this.zombies,
        maxInFlight: options.maxInFlight,
      });
    }
    this.deps.events.emit('error', { error, stage: 'timeout', messageId });
    return holdSlot;
  }

  private contextFor(message: Message, messageId: string, signal: AbortSignal): MessageContext {
    const decoded = this.deps.decode(message.Body ?? '');
    const count = Number(message.Attributes?.ApproximateReceiveCount);
    const sent = Number(message.Attributes?.SentTimestamp);
    return {
      messageId,
      receiveCount: Number.isFinite(count) && count > 0 ? count : 1,
      sentAt: Number.isFinite(sent) && sent > 0 ? new Date(sent) : undefined,
      messageAttributes: attributesOf(message, decoded),
      decoded,
      signal,
    };
  }

  private async settle(
    message: Message,
    messageId: string,
    receiptHandle: string,
    context: MessageContext,
    outcome: DispatchOutcome,
    requestedAt: number,
  ): Promise<boolean> {
    const { decision } = outcome;
    const { logger } = this.deps.options;
    if (decision.action === 'retry') {
      await this.retry(messageId, receiptHandle, context.receiveCount, requestedAt);
      return false;
    }
    if (decision.deadLetter) {
      if (!(await this.deadLetter(message, messageId, outcome))) {
        // Back off like a retry: a copy that keeps failing must not come round every visibility timeout.
        await this.retry(messageId, receiptHandle, context.receiveCount, requestedAt);
        return false;
      }
    } else if (decision.reason === 'unmatched') {
      logger.info('no subscriber matched the message; deleting it', { messageId, kind: outcome.decoded.kind });
    }
    const deleted = await this.deps.deleter.delete(messageId, receiptHandle);
    if (deleted && this.deps.events.has('message_deleted')) this.deps.events.emit('message_deleted', { messageId });
    return deleted;
  }

  /** Copies the message to the dead-letter queue; false (and the message is kept) when the copy failed. */
  private async deadLetter(message: Message, messageId: string, outcome: DispatchOutcome): Promise<boolean> {
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
      this.reportError(toError(copyError), 'dead-letter', messageId, 'dead-letter copy failed; the message stays on the queue and is retried later');
      return false;
    }
  }

  /** `requestedAt` is when this receive went out: SQS's 12-hour cap on its visibility counts from it. */
  private async retry(messageId: string, receiptHandle: string, receiveCount: number, requestedAt: number): Promise<void> {
    const { client, options, events } = this.deps;
    let requested: unknown;
    try {
      requested = options.retryDelaySeconds(receiveCount);
    } catch (error) {
      this.reportError(toError(error), 'hook', messageId, 'retryDelaySeconds threw; using the default delay');
    }
    // An extension already sent could land after the retry delay and override it: let it land first.
    this.deps.heartbeat.untrack(receiptHandle);
    await this.deps.heartbeat.settled(receiptHandle);
    const delaySeconds = clampRetryDelay(requested, receiveCount, visibilityLeftSeconds(requestedAt, Date.now()));
    try {
      await client.send(
        new ChangeMessageVisibilityCommand({ QueueUrl: options.queueUrl, ReceiptHandle: receiptHandle, VisibilityTimeout: delaySeconds }),
        timeoutOptions(),
      );
    } catch (error) {
      // The message still comes back when its current visibility timeout runs out.
      this.reportError(toError(error), 'visibility', messageId, 'could not set the retry delay; the message comes back after its visibility timeout');
      return;
    }
    options.logger.info('message left for a retry', { messageId, receiveCount, delaySeconds });
    if (events.has('message_retried')) events.emit('message_retried', { messageId, receiveCount, delaySeconds });
  }

  private logOutcome(messageId: string, outcome: DispatchOutcome, durationMs: number): void {
    const { logger } = this.deps.options;
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

  private async hook(run: () => void | Promise<void> | undefined, messageId: string): Promise<void> {
    try {
      await run();
    } catch (error) {
      this.reportError(toError(error), 'hook', messageId, 'a processing hook threw; carrying on');
    }
  }

  private reportError(error: Error, stage: ListenerErrorStage, messageId: string, text = 'failed to handle a message'): void {
    this.deps.options.logger.error(text, { messageId, stage, error: describeError(error) });
    this.deps.events.emit('error', { error, stage, messageId });
  }
}

/** The publisher's string attributes: the SNS envelope's first, then the SQS message's own. */
export function attributesOf(message: Message, decoded: Decoded): Readonly<Record<string, string>> {
  const entries: [string, string][] = [];
  for (const [name, attr] of Object.entries(decoded.envelope?.messageAttributes ?? {})) {
    if (typeof attr?.Value === 'string') entries.push([name, attr.Value]);
  }
  for (const [name, attr] of Object.entries(message.MessageAttributes ?? {})) {
    // The SDK can hand back an attribute with no value (one named '__proto__' arrives as undefined).
    if (attr?.StringValue !== undefined) entries.push([name, attr.StringValue]);
    else if (attr?.BinaryValue !== undefined) entries.push([name, Buffer.from(attr.BinaryValue).toString('base64')]);
  }
  // fromEntries defines own properties, so a '__proto__' attribute cannot touch the prototype.
  return Object.fromEntries(entries);
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
