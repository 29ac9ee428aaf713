import type { Message, SQSClient } from '@aws-sdk/client-sqs';
import type { Decoded } from '../codec/decoded.js';
import { SqsMegaError } from '../protocol/errors.js';
import { Capacity } from './capacity.js';
import { DeadLetterQueue } from '../consume/dead-letter.js';
import { DeleteBatcher } from './deleter.js';
import { inGroupOrder } from './fifo-order.js';
import { Heartbeat } from './heartbeat.js';
import type { ListenerEventEmitter } from '../consume/events.js';
import type { ResolvedListenerOptions } from './listener-options.js';
import { describeError } from '../aws/logger.js';
import { MessageHandler } from './message-handler.js';
import { MessageProcessor, type MessageDispatcher } from '../consume/message-processor.js';
import { Poller } from './poller.js';
import { releaseMessages } from './release.js';
import { onShutdownSignals, withDeadline } from './shutdown.js';

/**
 * The least time the final delete flush gets, even when the shutdown deadline has (nearly) passed or a
 * second signal came: a healthy DeleteMessageBatch takes milliseconds, so finished work is not redone.
 */
export const FINAL_FLUSH_MIN_MS = 1_000;

/** Raised in subscribers' `context.signal` when shutdown runs out of time. */
export class ListenerShutdownError extends SqsMegaError {}

export interface SessionDeps {
  client: SQSClient;
  options: ResolvedListenerOptions;
  dispatcher: MessageDispatcher;
  decode: (body: string) => Decoded;
  events: ListenerEventEmitter;
}

/**
 * One run of `listen()`: wires the poll loops, the in-flight bound, the message handler, the delete
 * batcher, the heartbeat and the dead-letter queue together, and takes them down in order on stop.
 */
export class ListenerSession {
  private readonly polling = new AbortController();
  /** Cancels the receives in flight: on hurry or when the shutdown deadline passes. */
  private readonly receiving = new AbortController();
  private readonly hurried = new AbortController();
  /** Cuts the final delete flush short: a signal that arrives while it runs. */
  private readonly flushCut = new AbortController();
  private flushing = false;
  private deadline: { at: number; timer: NodeJS.Timeout } | undefined;
  private readonly processing = new AbortController();
  private readonly capacity: Capacity;
  private readonly deleter: DeleteBatcher;
  private readonly heartbeat: Heartbeat;
  private readonly handler: MessageHandler;

  constructor(private readonly deps: SessionDeps) {
    const { client, options, events } = deps;
    this.capacity = new Capacity(options.maxInFlight);
    this.deleter = new DeleteBatcher(client, options.queueUrl, {
      onError: (error, ids, final) =>
        this.reportError('delete', final ? 'gave up deleting messages; they will be delivered again' : 'delete failed; retrying', error, ids),
    });
    this.heartbeat = new Heartbeat(client, options.queueUrl, {
      visibilityTimeout: options.visibilityTimeout,
      fraction: options.heartbeatFraction,
      onError: (error, ids) => this.reportError('visibility', 'could not extend the visibility of messages being processed', error, ids),
      onExtended: (ids) => options.logger.debug('extended the visibility of messages being processed', { messageIds: ids }),
    });
    const processor = new MessageProcessor({
      client,
      options,
      dispatcher: deps.dispatcher,
      decode: deps.decode,
      deadLetter: options.deadLetterQueueUrl ? new DeadLetterQueue(client, options.deadLetterQueueUrl, options.queueUrl) : undefined,
      events,
      queue: options.queueUrl,
    });
    this.handler = new MessageHandler({
      options,
      processor,
      capacity: this.capacity,
      deleter: this.deleter,
      heartbeat: this.heartbeat,
      events,
      signal: this.processing.signal,
    });
  }

  /**
   * Start no more receives; those in flight finish (their messages are released unprocessed) and
   * running handlers run, all until the shutdown deadline, counted from the first stop.
   */
  stop(): void {
    if (!this.deadline) {
      const ms = this.deps.options.shutdownTimeoutMs;
      this.deadline = { at: Date.now() + ms, timer: setTimeout(() => this.receiving.abort(), ms) };
    }
    this.polling.abort();
  }

  /**
   * Stop without waiting for receives in flight or running handlers (a second signal). Deletes already
   * queued still get FINAL_FLUSH_MIN_MS; a hurry during that flush ends it at once.
   */
  hurry(): void {
    this.stop();
    this.receiving.abort();
    this.hurried.abort();
    if (this.flushing) this.flushCut.abort();
  }

  async run(): Promise<void> {
    const { options, events } = this.deps;
    const { logger, queueUrl } = options;
    const removeSignalHandlers = options.handleSignals ? this.handleSignals() : () => {};
    this.heartbeat.start();
    logger.info('listening', { queueUrl, concurrency: options.concurrency, maxInFlight: options.maxInFlight });
    events.emit('started', { queueUrl });
    let unfinished = 0;
    try {
      await Promise.all(Array.from({ length: options.concurrency }, () => this.poller().run(this.polling.signal, this.receiving.signal)));
      logger.info('stopped polling; waiting for running handlers', { queueUrl, inFlight: this.capacity.inFlight });
      const left = Math.max(0, (this.deadline?.at ?? Date.now()) - Date.now());
      if (!(await withDeadline(this.capacity.drained(), left, this.hurried.signal))) {
        unfinished = this.capacity.inFlight;
        this.handler.abandoned = true;
        this.processing.abort(new ListenerShutdownError(`shutdown deadline passed with ${unfinished} message(s) unfinished`));
        logger.warn('shutdown deadline passed; unfinished messages stay on the queue for redelivery', { unfinished });
      }
      this.heartbeat.stop();
      await this.flushDeletes();
    } finally {
      clearTimeout(this.deadline?.timer);
      this.heartbeat.stop();
      removeSignalHandlers();
    }
    logger.info('stopped', { queueUrl, unfinished });
    events.emit('stopped', { queueUrl, unfinished });
  }

  /**
   * The last deletes get what is left of the shutdown deadline (at least FINAL_FLUSH_MIN_MS, only that
   * after a hurry), so stop() ends within shutdownTimeoutMs + FINAL_FLUSH_MIN_MS whatever SQS does.
   */
  private async flushDeletes(): Promise<void> {
    const left = (this.deadline?.at ?? Date.now()) - Date.now();
    const ms = this.hurried.signal.aborted ? FINAL_FLUSH_MIN_MS : Math.max(FINAL_FLUSH_MIN_MS, left);
    this.flushing = true;
    const notDeleted = await this.deleter.flush(ms, this.flushCut.signal);
    if (notDeleted.length > 0) {
      this.deps.options.logger.warn('stopped before these processed messages were deleted; they will be delivered again', { messageIds: notDeleted });
    }
  }

  private poller(): Poller {
    const { client, options } = this.deps;
    return new Poller(client, {
      queueUrl: options.queueUrl,
      maxNumberOfMessages: options.maxNumberOfMessages,
      waitTimeSeconds: options.waitTimeSeconds,
      visibilityTimeout: options.visibilityTimeout,
      capacity: this.capacity,
      deliver: (messages, requestedAt) => this.deliver(messages, requestedAt),
      onError: (error, retryInMs) => {
        options.logger.error('ReceiveMessage failed; retrying', { stage: 'receive', retryInMs, error: describeError(error) });
        this.deps.events.emit('error', { error, stage: 'receive' });
      },
    });
  }

  private deliver(messages: Message[], requestedAt: number): void {
    const stopping = () => this.polling.signal.aborted;
    const release = (unstarted: Message[]) => this.release(unstarted);
    if (stopping()) {
      void release(messages);
      return;
    }
    const hold = (message: Message) => {
      const receiptHandle = message.ReceiptHandle ?? '';
      this.heartbeat.track(message.MessageId ?? '', receiptHandle, requestedAt);
      return () => this.heartbeat.untrack(receiptHandle);
    };
    inGroupOrder(messages, { handle: (message) => this.handler.handle(message, requestedAt), release, stopping, hold });
  }

  /** Hands back messages taken but not started (visibility 0), then their capacity slots. */
  private async release(messages: Message[]): Promise<void> {
    const { client, options, events } = this.deps;
    try {
      // An extension still in flight could land after the release and hide the message again.
      await Promise.all(messages.map((message) => this.heartbeat.settled(message.ReceiptHandle ?? '')));
      const notReleased = await releaseMessages(client, options.queueUrl, messages);
      for (const message of messages) {
        if (message.MessageId && !notReleased.includes(message.MessageId) && events.has('message_released')) {
          events.emit('message_released', { messageId: message.MessageId });
        }
      }
      if (notReleased.length > 0) {
        options.logger.warn('could not release unstarted messages; they come back after their visibility timeout', { messageIds: notReleased });
      }
    } finally {
      this.capacity.release(messages.length);
    }
  }

  private handleSignals(): () => void {
    const { logger } = this.deps.options;
    return onShutdownSignals(
      (signal) => {
        logger.info('stopping on signal', { signal });
        this.stop();
      },
      (signal) => {
        logger.warn('second signal: not waiting for running handlers', { signal });
        this.hurry();
      },
    );
  }

  private reportError(stage: 'delete' | 'visibility', text: string, error: Error, messageIds: string[]): void {
    this.deps.options.logger.error(text, { stage, messageIds, error: describeError(error) });
    this.deps.events.emit('error', { error, stage });
  }
}
