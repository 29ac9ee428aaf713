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
  // The objects being visited, outermost first. A cycle shows up as a nesting past MAX_DEPTH;
  // only then is the stack searched, to name it as a cycle (cheaper than a Set on every node).
  const ancestors: object[] = [];
  // The path is only spelled out when an error needs it: building strings per node would
  // cost more than the walk itself.
  const keys: (string | number)[] = [];
  const pathOf = (extra?: string | number): string => (extra === undefined ? keys : [...keys, extra]).reduce<string>((p, k) => at(p, k), '');
  const fail = (problem: (where: string) => string, extra?: string | number): never => {
    const path = pathOf(extra);
    throw new EncodeError(problem(where(path)), path);
  };
  const visitChild = (value: unknown, key: string | number, depth: number): unknown => {
    keys.push(key);
    const result = visit(value, depth);
    keys.pop();
    return result;
  };

  const visit = (value: unknown, depth: number): unknown => {
    switch (typeof value) {
      case 'string':
        if (target === 'BSON' && hasLoneSurrogate(value)) fail((w) => `${w} holds a lone surrogate, which BSON (UTF-8) cannot carry`);
        return value;
      case 'boolean':
      case 'undefined':
        return value;
      case 'number':
        if (!Number.isFinite(value)) fail((w) => `${w} is ${value}, which ${target} cannot represent`);
        return target === 'BSON' && Number.isSafeInteger(value) && (value < INT32_MIN || value > INT32_MAX) ? Long.fromNumber(value) : value;
      case 'bigint':
        if (target === 'JSON') fail((w) => `${w} is a bigint, which JSON cannot carry: use binaryEncoding (BSON int64) or convert it`);
        if (value < -(2n ** 63n) || value >= 2n ** 63n) fail((w) => `${w} is a bigint outside the int64 range`);
        return value;
      case 'function':
      case 'symbol':
        return fail((w) => `${w} is ${describe(value)}, which cannot be serialised`);
    }
    if (value === null) return null;
    const object = value as object;
    if (object instanceof Date) {
      if (Number.isNaN(object.getTime())) fail((w) => `${w} is an invalid Date`);
      return object;
    }
    if (object instanceof Uint8Array) {
      if (target === 'JSON') fail((w) => `${w} is binary data, which JSON cannot carry: use binaryEncoding`);
      return object;
    }
    const bsonType = (object as { _bsontype?: unknown })._bsontype;
    if (typeof bsonType === 'string') {
      if (target === 'BSON' && BSON_DATA_TYPES.has(bsonType)) return object;
      return fail((w) => `${w} is ${describe(object)}, which is not plain data`);
    }
    const isArray = Array.isArray(object);
    if (!isArray && !isPlainObject(object)) fail((w) => `${w} is ${describe(object)}, not a plain object`);
    if (depth > MAX_DEPTH) {
      const first = ancestors.indexOf(object);
      if (first !== -1) {
        // Name the place where the cycle first closes, not where the walk gave up.
        const again = ancestors.indexOf(object, first + 1);
        keys.length = again === -1 ? keys.length : again;
        fail((w) => `${w} refers back to one of its parents (a cycle)`);
      }
      fail((w) => `${w} nests deeper than ${MAX_DEPTH} levels (limit MAX_DEPTH)`);
    }
    ancestors.push(object);
    let result: unknown;
    if (isArray) {
      const items = object as unknown[];
      const copy = target === 'BSON' ? new Array<unknown>(items.length) : undefined;
      for (let i = 0; i < items.length; i++) {
        const item = visitChild(items[i], i, depth + 1);
        if (copy !== undefined) copy[i] = item;
      }
      result = copy ?? items;
    } else if (target === 'JSON') {
      const fields = object as DataObject;
      for (const key in fields) {
        if (Object.hasOwn(fields, key)) visitChild(fields[key], key, depth + 1);
      }
      result = object;
    } else {
      const fields = object as DataObject;
      if (typeof fields.$ref === 'string' && fields.$id !== undefined && fields.$id !== null) {
        fail((w) => `${w} has $ref and $id keys, so BSON readers would take it for a DBRef, not data`);
      }
      const entries: [string, unknown][] = [];
      for (const key of Object.keys(object)) {
        if (key.includes('\0') || hasLoneSurrogate(key)) {
          fail((w) => `${w}: BSON keys cannot hold NUL characters or lone surrogates`, key);
        }
        entries.push([key, visitChild(fields[key], key, depth + 1)]);
      }
      // fromEntries defines properties, so a `__proto__` key is copied as data, not as a prototype.
      result = Object.fromEntries(entries);
    }
    ancestors.pop();
    return result;
  };

  return visit(root, 1) as DataObject;
}
