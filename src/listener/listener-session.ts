import type { SQSClient } from '@aws-sdk/client-sqs';
import type { Decoded } from '../codec/decoded.js';
import { SqsMegaError } from '../protocol/errors.js';
import { Capacity } from './capacity.js';
import type { ListenerEventEmitter } from '../consume/events.js';
import type { ResolvedListenerOptions } from './listener-options.js';
import type { MessageDispatcher } from '../consume/message-processor.js';
import { QueueBudget } from './queue-budget.js';
import { QueueLane } from './queue-lane.js';
import { queueEvents, queueLogger } from './queue-tagging.js';
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
 * One run of `listen()`: one QueueLane per queue (poll loops, message handler, delete batcher,
 * heartbeat, dead-letter queue) over one in-flight budget, taken down together, in order, on stop.
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
  /** The in-flight budget: a plain Capacity for one queue, shared by weight or priority for several. */
  private readonly capacity: Pick<Capacity, 'inFlight' | 'drained'>;
  private readonly lanes: QueueLane[];

  constructor(private readonly deps: SessionDeps) {
    const { options } = deps;
    const signals = { polling: this.polling.signal, receiving: this.receiving.signal, processing: this.processing.signal };
    const lane = { client: deps.client, dispatcher: deps.dispatcher, decode: deps.decode, signals };
    if (options.queues.length === 1) {
      const capacity = new Capacity(options.maxInFlight);
      this.capacity = capacity;
      this.lanes = [new QueueLane({ ...lane, options, slots: capacity, events: deps.events })];
      return;
    }
    const budget = new QueueBudget(options.maxInFlight, options.queues.map((q) => q.weight), options.polling);
    this.capacity = budget;
    this.lanes = options.queues.map((queue, index) => {
      const slots = budget.slotsFor(index);
      // Each queue's logs and events say which queue they are about.
      const laneOptions = { ...options, ...queue, logger: queueLogger(options.logger, queue.queueUrl) };
      return new QueueLane({ ...lane, options: laneOptions, slots, pacing: slots, events: queueEvents(deps.events, queue.queueUrl) });
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
    const queueUrls = options.queues.map((q) => q.queueUrl);
    const removeSignalHandlers = options.handleSignals ? this.handleSignals() : () => {};
    for (const lane of this.lanes) lane.heartbeat.start();
    const where = queueUrls.length === 1 ? { queueUrl } : { queueUrls, polling: options.polling };
    logger.info('listening', { ...where, concurrency: options.concurrency, maxInFlight: options.maxInFlight });
    for (const url of queueUrls) events.emit('started', { queueUrl: url });
    let unfinished = 0;
    try {
      // A queue whose receives fail (deleted, denied) backs off on its own; the others go on.
      await Promise.all(this.lanes.map((lane) => lane.poll()));
      logger.info('stopped polling; waiting for running handlers', { ...where, inFlight: this.capacity.inFlight });
      const left = Math.max(0, (this.deadline?.at ?? Date.now()) - Date.now());
      if (!(await withDeadline(this.capacity.drained(), left, this.hurried.signal))) {
        unfinished = this.capacity.inFlight;
        for (const lane of this.lanes) lane.handler.abandoned = true;
        this.processing.abort(new ListenerShutdownError(`shutdown deadline passed with ${unfinished} message(s) unfinished`));
        logger.warn('shutdown deadline passed; unfinished messages stay on the queue for redelivery', { unfinished });
      }
      for (const lane of this.lanes) lane.heartbeat.stop();
      await this.flushDeletes();
    } finally {
      clearTimeout(this.deadline?.timer);
      for (const lane of this.lanes) lane.heartbeat.stop();
      removeSignalHandlers();
    }
    logger.info('stopped', { ...where, unfinished });
    for (const url of queueUrls) events.emit('stopped', { queueUrl: url, unfinished });
  }

  /**
   * The last deletes get what is left of the shutdown deadline (at least FINAL_FLUSH_MIN_MS, only that
   * after a hurry), so stop() ends within shutdownTimeoutMs + FINAL_FLUSH_MIN_MS whatever SQS does.
   */
  private async flushDeletes(): Promise<void> {
    const left = (this.deadline?.at ?? Date.now()) - Date.now();
    const ms = this.hurried.signal.aborted ? FINAL_FLUSH_MIN_MS : Math.max(FINAL_FLUSH_MIN_MS, left);
    this.flushing = true;
    const notDeleted = (await Promise.all(this.lanes.map((lane) => lane.deleter.flush(ms, this.flushCut.signal)))).flat();
    if (notDeleted.length > 0) {
      this.deps.options.logger.warn('stopped before these processed messages were deleted; they will be delivered again', { messageIds: notDeleted });
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
}
