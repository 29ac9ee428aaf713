import { MegaSchemaError } from './errors.js';
import { isPlainObject } from './plain.js';
import { parseMegaPayload } from './schema.js';
import type { DataObject, MegaPayload } from './types.js';

/** Event fields for `withEvent`; any other key is an event attribute. */
export interface EventInput {
  name: string;
  domain?: string;
  version?: number;
  subject?: string;
  publisher?: string;
  /** Defaults to the time `build()` is called. */
  timestamp?: Date | string;
  attributes?: DataObject;
  [attribute: string]: unknown;
}

/** Object fields for `withObject`. */
export interface ObjectInput {
  current: DataObject;
  previous?: DataObject;
  type?: string;
  id?: string;
  version?: number;
}

/**
 * Builds a MEGA payload step by step; `build()` validates it through the same schema as the
 * decoder, so a built payload always survives encoding and decoding.
 */
export class PayloadBuilder {
  #event: DataObject | undefined;
  #object: DataObject | undefined;
  #extra: [string, unknown][] = [];

  /** Sets the event; keys that are not event fields become `event.attributes`. */
  withEvent(event: EventInput): this {
    if (!isPlainObject(event)) throw new MegaSchemaError('event: expected an object', 'event');
    this.#event = { ...event };
    return this;
  }

  /** Sets the object the event is about. */
  withObject(object: ObjectInput): this {
    if (!isPlainObject(object)) throw new MegaSchemaError('object: expected an object', 'object');
    this.#object = { ...object };
    return this;
  }

  /** Adds entries to `extra`; later calls add to (and override keys of) earlier ones. */
  withExtra(extra: DataObject): this {
    if (!isPlainObject(extra)) throw new MegaSchemaError('extra: expected an object', 'extra');
    this.#extra.push(...Object.entries(extra));
    return this;
  }

  /** Validates and returns the payload; throws a MegaSchemaError naming the first bad field. */
  build(): MegaPayload {
    if (this.#event === undefined) {
      throw new MegaSchemaError('event: missing, call withEvent() before build()', 'event');
    }
    return parseMegaPayload(
      withPayloadDefaults({
        protocol: 'mega',
        event: this.#event,
        ...(this.#object === undefined ? {} : { object: this.#object }),
        extra: Object.fromEntries(this.#extra),
      }),
    );
  }
}

/**
 * Fills in what a producer may leave out of a MEGA payload it writes: the protocol `version` (1)
 * and `event.timestamp` (now). Event and object versions default to 1 in the schema itself.
 * Returns a copy; a malformed `event` is left for validation to report.
 */
export function withPayloadDefaults(payload: DataObject): DataObject {
  const { event } = payload;
  const filled: DataObject = { ...payload, version: payload.version ?? 1 };
  if (isPlainObject(event) && (event.timestamp === undefined || event.timestamp === null)) filled.event = { ...event, timestamp: new Date() };
  return filled;
}
