import { Binary, Decimal128, deserialize, Long, ObjectId } from 'bson';
import type { DataObject } from '../protocol/types.js';
import { scanBsonDocument } from './bson-scan.js';
import { DecodeError } from './errors.js';

export { looksLikeBsonDocument } from './bson-scan.js';

// Code is never evaluated (bson 7 has no such option); regexes stay BSONRegExp objects rather
// than compiled patterns; strings must be valid UTF-8; int64 becomes a number when it is safe.
const DESERIALIZE_OPTIONS = {
  promoteLongs: true,
  promoteValues: true,
  promoteBuffers: false,
  bsonRegExp: true,
  useBigInt64: false,
  validation: { utf8: true },
  allowObjectSmallerThanBufferSize: false,
} as const;

// Replaces a property without going through setters (a `__proto__` key stays an own property).
function setOwn(target: object, key: string | number, value: unknown): void {
  Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
}

/** Turns bson's wrapper classes into plain JavaScript values, in place. Depth is already bounded. */
function toPlain(value: unknown, path: string): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new DecodeError(`BSON datetime at ${path} is out of range`, path);
    return value;
  }
  if (value instanceof Long) return BigInt(value.toString());
  if (value instanceof Decimal128) return value.toString();
  if (value instanceof ObjectId) return value.toHexString();
  if (value instanceof Binary) return new Uint8Array(value.buffer.subarray(0, value.position));
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const plain = toPlain(value[i], `${path}.${i}`);
      if (plain !== value[i]) value[i] = plain;
    }
    return value;
  }
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) {
    // DBRef (a document with $ref/$id keys) and anything else bson builds that is not data.
    const type = (value as { _bsontype?: unknown })._bsontype;
    throw new DecodeError(`BSON ${typeof type === 'string' ? type : 'value'} at ${path} is not plain data`, path);
  }
  for (const key of Object.keys(value)) {
    const current = (value as Record<string, unknown>)[key];
    const plain = toPlain(current, path === '' ? key : `${path}.${key}`);
    if (plain !== current) setOwn(value, key, plain);
  }
  return value;
}

/**
 * Decodes one framed BSON document (see `looksLikeBsonDocument`) into plain data: numbers,
 * bigint for int64 beyond 2^53, strings (also for Decimal128 and ObjectId), Uint8Array for binary,
 * Date for datetimes. Throws a DecodeError naming the path for malformed documents, invalid
 * UTF-8, nesting past MAX_DEPTH and types that are not plain data (code, regex, timestamp...).
 */
export function decodeBsonDocument(bytes: Uint8Array): DataObject {
  scanBsonDocument(bytes);
  let document: DataObject;
  try {
    document = deserialize(bytes, DESERIALIZE_OPTIONS);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new DecodeError(`malformed BSON: ${reason}`, undefined, { cause: error });
  }
  return toPlain(document, '') as DataObject;
}
