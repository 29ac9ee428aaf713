import { Long } from 'bson';
import { isPlainObject } from '../protocol/plain.js';
import type { DataObject } from '../protocol/types.js';
import { EncodeError } from './errors.js';
import { MAX_DEPTH } from './limits.js';

export type Target = 'JSON' | 'BSON';

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

// bson value classes that are plain data; anything else with a `_bsontype` (Code, BSONRegExp...) is not.
const BSON_DATA_TYPES: ReadonlySet<string> = new Set(['Long', 'Int32', 'Double', 'Decimal128', 'ObjectId', 'Binary']);

function describe(value: unknown): string {
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'symbol') return 'a symbol';
  if (typeof value === 'bigint') return 'a bigint';
  if (typeof value === 'object' && value !== null) {
    const bsonType = (value as { _bsontype?: unknown })._bsontype;
    if (typeof bsonType === 'string') return `a BSON ${bsonType}`;
    const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
    return typeof name === 'string' && name !== '' ? `a ${name}` : 'an object';
  }
  return String(value);
}

// Strings are UTF-16; a surrogate without its pair has no UTF-8 form and would silently become U+FFFD.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const hasLoneSurrogate = (text: string): boolean => LONE_SURROGATE.test(text);

const at = (path: string, key: string | number): string => (path === '' ? String(key) : `${path}.${key}`);
const where = (path: string): string => (path === '' ? 'the payload' : path);

/**
 * Checks that `root` is plain data the target can carry without silently losing anything, and
 * returns what to hand to the serializer. For JSON that is `root` itself; for BSON a copy in which
 * integers beyond int32 are Int64 (as the Python implementation writes them) rather than doubles.
 * Throws an EncodeError naming the path and the problem: functions, symbols, cycles, non-finite
 * numbers, invalid dates, class instances, bigint or bytes in JSON, lone surrogates or NUL in
 * keys or DBRef-shaped objects in BSON, nesting past MAX_DEPTH.
 */
export function prepareForEncoding(root: DataObject, target: Target): DataObject {
  const ancestors = new Set<object>();

  const visit = (value: unknown, path: string, depth: number): unknown => {
    switch (typeof value) {
      case 'string':
        if (target === 'BSON' && hasLoneSurrogate(value)) throw new EncodeError(`${where(path)} holds a lone surrogate, which BSON (UTF-8) cannot carry`, path);
        return value;
      case 'boolean':
      case 'undefined':
        return value;
      case 'number':
        if (!Number.isFinite(value)) throw new EncodeError(`${where(path)} is ${value}, which ${target} cannot represent`, path);
        return target === 'BSON' && Number.isSafeInteger(value) && (value < INT32_MIN || value > INT32_MAX) ? Long.fromNumber(value) : value;
      case 'bigint':
        if (target === 'JSON') throw new EncodeError(`${where(path)} is a bigint, which JSON cannot carry: use binaryEncoding (BSON int64) or convert it`, path);
        if (value < -(2n ** 63n) || value >= 2n ** 63n) throw new EncodeError(`${where(path)} is a bigint outside the int64 range`, path);
        return value;
      case 'function':
      case 'symbol':
        throw new EncodeError(`${where(path)} is ${describe(value)}, which cannot be serialised`, path);
    }
    if (value === null) return null;
    const object = value as object;
    if (object instanceof Date) {
      if (Number.isNaN(object.getTime())) throw new EncodeError(`${where(path)} is an invalid Date`, path);
      return object;
    }
    if (object instanceof Uint8Array) {
      if (target === 'JSON') throw new EncodeError(`${where(path)} is binary data, which JSON cannot carry: use binaryEncoding`, path);
      return object;
    }
    const bsonType = (object as { _bsontype?: unknown })._bsontype;
    if (typeof bsonType === 'string') {
      if (target === 'BSON' && BSON_DATA_TYPES.has(bsonType)) return object;
      throw new EncodeError(`${where(path)} is ${describe(object)}, which is not plain data`, path);
    }
    const isArray = Array.isArray(object);
    if (!isArray && !isPlainObject(object)) throw new EncodeError(`${where(path)} is ${describe(object)}, not a plain object`, path);
    if (ancestors.has(object)) throw new EncodeError(`${where(path)} refers back to one of its parents (a cycle)`, path);
    if (depth > MAX_DEPTH) throw new EncodeError(`${where(path)} nests deeper than ${MAX_DEPTH} levels (limit MAX_DEPTH)`, path);
    ancestors.add(object);
    let result: unknown;
    if (isArray) {
      const items = object as unknown[];
      const copy = target === 'BSON' ? new Array<unknown>(items.length) : undefined;
      for (let i = 0; i < items.length; i++) {
        const item = visit(items[i], at(path, i), depth + 1);
        if (copy !== undefined) copy[i] = item;
      }
      result = copy ?? items;
    } else {
      const fields = object as DataObject;
      if (target === 'BSON' && typeof fields.$ref === 'string' && fields.$id !== undefined && fields.$id !== null) {
        throw new EncodeError(`${where(path)} has $ref and $id keys, so BSON readers would take it for a DBRef, not data`, path);
      }
      const entries: [string, unknown][] = [];
      for (const key of Object.keys(object)) {
        if (target === 'BSON' && (key.includes('\0') || hasLoneSurrogate(key))) {
          throw new EncodeError(`${where(at(path, key))}: BSON keys cannot hold NUL characters or lone surrogates`, at(path, key));
        }
        entries.push([key, visit(fields[key], at(path, key), depth + 1)]);
      }
      // fromEntries defines properties, so a `__proto__` key is copied as data, not as a prototype.
      result = target === 'BSON' ? Object.fromEntries(entries) : object;
    }
    ancestors.delete(object);
    return result;
  };

  return visit(root, '', 1) as DataObject;
}
