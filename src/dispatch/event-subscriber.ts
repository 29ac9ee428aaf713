import type { ZodType, output } from 'zod';
import type { Pattern } from '../match/pattern.js';
import type { DataObject, MegaEvent, MegaPayload } from '../protocol/types.js';
import { MessageSubscriber } from './subscriber.js';

/** A MEGA payload whose `event.attributes` has been validated by a schema with output `A`. */
export type MegaPayloadWith<A> = Omit<MegaPayload, 'event'> & { event: Omit<MegaEvent, 'attributes'> & { attributes: A } };

/** What an EventSubscriber's `process` receives: typed attributes when it has an `attributesSchema` of type `S`. */
export type EventPayload<S extends ZodType | undefined = undefined> = S extends ZodType
  ? MegaPayloadWith<output<S>>
  : MegaPayload;

/**
 * The match fields an EventSubscriber may declare (every one optional; a subscriber without any
 * matches every MEGA event). Each alias means the same as its full name; when both are set the
 * full name wins. `implements EventPatterns` on a subscriber type-checks them.
 */
export interface EventPatterns {
  eventName?: Pattern;
  name?: Pattern;
  eventDomain?: Pattern;
  domain?: Pattern;
  eventVersion?: Pattern;
  version?: Pattern;
  eventTimestamp?: Pattern;
  timestamp?: Pattern;
  eventSubject?: Pattern;
  subject?: Pattern;
  eventPublisher?: Pattern;
  publisher?: Pattern;
  eventAttributes?: Pattern;
  attributes?: Pattern;
  objectType?: Pattern;
  objectVersion?: Pattern;
  objectId?: Pattern;
  objectCurrent?: Pattern;
  currentObject?: Pattern;
  objectPrevious?: Pattern;
  previousObject?: Pattern;
  /** A zod schema for `event.attributes`; `process` then receives its output. */
  attributesSchema?: ZodType<DataObject>;
}

/** Marks a field as absent because the payload has no `object`. */
export const NO_OBJECT: unique symbol = Symbol('no object');

export interface EventField {
  /** Full name, then alias. */
  readonly field: keyof EventPatterns;
  readonly alias?: keyof EventPatterns;
  /** Where the field sits in a MEGA payload. */
  readonly path: readonly string[];
  readonly select: (payload: MegaPayload) => unknown;
}

/** The match fields of EventSubscriber, in the order they are checked (cheap and selective first). */
export const EVENT_FIELDS: readonly EventField[] = [
  { field: 'eventName', alias: 'name', path: ['event', 'name'], select: (p) => p.event.name },
  { field: 'eventDomain', alias: 'domain', path: ['event', 'domain'], select: (p) => p.event.domain },
  { field: 'eventVersion', alias: 'version', path: ['event', 'version'], select: (p) => p.event.version },
  { field: 'eventSubject', alias: 'subject', path: ['event', 'subject'], select: (p) => p.event.subject },
  { field: 'eventPublisher', alias: 'publisher', path: ['event', 'publisher'], select: (p) => p.event.publisher },
  { field: 'eventTimestamp', alias: 'timestamp', path: ['event', 'timestamp'], select: (p) => p.event.timestamp },
  { field: 'eventAttributes', alias: 'attributes', path: ['event', 'attributes'], select: (p) => p.event.attributes },
  { field: 'objectType', path: ['object', 'type'], select: (p) => (p.object === undefined ? NO_OBJECT : p.object.type) },
  { field: 'objectVersion', path: ['object', 'version'], select: (p) => (p.object === undefined ? NO_OBJECT : p.object.version) },
  { field: 'objectId', path: ['object', 'id'], select: (p) => (p.object === undefined ? NO_OBJECT : p.object.id) },
  {
    field: 'objectCurrent',
    alias: 'currentObject',
    path: ['object', 'current'],
    select: (p) => (p.object === undefined ? NO_OBJECT : p.object.current),
  },
  {
    field: 'objectPrevious',
    alias: 'previousObject',
    path: ['object', 'previous'],
    select: (p) => (p.object === undefined ? NO_OBJECT : p.object.previous),
  },
];

/**
 * Subscribes to MEGA events. Declare the match fields of {@link EventPatterns} as class fields:
 *
 * ```ts
 * class ItemAdded extends EventSubscriber {
 *   domain = 'shopping_cart';
 *   name = 'item.added';
 *   attributes = { item_id: not(empty()), quantity: gt(0) };
 *   async process(payload: MegaPayload) { ... }
 * }
 * ```
 * With `attributesSchema = Attrs` (a zod schema) and `extends EventSubscriber<typeof Attrs>`,
 * `process(payload: EventPayload<typeof Attrs>)` receives the schema's output as
 * `payload.event.attributes`; a payload that fails the schema is FATAL_ERROR without calling `process`.
 *
 * A field naming the object (`objectType`, `objectCurrent`, ...) does not match a payload without one.
 */
export abstract class EventSubscriber<S extends ZodType | undefined = undefined> extends MessageSubscriber<EventPayload<S>> {}
