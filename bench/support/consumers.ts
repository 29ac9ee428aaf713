// The three ways of draining a queue that the listener benchmarks compare. Each one parses the body
// and hands the message to a trivial handler that records its number, then deletes it.
import { DeleteMessageBatchCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { Consumer } from 'sqs-consumer';
import { SqsListener } from '../../src/listener/listener.js';
import type { MessageContext } from '../../src/dispatch/context.js';
import { EventSubscriber } from '../../src/dispatch/event-subscriber.js';
import type { MegaPayload } from '../../src/protocol/types.js';
import type { IdempotencyOptions } from '../../src/idempotency/options.js';
import { type DrainCounter, orderId } from './drain.js';

export interface Running {
  /** Stops consuming; resolves once the consumer has let go (its deletes flushed). */
  stop(): Promise<void>;
}

export type StartConsumer = (client: SQSClient, queueUrl: string, counter: DrainCounter) => Running;

const quiet = { debug() {}, info() {}, warn() {}, error: (...args: unknown[]) => console.error(...args) };

/**
 * sqs-mega's SqsListener with its default options and one EventSubscriber matching the fixture's
 * event name. Only the logger is replaced (the default writes JSON lines to stderr; the baselines
 * log nothing either) and signal handling is off (the bench owns the process).
 */
export function startListener(options: { concurrency?: number; idempotency?: IdempotencyOptions } = {}): StartConsumer {
  return (client, queueUrl, counter) => {
    class OrderPlaced extends EventSubscriber {
      name = 'order.placed';
      process(payload: MegaPayload, _context: MessageContext): void {
        counter.record(orderId(payload));
      }
    }
    const listener = new SqsListener({ queueUrl, client, logger: quiet, handleSignals: false, ...options });
    listener.registerSubscriber(OrderPlaced);
    const listening = listener.listen();
    return {
      stop: async () => {
        await listener.stop();
        await listening;
      },
    };
  };
}

/**
 * A hand-written loop per unit of concurrency: ReceiveMessage (10, long polling), JSON.parse and
 * handle each message, DeleteMessageBatch. What a user would write without a library.
 */
export function startSdkLoop(concurrency: number): StartConsumer {
  return (client, queueUrl, counter) => {
    const abort = new AbortController();
    const loop = async (): Promise<void> => {
      while (!abort.signal.aborted) {
        let messages;
        try {
          const out = await client.send(
            new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 20, VisibilityTimeout: 30 }),
            { abortSignal: abort.signal },
          );
          messages = out.Messages ?? [];
        } catch (error) {
          if (abort.signal.aborted) return;
          throw error;
        }
        if (messages.length === 0) continue;
        for (const m of messages) counter.record(orderId(JSON.parse(m.Body ?? 'null')));
        await client.send(
          new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })) }),
        );
      }
    };
    const loops = Promise.all(Array.from({ length: concurrency }, loop));
    return {
      stop: async () => {
        abort.abort();
        await loops;
      },
    };
  };
}

/** sqs-consumer's `Consumer` class: 14.2.8 (package `sqs-consumer`) or 15 (`sqs-consumer-15`, Node 22+). */
export type SqsConsumerClass = Pick<typeof Consumer, 'create'>;

/** sqs-consumer in its fastest configuration: handleMessageBatch with batchSize 10. */
export function startSqsConsumer(consumerClass: SqsConsumerClass = Consumer): StartConsumer {
  return (client, queueUrl, counter) => {
    const consumer = consumerClass.create({
      queueUrl,
      sqs: client,
      batchSize: 10,
      waitTimeSeconds: 20,
      visibilityTimeout: 30,
      handleMessageBatch: async (messages) => {
        for (const m of messages) counter.record(orderId(JSON.parse(m.Body ?? 'null')));
        return messages;
      },
    });
    let stopping = false;
    // stop({ abort: true }) cancels the pending long poll, which sqs-consumer reports as an error.
    consumer.on('error', (error) => {
      if (!stopping) console.error('sqs-consumer error', error);
    });
    consumer.on('processing_error', (error) => console.error('sqs-consumer processing_error', error));
    const stopped = new Promise<void>((resolve) => consumer.once('stopped', () => resolve()));
    consumer.start();
    return {
      stop: async () => {
        stopping = true;
        consumer.stop({ abort: true });
        await stopped;
      },
    };
  };
}
