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

/** Up to this many subscribers of a kind, a message is tested against each instead of looked up. */
const TESTED_DIRECTLY = 2;

/** Hears the subscribers of a message dispatched asynchronously, each as it finishes. */
export interface DispatchObserver {
  onResult(result: SubscriberResult): void;
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
  /** Each kind's bindings, in registration order (for the kinds with few of them). */
  readonly #byKind = new Map<PayloadKind, readonly Binding[]>();
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
    for (const kind of binding.kinds) {
      this.#indexes.get(kind)?.add(binding, binding.constraints, narrow);
      const few = this.#byKind.get(kind) ?? [];
      this.#byKind.set(kind, [...few, binding]);
    }
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
   * Runs every matching subscriber concurrently and decides the message's fate. Never throws or
   * rejects. When no subscriber matched, or the only one returned synchronously, the outcome comes
   * at once rather than as a promise, with every result in it. Otherwise `observer` hears each
   * subscriber as it finishes (the listener names the ones still running when time is up).
   */
  dispatch(decoded: Decoded, context: MessageContext, observer?: DispatchObserver): DispatchOutcome | Promise<DispatchOutcome> {
    try {
      // The common cases (no subscriber, or one) need no Promise.all, no list and no wrapper per subscriber.
      const candidates = this.#candidates(decoded);
      let binding: Binding | undefined;
      let evaluation: Matched['evaluation'] | undefined;
      for (let i = 0; i < candidates.length; i++) {
        const candidate = candidates[i] as Binding;
        const evaluated = evaluate(candidate, decoded);
        if (evaluated === undefined) continue;
        if (binding === undefined || evaluation === undefined) {
          binding = candidate;
          evaluation = evaluated;
          continue;
        }
        const matched = [{ binding, evaluation }, { binding: candidate, evaluation: evaluated }, ...this.#matched(decoded, candidates.slice(i + 1))];
        return this.#dispatchAll(decoded, matched, context, observer);
      }
      if (binding === undefined || evaluation === undefined) return { decoded, results: [], decision: decide(decoded, []) };
      const result = runSubscriber(binding, evaluation, context, this.#retriable);
      if (result instanceof Promise) {
        return result.then((r) => {
          observer?.onResult(r);
          return outcomeOf(decoded, r);
        }, () => keep(decoded));
      }
      return outcomeOf(decoded, result);
    } catch {
      return keep(decoded);
    }
  }

  async #dispatchAll(decoded: Decoded, matched: Matched[], context: MessageContext, observer: DispatchObserver | undefined): Promise<DispatchOutcome> {
    try {
      const results = await Promise.all(
        matched.map(async ({ binding, evaluation }) => {
          const result = await runSubscriber(binding, evaluation, context, this.#retriable);
          observer?.onResult(result);
          return result;
        }),
      );
      return { decoded, results, decision: decide(decoded, results) };
    } catch {
      return keep(decoded);
    }
  }

  #match(decoded: Decoded): Matched[] {
    return this.#matched(decoded, this.#candidates(decoded));
  }

  #matched(decoded: Decoded, candidates: readonly Binding[]): Matched[] {
    const matched: Matched[] = [];
    for (const binding of candidates) {
      const evaluation = evaluate(binding, decoded);
      if (evaluation !== undefined) matched.push({ binding, evaluation });
    }
    return matched;
  }

  /** The bindings that may match, in registration order: a subscriber or two are tested directly (walking the index would cost more than the test). */
  #candidates(decoded: Decoded): readonly Binding[] {
    if (decoded.kind === 'invalid') return NONE;
    const few = this.#byKind.get(decoded.kind) ?? NONE;
    if (few.length <= TESTED_DIRECTLY) return few;
    return this.#indexes.get(decoded.kind)?.candidates(decoded.payload) ?? NONE;
  }
}

const NONE: readonly Binding[] = [];

function outcomeOf(decoded: Decoded, result: SubscriberResult): DispatchOutcome {
  const results = [result];
  return { decoded, results, decision: decide(decoded, results) };
}

/**
 * Unreachable by design (every step of a dispatch catches its own errors); if it happens anyway,
 * keep the message: at-least-once delivery beats losing it.
 */
function keep(decoded: Decoded): DispatchOutcome {
  return { decoded, results: [], decision: { action: 'retry', deadLetter: false, reason: 'retry' } };
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
