import type { ZodType, output } from 'zod';
import type { Pattern } from '../match/pattern.js';
import type { DataObject } from '../protocol/types.js';
import { MessageSubscriber } from './subscriber.js';

/** What a DataSubscriber's `process` receives: the schema's output when it has a `schema` of type `S`. */
export type DataPayload<S extends ZodType | undefined = undefined> = S extends ZodType ? output<S> : DataObject;

/** The fields a DataSubscriber may declare; `implements DataPatterns` type-checks them. */
export interface DataPatterns {
  /** A pattern over the whole data object (usually a partial object pattern); none matches every data payload. */
  pattern?: Pattern;
  /** A zod schema for the data object; `process` then receives its output. */
  schema?: ZodType;
}

/**
 * Subscribes to data payloads (JSON or BSON objects that are not MEGA events):
 *
 * ```ts
 * class UserNotification extends DataSubscriber {
 *   pattern = { type: match('user:notification:'), user: { id: gt(0) } };
 *   process(payload: DataObject) { ... }
 * }
 * ```
 * With `schema = Shape` and `extends DataSubscriber<typeof Shape>`, `process(payload: DataPayload<typeof Shape>)`
 * gets the schema's output; a payload that fails the schema is FATAL_ERROR without calling `process`.
 */
export abstract class DataSubscriber<S extends ZodType | undefined = undefined> extends MessageSubscriber<DataPayload<S>> {}

/** The fields a PlaintextSubscriber or BinarySubscriber may declare. */
export interface RawPatterns {
  /** A pattern over what `transform` returned (the raw payload when it is not overridden). */
  pattern?: Pattern;
}

/**
 * Subscribes to plaintext payloads (bodies that are neither JSON objects nor base64).
 *
 * Three uses: consume the text as it is (`pattern` may then be e.g. `match('^PING')`); transform it
 * into a data object by overriding {@link transform} (the `pattern` then matches that object and
 * `process` receives it); or ignore it, by returning `undefined` from `transform`. A `transform`
 * that throws makes the message FATAL_ERROR for this subscriber.
 */
export abstract class PlaintextSubscriber<T = string> extends MessageSubscriber<T> {
  /** Turns the text into what `pattern` matches and `process` receives; `undefined` means "not mine". */
  transform(text: string): T | undefined {
    return text as T;
  }
}

/**
 * Subscribes to binary payloads (base64 bodies that are not BSON documents); the same three uses as
 * {@link PlaintextSubscriber}, with `transform(bytes)`.
 */
export abstract class BinarySubscriber<T = Uint8Array> extends MessageSubscriber<T> {
  /** Turns the bytes into what `pattern` matches and `process` receives; `undefined` means "not mine". */
  transform(bytes: Uint8Array): T | undefined {
    return bytes as T;
  }
}
