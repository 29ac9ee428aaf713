import type { SQSClient } from '@aws-sdk/client-sqs';
import { decodeBody } from '../codec/body.js';
import { Dispatcher } from '../dispatch/dispatcher.js';
import type { MessageSubscriber, SubscriberClass } from '../dispatch/subscriber.js';
import { TestClient } from '../dispatch/test-client.js';
import { SqsMegaError } from '../protocol/errors.js';
import { createSqsClient, localEndpointFor } from '../aws/clients.js';
import { ListenerEventEmitter, type ListenerEventHandler, type ListenerEventName } from '../consume/events.js';
import { resolveListenerOptions, type ResolvedListenerOptions, type SqsListenerOptions } from './listener-options.js';
import { ListenerSession } from './listener-session.js';
import { describeError } from '../aws/logger.js';

export { ListenerShutdownError } from './listener-session.js';

/** `listen()` was called on a listener that is already listening. */
export class ListenerStateError extends SqsMegaError {}

/**
 * Consumes an SQS queue (or several, under one budget) and dispatches each message to the subscribers that match it. A thin facade:
 * polling, processing, deleting, heartbeats, dead-lettering and shutdown live in their own modules.
 */
export class SqsListener {
  /** The queue consumed; with `queues`, the first (highest priority) one. */
  readonly queueUrl: string;
  /** Every queue consumed, highest priority first. */
  readonly queueUrls: readonly string[];
  private readonly options: ResolvedListenerOptions;
  private readonly client: SQSClient;
  private readonly dispatcher: Dispatcher;
  private readonly events: ListenerEventEmitter;
  private session: { session: ListenerSession; done: Promise<void> } | undefined;

  constructor(options: SqsListenerOptions) {
    this.options = resolveListenerOptions(options);
    this.queueUrl = this.options.queueUrl;
    this.queueUrls = this.options.queues.map((q) => q.queueUrl);
    this.client =
      options.client ??
      createSqsClient({ region: options.region, endpoint: options.endpoint ?? localEndpointFor(this.queueUrl), credentials: options.credentials });
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
    const session = new ListenerSession({ client: this.client, options: this.options, dispatcher: this.dispatcher, decode: decodeBody, events: this.events });
    const done = session.run().finally(() => {
      this.session = undefined;
    });
    this.session = { session, done };
    return done;
  }

  /**
   * Stops gracefully: no new receives; a long poll already in flight is left to return (at most
   * `waitTimeSeconds`, so an idle listener takes up to that long to stop) and what it brings is
   * released unprocessed (visibility 0), since a cancelled poll can still be handed messages that
   * would then stay hidden for their visibility timeout. Running handlers finish, finished messages
   * are deleted, unstarted ones released. All of it within `shutdownTimeoutMs` of the call: past it,
   * polls in flight are cancelled and handlers' `context.signal` aborted (a second SIGTERM/SIGINT does
   * both at once). The last deletes get what is left of the deadline, at least 1 s; those that do not
   * go through are logged and their messages delivered again. Resolves when `listen()` has returned.
   */
  async stop(): Promise<void> {
    const running = this.session;
    if (!running) return;
    running.session.stop();
    await running.done;
  }
}
