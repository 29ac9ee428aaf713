import type { Decoded } from '../codec/decoded.js';
import type { DataObject, MegaPayload } from '../protocol/types.js';
import type { MessageContext } from './context.js';
import type { ProcessStatus } from './status.js';

/** What `process` may return: nothing (DONE) or a status, directly or in a promise. */
export type ProcessResult = ProcessStatus | void | Promise<ProcessStatus | void>;

/** Any payload a decoded message can carry. */
export type Payload = MegaPayload | DataObject | string | Uint8Array;

/**
 * The base of every subscriber: a set of rules saying which messages it wants, and `process`.
 * Subclass {@link EventSubscriber}, {@link DataSubscriber}, {@link PlaintextSubscriber} or
 * {@link BinarySubscriber}; a direct subclass of this class receives every valid message
 * (MEGA, data, plaintext and binary) that its {@link accepts} takes; declare its `process` with
 * a {@link Payload} parameter.
 *
 * Match fields are read from the instance and compiled once, when the subscriber is registered;
 * changing them afterwards has no effect.
 */
// `P` defaults to `never` so that `MessageSubscriber` alone means "any subscriber": every subclass,
// whatever payload its `process` takes, is assignable to it.
export abstract class MessageSubscriber<P = never> {
  /** Handle one message. Return nothing (DONE) or a ProcessStatus; a thrown error is FATAL_ERROR unless retriable. */
  abstract process(payload: P, context: MessageContext): ProcessResult;

  /**
   * A last, free-form filter, asked after the subscriber's patterns matched (the only filter of
   * a direct subclass). Must be synchronous and cheap; it runs for every candidate message.
   */
  accepts(decoded: Decoded): boolean {
    void decoded;
    return true;
  }
}

/** A subscriber class that `register` can instantiate (no-argument constructor). */
export type SubscriberClass = new () => MessageSubscriber;

/** The class name a subscriber is reported by. */
export function subscriberName(subscriber: object): string {
  const name = subscriber.constructor.name;
  return name === '' ? 'AnonymousSubscriber' : name;
}
