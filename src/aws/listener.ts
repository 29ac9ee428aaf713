import type { Message, SQSClient } from '@aws-sdk/client-sqs';
import { decodeBody } from '../codec/body.js';
import { Dispatcher } from '../dispatch/dispatcher.js';
import type { MessageSubscriber, SubscriberClass } from '../dispatch/subscriber.js';
import { TestClient } from '../dispatch/test-client.js';
import { SqsMegaError } from '../protocol/errors.js';
import { Capacity } from './capacity.js';
import { createSqsClient, localEndpointFor } from './clients.js';
import { DeadLetterQueue } from './dead-letter.js';
import { DeleteBatcher } from './deleter.js';
import { inGroupOrder } from './fifo-order.js';
import { Heartbeat } from './heartbeat.js';
import { ListenerEventEmitter, type ListenerEventHandler, type ListenerEventName } from './listener-events.js';
import { resolveListenerOptions, type ResolvedListenerOptions, type SqsListenerOptions } from './listener-options.js';
import { describeError } from './logger.js';
import { MessageHandler } from './message-handler.js';
import { Poller } from './poller.js';
import { releaseMessages } from './release.js';
import { onShutdownSignals, withDeadline } from './shutdown.js';

/** `listen()` was called on a listener that is already listening. */
export class ListenerStateError extends SqsMegaError {}

/** Raised in subscribers' `context.signal` when shutdown runs out of time. */
export class ListenerShutdownError extends SqsMegaError {}

interface Session {
  polling: AbortController;
  hurry: AbortController;
  done: Promise<void>;
}

/**
 * Consumes an SQS queue and dispatches each message to the subscribers that match it. A thin facade:
 * polling, processing, deleting, heartbeats, dead-lettering and shutdown live in their own modules.
 */
export class SqsListener {
  readonly queueUrl: string;
  private readonly options: ResolvedListenerOptions;
  private readonly client: SQSClient;
  private readonly dispatcher: Dispatcher;
  private readonly events: ListenerEventEmitter;
  private session: Session | undefined;

  constructor(options: SqsListenerOptions) {
    this.options = resolveListenerOptions(options);
    this.queueUrl = this.options.queueUrl;
    this.client =
      options.client ??
      createSqsClient({ region: options.region, endpoint: options.endpoint ?? localEndpointFor(options.queueUrl), credentials: options.credentials });
    this.dispatcher = new Dispatcher({ retriableErrors: this.options.retriableErrors });
    this.events = new ListenerEventEmitter((error, event) =>
      this.options.logger.error('an event handler threw', { event, error: describeError(error) }),
    );
  }

  /** Adds a subscriber class (constructed with no arguments) or instance; the same class twice throws. */
  registerSubscriber(subscriber: SubscriberClass | MessageSubscriber): MessageSubscriber {
    return this.dispatcher.register(subscriber);
  }

  get subscribers(): readonly MessageSubscriber[] {
    return this.dispatcher.subscribers;
  }

  /** A TestClient over this listener's subscribers: what would happen to a message, without SQS. */
  testClient(): TestClient {
    return new TestClient(this.dispatcher);
  }

  /** Whether `listen()` is running (including while it stops). */
  get listening(): boolean {
    return this.session !== undefined;
  }

  on<E extends ListenerEventName>(event: E, handler: ListenerEventHandler<E>): this {
    this.events.on(event, handler);
    return this;
  }

  once<E extends ListenerEventName>(event: E, handler: ListenerEventHandler<E>): this {
    this.events.once(event, handler);
    return this;
  }

  off<E extends ListenerEventName>(event: E, handler: ListenerEventHandler<E>): this {
    this.events.off(event, handler);
    return this;
  }

  /** Polls and processes until `stop()` (or SIGTERM/SIGINT with `handleSignals`); resolves once stopped. */
  listen(): Promise<void> {
    if (this.session) return Promise.reject(new ListenerStateError(`already listening to ${this.queueUrl}`));
    const polling = new AbortController();
    const hurry = new AbortController();
    const session: Session = { polling, hurry, done: Promise.resolve() };
    session.done = this.run(session).finally(() => {
      this.session = undefined;
    });
    this.session = session;
    return session.done;
  }

  /**
   * Stops gracefully: no more receives, running handlers get until `shutdownTimeoutMs`, finished
   * messages are deleted, unstarted ones released. Resolves when `listen()` has returned.
   */
  async stop(): Promise<void> {
    const session = this.session;
    if (!session) return;
    session.polling.abort();
    await session.done;
  }

  private async run(session: Session): Promise<void> {
    const { options, client, events } = this;
    const { logger, queueUrl } = options;
    const processing = new AbortController();
    const capacity = new Capacity(options.maxInFlight);
    const reportError = (stage: 'delete' | 'visibility' | 'receive', text: string) => (error: Error, ids: string[], final = true) => {
      logger.error(text, { stage, messageIds: ids, final, error: describeError(error) });
      events.emit('error', { error, stage });
    };
    const deleter = new DeleteBatcher(client, queueUrl, {
      onError: (error, ids, final) =>
        reportError('delete', final ? 'gave up deleting messages; they will be delivered again' : 'delete failed; retrying')(error, ids, final),
    });
    const heartbeat = new Heartbeat(client, queueUrl, {
      visibilityTimeout: options.visibilityTimeout,
      fraction: options.heartbeatFraction,
      onError: reportError('visibility', 'could not extend the visibility of messages being processed'),
      onExtended: (ids) => logger.debug('extended the visibility of messages being processed', { messageIds: ids }),
    });
    const deadLetter = options.deadLetterQueueUrl ? new DeadLetterQueue(client, options.deadLetterQueueUrl, queueUrl) : undefined;
    const handler = new MessageHandler({
      client, options, dispatcher: this.dispatcher, decode: decodeBody, capacity, deleter, heartbeat, deadLetter, events, signal: processing.signal,
    });
    const release = (messages: Message[]) => this.release(messages).finally(() => capacity.release(messages.length));
    const deliver = (messages: Message[], requestedAt: number) => {
      if (session.polling.signal.aborted) {
        void release(messages);
        return;
      }
      inGroupOrder(messages, { handle: (message) => handler.handle(message, requestedAt), release, stopping: () => session.polling.signal.aborted });
    };
    const pollers = Array.from({ length: options.concurrency }, () =>
      new Poller(client, {
        queueUrl, maxNumberOfMessages: options.maxNumberOfMessages, waitTimeSeconds: options.waitTimeSeconds,
        visibilityTimeout: options.visibilityTimeout, capacity, deliver,
        onError: (error, retryInMs) => {
          logger.error('ReceiveMessage failed; retrying', { stage: 'receive', retryInMs, error: describeError(error) });
          events.emit('error', { error, stage: 'receive' });
        },
      }),
    );
    const removeSignalHandlers = options.handleSignals
      ? onShutdownSignals(
          (signal) => {
            logger.info('stopping on signal', { signal });
            session.polling.abort();
          },
          (signal) => {
            logger.warn('second signal: not waiting for running handlers', { signal });
            session.hurry.abort();
          },
        )
      : () => {};

    heartbeat.start();
    logger.info('listening', { queueUrl, concurrency: options.concurrency, maxInFlight: options.maxInFlight });
    events.emit('started', { queueUrl });
    let unfinished = 0;
    try {
      await Promise.all(pollers.map((poller) => poller.run(session.polling.signal)));
      logger.info('stopped polling; waiting for running handlers', { queueUrl, inFlight: capacity.inFlight });
      const finished = await withDeadline(capacity.drained(), options.shutdownTimeoutMs, session.hurry.signal);
      if (!finished) {
        unfinished = capacity.inFlight;
        handler.abandoned = true;
        processing.abort(new ListenerShutdownError(`shutdown deadline passed with ${unfinished} message(s) unfinished`));
        logger.warn('shutdown deadline passed; unfinished messages stay on the queue for redelivery', { unfinished });
      }
      heartbeat.stop();
      await deleter.flush();
    } finally {
      heartbeat.stop();
      removeSignalHandlers();
    }
    logger.info('stopped', { queueUrl, unfinished });
    events.emit('stopped', { queueUrl, unfinished });
  }

  private async release(messages: Message[]): Promise<void> {
    const notReleased = await releaseMessages(this.client, this.queueUrl, messages);
    for (const message of messages) {
      if (message.MessageId && !notReleased.includes(message.MessageId) && this.events.has('message_released')) {
        this.events.emit('message_released', { messageId: message.MessageId });
      }
    }
    if (notReleased.length > 0) {
      this.options.logger.warn('could not release messages received during shutdown; they come back after their visibility timeout', {
        messageIds: notReleased,
      });
    }
  }
}
