import type { Decoded } from '../codec/decoded.js';
import { CandidateIndex, type Constraint } from '../match/candidate-index.js';
import { bindSubscriber, evaluate, narrowBinding, type Binding, type Evaluation, type PayloadKind } from './binding.js';
import type { MessageContext } from './context.js';
import { decide } from './decision.js';
import { SubscriberRegistrationError } from './errors.js';
import type { DispatchOutcome, SubscriberResult } from './outcome.js';
import type { ErrorClass } from './retriable.js';
import { runSubscriber } from './run.js';
import { MessageSubscriber, subscriberName, type SubscriberClass } from './subscriber.js';

export type { SubscriberClass } from './subscriber.js';
export type { ErrorClass } from './retriable.js';

export interface DispatcherOptions {
  /** Errors (with their subclasses) that mean "try again later"; `RetriableError` always does. */
  retriableErrors?: readonly ErrorClass[];
}

interface Matched {
  readonly binding: Binding;
  readonly evaluation: Exclude<Evaluation, undefined>;
}

/**
 * The transport-free core of a listener: holds the registered subscribers, finds those a decoded
 * message matches (through a candidate index per payload kind), runs them concurrently and maps
 * their results to statuses and a delete-or-retry decision.
 */
export class Dispatcher {
  readonly #retriable: readonly ErrorClass[];
  readonly #bindings: Binding[] = [];
  readonly #classes = new Set<unknown>();
  readonly #indexes = new Map<PayloadKind, CandidateIndex<Binding>>([
    ['mega', new CandidateIndex()],
    ['data', new CandidateIndex()],
    ['plaintext', new CandidateIndex()],
    ['binary', new CandidateIndex()],
  ]);

  constructor(options: DispatcherOptions = {}) {
    this.#retriable = [...(options.retriableErrors ?? [])];
  }

  /**
   * Registers a subscriber class (instantiated with no arguments) or instance, compiling its
   * patterns now. Throws SubscriberRegistrationError when it is not a subscriber, its class is
   * already registered or its schema is not a zod schema, and PatternError for a malformed pattern.
   */
  register(subscriber: SubscriberClass | MessageSubscriber): MessageSubscriber {
    const instance = instantiate(subscriber);
    const name = subscriberName(instance);
    if (this.#classes.has(instance.constructor)) {
      throw new SubscriberRegistrationError(name, 'this subscriber class is already registered');
    }
    const binding = bindSubscriber(instance);
    this.#classes.add(instance.constructor);
    this.#bindings.push(binding);
    const narrow = (filedUnder: Constraint) => narrowBinding(binding, filedUnder);
    for (const kind of binding.kinds) this.#indexes.get(kind)?.add(binding, binding.constraints, narrow);
    return instance;
  }

  /** The registered subscribers, in registration order. */
  get subscribers(): readonly MessageSubscriber[] {
    return this.#bindings.map((b) => b.subscriber);
  }

  /** The subscribers that want this message, in registration order (none for an invalid body). */
  match(decoded: Decoded): MessageSubscriber[] {
    return this.#match(decoded).map((m) => m.binding.subscriber);
  }

  /**
   * Runs every matching subscriber concurrently and decides the message's fate. Never rejects.
   * `onResult` hears each subscriber as it finishes (the listener names the ones still running).
   */
  async dispatch(decoded: Decoded, context: MessageContext, onResult?: (result: SubscriberResult) => void): Promise<DispatchOutcome> {
    try {
      const matched = this.#match(decoded);
      let results: SubscriberResult[];
      // The common cases (no subscriber, or one) need no Promise.all and no wrapper per subscriber.
      const only = matched.length === 1 ? matched[0] : undefined;
      if (matched.length === 0) results = [];
      else if (only !== undefined) {
        const result = await runSubscriber(only.binding, only.evaluation, context, this.#retriable);
        onResult?.(result);
        results = [result];
      } else {
        results = await Promise.all(
          matched.map(async ({ binding, evaluation }) => {
            const result = await runSubscriber(binding, evaluation, context, this.#retriable);
            onResult?.(result);
            return result;
          }),
        );
      }
      return { decoded, results, decision: decide(decoded, results) };
    } catch {
      // Unreachable by design (every step above catches its own errors); if it happens anyway,
      // keep the message: at-least-once delivery beats losing it.
      return { decoded, results: [], decision: { action: 'retry', deadLetter: false, reason: 'retry' } };
    }
  }

  #match(decoded: Decoded): Matched[] {
    if (decoded.kind === 'invalid') return [];
    const index = this.#indexes.get(decoded.kind);
    if (index === undefined) return [];
    const matched: Matched[] = [];
    for (const binding of index.candidates(decoded.payload)) {
      const evaluation = evaluate(binding, decoded);
      if (evaluation !== undefined) matched.push({ binding, evaluation });
    }
    return matched;
  }
}

function instantiate(subscriber: SubscriberClass | MessageSubscriber): MessageSubscriber {
  if (subscriber instanceof MessageSubscriber) return subscriber;
  if (typeof subscriber !== 'function') {
    throw new SubscriberRegistrationError(String(subscriber), 'not a subscriber class or instance');
  }
  const name = subscriber.name === '' ? 'AnonymousSubscriber' : subscriber.name;
  if (!(subscriber.prototype instanceof MessageSubscriber)) {
    throw new SubscriberRegistrationError(name, 'not a subclass of MessageSubscriber (EventSubscriber, DataSubscriber...)');
  }
  try {
    return new subscriber();
  } catch (cause) {
    throw new SubscriberRegistrationError(name, 'its constructor threw; register a class with a no-argument constructor, or an instance', { cause });
  }
}
