import { serialize } from 'bson';
import { isPlainObject } from '../protocol/plain.js';
import { isMegaTagged, parseMegaPayload } from '../protocol/schema.js';
import type { DataObject, MegaPayload } from '../protocol/types.js';
import { toWireObject } from '../protocol/wire.js';
import { encodeBase64 } from './base64.js';
import { EncodeError } from './errors.js';
import { prepareForEncoding } from './serialisable.js';
import { escapeJsonForSqs } from './sqs-text.js';

export interface EncodeOptions {
  /** Write objects as base64 BSON instead of JSON. */
  binaryEncoding?: boolean;
}

/**
 * Turns a payload into an SQS/SNS message body:
 * - a MEGA payload (anything tagged `protocol: 'mega'`, `version: 1`) is validated and written in
 *   its wire form, as JSON or as base64 BSON with `binaryEncoding`;
 * - any other plain object is data, written the same two ways, key order kept; JSON escapes every
 *   character SQS refuses (U+FFFE, U+FFFF, lone surrogates, control characters) so it arrives intact;
 * - a string goes as it is (asking for binary encoding of a string is an error);
 * - bytes go as base64.
 * Throws a MegaSchemaError for an invalid MEGA payload and an EncodeError naming the path for
 * anything that cannot be serialised faithfully.
 */
export function encodePayload(payload: MegaPayload | DataObject | string | Uint8Array, opts: EncodeOptions = {}): string {
  const binary = opts.binaryEncoding === true;
  if (typeof payload === 'string') {
    if (binary) throw new EncodeError('a string payload cannot be binary encoded: send it as text, or encode bytes instead');
    return payload;
  }
  if (payload instanceof Uint8Array) return encodeBase64(payload);
  if (!isPlainObject(payload)) {
    throw new EncodeError(`cannot encode ${payload === null ? 'null' : typeof payload}: expected a MEGA payload, a plain object, a string or a Uint8Array`);
  }
  const object = isMegaTagged(payload) ? toWireObject(parseMegaPayload(payload)) : payload;
  if (!binary) {
    prepareForEncoding(object, 'JSON');
    return escapeJsonForSqs(JSON.stringify(object));
  }
  const document = prepareForEncoding(object, 'BSON');
  try {
    return encodeBase64(serialize(document, { ignoreUndefined: true, checkKeys: false }));
  } catch (error) {
    throw new EncodeError(`cannot encode as BSON: ${error instanceof Error ? error.message : String(error)}`, undefined, { cause: error });
  }
}
