import { ReceiveMessageCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs';
import { Backoff, sleep } from '../aws/backoff.js';
import type { QueueSlots, Slots } from './queue-budget.js';
import { REQUEST_TIMEOUT_MS, withSharedTimeout } from '../aws/request-timeout.js';

export interface PollerOptions {
  queueUrl: string;
  maxNumberOfMessages: number;
  waitTimeSeconds: number;
  visibilityTimeout: number;
  capacity: Slots;
  /** Set when the queue shares its budget with others: told each receive's yield, asked each wait. */
  pacing?: Pick<QueueSlots, 'received' | 'waitTimeSeconds'>;
  /**
   * Takes the received messages, each holding one capacity slot it must give back when settled.
   * `requestedAt` is when the ReceiveMessage call went out (the visibility clock started after it).
   */
  deliver: (messages: Message[], requestedAt: number) => void;
  /** Reports a failed receive and how long the loop waits before the next one. */
  onError: (error: Error, retryInMs: number) => void;
  /** Backoff after failed receives (default 200 ms doubling up to 20 s, with jitter). */
  errorBackoff?: Backoff;
  /** Abandon a receive as hung after this long (default waitTimeSeconds + 20 s). */
  receiveTimeoutMs?: number;
}

// AWSTraceHeader: an X-Ray trace header, linked from the message's span (docs/observability.md).
const SYSTEM_ATTRIBUTES = ['ApproximateReceiveCount', 'SentTimestamp', 'MessageGroupId', 'AWSTraceHeader'] as const;

/**
 * One long-polling ReceiveMessage loop. It reserves room before each receive (backpressure), hands
 * what it gets to `deliver`, backs off exponentially on errors and pauses after an empty short poll
 * (or a long poll that came back empty before half its wait), so it neither dies nor spins. It starts no receive once `signal` aborts; a receive already in
 * flight is cancelled only when `cancel` aborts (by default the same signal), and otherwise finishes
 * and delivers what it got: a cancelled long poll can still be handed messages by the server, which
 * then stay hidden for their visibility timeout, whereas delivered ones can be released at once.
 */
export class Poller {
  private readonly errorBackoff: Backoff;
  private readonly idleBackoff = new Backoff(50, 1_000);

  constructor(
    private readonly client: SQSClient,
    private readonly options: PollerOptions,
  ) {
    this.errorBackoff = options.errorBackoff ?? new Backoff(200, 20_000);
  }

  async run(signal: AbortSignal, cancel: AbortSignal = signal): Promise<void> {
    const { capacity, maxNumberOfMessages, pacing } = this.options;
    while (!signal.aborted) {
      const reserved = await capacity.reserve(maxNumberOfMessages, signal);
      if (reserved === 0) break;
      if (signal.aborted) {
        capacity.release(reserved);
        break;
      }
      const requestedAt = Date.now();
      const waitTimeSeconds = pacing ? pacing.waitTimeSeconds(this.options.waitTimeSeconds) : this.options.waitTimeSeconds;
      let messages: Message[];
      try {
        messages = await this.receive(reserved, waitTimeSeconds, cancel);
      } catch (error) {
        pacing?.received(0);
        capacity.release(reserved);
        if (signal.aborted || cancel.aborted) break;
        const wait = this.errorBackoff.next();
        this.options.onError(error instanceof Error ? error : new Error(String(error)), wait);
        await sleep(wait, signal);
        continue;
      }
      this.errorBackoff.reset();
      pacing?.received(messages.length);
      capacity.release(reserved - messages.length);
      if (messages.length > 0) {
        this.idleBackoff.reset();
        this.options.deliver(messages, requestedAt);
      } else if (waitTimeSeconds === 0 || Date.now() - requestedAt < waitTimeSeconds * 500) {
        // A short poll, or a long poll that came back empty well before its wait: pause, do not spin.
        await sleep(this.idleBackoff.next(), signal);
      }
    }
  }

  private async receive(count: number, waitTimeSeconds: number, signal: AbortSignal): Promise<Message[]> {
    const timeoutMs = this.options.receiveTimeoutMs ?? waitTimeSeconds * 1000 + REQUEST_TIMEOUT_MS;
    const response = await withSharedTimeout(timeoutMs, signal, (abortSignal) =>
      this.client.send(
        new ReceiveMessageCommand({
          QueueUrl: this.options.queueUrl,
          MaxNumberOfMessages: count,
          WaitTimeSeconds: waitTimeSeconds,
          VisibilityTimeout: this.options.visibilityTimeout,
          MessageSystemAttributeNames: [...SYSTEM_ATTRIBUTES],
          MessageAttributeNames: ['All'],
        }),
        { abortSignal },
      ),
    );
    const messages = response.Messages ?? [];
    // SQS never returns more than asked; trust but verify, since each message needs a slot.
    return messages.length > count ? messages.slice(0, count) : messages;
  }
}
