import { decodeBody, decodeObject } from '../codec/body.js';
import type { Decoded } from '../codec/decoded.js';
import type { DataObject, MegaPayload } from '../protocol/types.js';
import type { MessageContext } from './context.js';
import { Dispatcher, type DispatcherOptions } from './dispatcher.js';
import type { Decision, SubscriberResult } from './outcome.js';
import type { ProcessStatus } from './status.js';
import type { MessageSubscriber, SubscriberClass } from './subscriber.js';

/** What a message sent through the test client came to. */
export interface TestOutcome {
  /** Class names of the subscribers that matched, in registration order. */
  matched: string[];
  /** Their statuses, in the same order. */
  statuses: ProcessStatus[];
  /** Whether a listener would delete the message now (`decision.action === 'delete'`). */
  deleted: boolean;
  decoded: Decoded;
  decision: Decision;
  /** Per subscriber: status, error (if any) and duration. */
  results: SubscriberResult[];
}

/** Context fields a test may set; the rest is synthetic (a fresh id, first delivery, a live signal). */
export type TestContext = Partial<Omit<MessageContext, 'decoded'>>;

/**
 * Runs subscribers on messages without any queue: what a listener would do with the same body,
 * short of deleting it. `new TestClient([ItemAdded, new Other(db)])`, or `new TestClient(dispatcher)`.
 */
export class TestClient {
  readonly dispatcher: Dispatcher;
  #sent = 0;

  constructor(subscribers: Dispatcher | ReadonlyArray<SubscriberClass | MessageSubscriber>, options?: DispatcherOptions) {
    if (subscribers instanceof Dispatcher) {
      this.dispatcher = subscribers;
    } else {
      this.dispatcher = new Dispatcher(options);
      for (const s of subscribers) this.dispatcher.register(s);
    }
  }

  /**
   * Sends one message. `input`: a MEGA payload; a plain object (classified like a decoded JSON
   * body, so a MEGA-shaped object with string timestamps is a MEGA event); a raw SQS body string
   * (decoded exactly as the listener would); or bytes (a binary payload).
   */
  async send(input: MegaPayload | object | string, context: TestContext = {}): Promise<TestOutcome> {
    const decoded = decodeInput(input);
    this.#sent += 1;
    const full: MessageContext = {
      messageId: `test-message-${this.#sent}`,
      receiveCount: 1,
      messageAttributes: {},
      signal: new AbortController().signal,
      ...context,
      decoded,
    };
    const { results, decision } = await this.dispatcher.dispatch(decoded, full);
    return {
      matched: results.map((r) => r.subscriber),
      statuses: results.map((r) => r.status),
      deleted: decision.action === 'delete',
      decoded,
      decision,
      results,
    };
  }
}

function decodeInput(input: unknown): Decoded {
  if (typeof input === 'string') return decodeBody(input);
  if (input instanceof Uint8Array) return { kind: 'binary', encoding: 'blob', payload: input };
  if (typeof input === 'object' && input !== null) return decodeObject(input as DataObject);
  throw new TypeError(`TestClient.send takes a MEGA payload, a plain object, a string or bytes, got ${input === null ? 'null' : typeof input}`);
}
