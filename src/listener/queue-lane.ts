import type { Message, SQSClient } from '@aws-sdk/client-sqs';
import type { Decoded } from '../codec/decoded.js';
import { DeadLetterQueue } from '../consume/dead-letter.js';
import type { ListenerEventEmitter } from '../consume/events.js';
import { MessageProcessor, type MessageDispatcher } from '../consume/message-processor.js';
import { describeError } from '../aws/logger.js';
import { DeleteBatcher } from './deleter.js';
import { inGroupOrder } from './fifo-order.js';
import { Heartbeat } from './heartbeat.js';
import type { ResolvedListenerOptions } from './listener-options.js';
import { MessageHandler } from './message-handler.js';
import { Poller } from './poller.js';
import type { QueueSlots, Slots } from './queue-budget.js';
import { releaseMessages } from './release.js';

/** The signals a session hands every lane: stop polling, cancel receives, abort handlers. */
export interface LaneSignals {
  polling: AbortSignal;
  receiving: AbortSignal;
  processing: AbortSignal;
}

export interface LaneDeps {
  client: SQSClient;
  /** The listener's options with this queue's own settings (URL, receive settings, retry delay, dead letters, logger). */
  options: ResolvedListenerOptions;
  slots: Slots;
  /** Set when the queue shares the budget with others. */
  pacing?: Pick<QueueSlots, 'received' | 'waitTimeSeconds'>;
  dispatcher: MessageDispatcher;
  decode: (body: string) => Decoded;
  events: ListenerEventEmitter;
  signals: LaneSignals;
}

/**
 * Everything one queue needs: its receive loops, heartbeat, delete batcher, dead-letter queue and
 * message handler, so deletes, extensions, retries and dead-letter copies always go to the queue a
 * message came from. The in-flight budget (`slots`) and the shutdown signals come from the session.
 */
export class QueueLane {
  readonly deleter: DeleteBatcher;
  readonly heartbeat: Heartbeat;
  readonly handler: MessageHandler;

  constructor(private readonly deps: LaneDeps) {
    const { client, options, events } = deps;
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
      source: options.queueUrl,
      dispatcher: deps.dispatcher,
      decode: deps.decode,
      deadLetter: options.deadLetterQueueUrl ? new DeadLetterQueue(client, options.deadLetterQueueUrl, options.queueUrl) : undefined,
      events,
    });
    this.handler = new MessageHandler({
      options,
      processor,
      capacity: deps.slots,
      deleter: this.deleter,
      heartbeat: this.heartbeat,
      events,
      signal: deps.signals.processing,
    });
  }

  /** Runs this queue's receive loops until the session stops polling. */
  async poll(): Promise<void> {
    const { polling, receiving } = this.deps.signals;
    await Promise.all(Array.from({ length: this.deps.options.concurrency }, () => this.poller().run(polling, receiving)));
  }

  private poller(): Poller {
    const { client, options, slots, pacing } = this.deps;
    return new Poller(client, {
      queueUrl: options.queueUrl,
      maxNumberOfMessages: options.maxNumberOfMessages,
      waitTimeSeconds: options.waitTimeSeconds,
      visibilityTimeout: options.visibilityTimeout,
      capacity: slots,
      ...(pacing ? { pacing } : {}),
      deliver: (messages, requestedAt) => this.deliver(messages, requestedAt),
      onError: (error, retryInMs) => {
        options.logger.error('ReceiveMessage failed; retrying', { stage: 'receive', retryInMs, error: describeError(error) });
        this.deps.events.emit('error', { error, stage: 'receive' });
      },
    });
  }

  private deliver(messages: Message[], requestedAt: number): void {
    const stopping = () => this.deps.signals.polling.aborted;
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
    const start = (message: Message) => this.handler.start(message, requestedAt);
    inGroupOrder(messages, { handle: (message) => this.handler.handle(message, requestedAt), start, release, stopping, hold });
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
      this.deps.slots.release(messages.length);
    }
  }

  private reportError(stage: 'delete' | 'visibility', text: string, error: Error, messageIds: string[]): void {
    this.deps.options.logger.error(text, { stage, messageIds, error: describeError(error) });
    this.deps.events.emit('error', { error, stage });
  }
}
