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
  // JSON is the hot path (every publish): a bare yes/no walk first; only data it rejects is walked
  // again, by the walker that tracks the path, to name the problem.
  if (target === 'JSON' && isJsonSafe(root, 1)) return root;
  return new EncodingWalk(target).visit(root, 1) as DataObject;
}

/**
 * True when the walk below would accept `value` for JSON. It may only be stricter than the walk,
 * never looser: whatever it rejects is handed to the walk, which has the last word.
 */
function isJsonSafe(value: unknown, depth: number): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
    case 'undefined':
      return true;
    case 'number':
      return Number.isFinite(value);
    case 'object':
      break;
    default:
      return false;
  }
  if (value === null) return true;
  if (typeof (value as { _bsontype?: unknown })._bsontype === 'string') return false;
  if (Array.isArray(value)) {
    if (depth > MAX_DEPTH) return false;
    for (let i = 0; i < value.length; i++) if (!isJsonSafe(value[i], depth + 1)) return false;
    return true;
  }
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto === Object.prototype || proto === null) {
    if (depth > MAX_DEPTH) return false;
    const fields = value as DataObject;
    for (const key in fields) if (Object.hasOwn(fields, key) && !isJsonSafe(fields[key], depth + 1)) return false;
    return true;
  }
  return value instanceof Date && !Number.isNaN(value.getTime());
}

/** The checking walk: names the path of the first problem, and builds the BSON document. */
class EncodingWalk {
  // The objects being visited, outermost first. A cycle shows up as a nesting past MAX_DEPTH;
  // only then is the stack searched, to name it as a cycle (cheaper than a Set on every node).
  private readonly ancestors: object[] = [];
  // The path is only spelled out when an error needs it: building strings per node would
  // cost more than the walk itself.
  private readonly keys: (string | number)[] = [];

  constructor(private readonly target: Target) {}

  private fail(problem: (where: string) => string, extra?: string | number): never {
    const path = (extra === undefined ? this.keys : [...this.keys, extra]).reduce<string>((p, k) => at(p, k), '');
    throw new EncodeError(problem(where(path)), path);
  }

  private visitChild(value: unknown, key: string | number, depth: number): unknown {
    this.keys.push(key);
    const result = this.visit(value, depth);
    this.keys.pop();
    return result;
  }

  visit(value: unknown, depth: number): unknown {
    const target = this.target;
    switch (typeof value) {
      case 'string':
        if (target === 'BSON' && hasLoneSurrogate(value)) this.fail((w) => `${w} holds a lone surrogate, which BSON (UTF-8) cannot carry`);
        return value;
      case 'boolean':
      case 'undefined':
        return value;
      case 'number':
        if (!Number.isFinite(value)) this.fail((w) => `${w} is ${value}, which ${target} cannot represent`);
        return target === 'BSON' && Number.isSafeInteger(value) && (value < INT32_MIN || value > INT32_MAX) ? Long.fromNumber(value) : value;
      case 'bigint':
        if (target === 'JSON') this.fail((w) => `${w} is a bigint, which JSON cannot carry: use binaryEncoding (BSON int64) or convert it`);
        if (value < -(2n ** 63n) || value >= 2n ** 63n) this.fail((w) => `${w} is a bigint outside the int64 range`);
        return value;
      case 'function':
      case 'symbol':
        return this.fail((w) => `${w} is ${describe(value)}, which cannot be serialised`);
    }
    if (value === null) return null;
    const object = value as object;
    if (object instanceof Date) {
      if (Number.isNaN(object.getTime())) this.fail((w) => `${w} is an invalid Date`);
      return object;
    }
    if (object instanceof Uint8Array) {
      if (target === 'JSON') this.fail((w) => `${w} is binary data, which JSON cannot carry: use binaryEncoding`);
      return object;
    }
    const bsonType = (object as { _bsontype?: unknown })._bsontype;
    if (typeof bsonType === 'string') {
      if (target === 'BSON' && BSON_DATA_TYPES.has(bsonType)) return object;
      return this.fail((w) => `${w} is ${describe(object)}, which is not plain data`);
    }
    const isArray = Array.isArray(object);
    if (!isArray && !isPlainObject(object)) this.fail((w) => `${w} is ${describe(object)}, not a plain object`);
    if (depth > MAX_DEPTH) {
      const first = this.ancestors.indexOf(object);
      if (first !== -1) {
        // Name the place where the cycle first closes, not where the walk gave up.
        const again = this.ancestors.indexOf(object, first + 1);
        this.keys.length = again === -1 ? this.keys.length : again;
        this.fail((w) => `${w} refers back to one of its parents (a cycle)`);
      }
      this.fail((w) => `${w} nests deeper than ${MAX_DEPTH} levels (limit MAX_DEPTH)`);
    }
    this.ancestors.push(object);
    let result: unknown;
    if (isArray) {
      const items = object as unknown[];
      const copy = target === 'BSON' ? new Array<unknown>(items.length) : undefined;
      for (let i = 0; i < items.length; i++) {
        const item = this.visitChild(items[i], i, depth + 1);
        if (copy !== undefined) copy[i] = item;
      }
      result = copy ?? items;
    } else if (target === 'JSON') {
      const fields = object as DataObject;
      for (const key in fields) {
        if (Object.hasOwn(fields, key)) this.visitChild(fields[key], key, depth + 1);
      }
      result = object;
    } else {
      const fields = object as DataObject;
      if (typeof fields.$ref === 'string' && fields.$id !== undefined && fields.$id !== null) {
        this.fail((w) => `${w} has $ref and $id keys, so BSON readers would take it for a DBRef, not data`);
      }
      const entries: [string, unknown][] = [];
      for (const key of Object.keys(object)) {
        if (key.includes('\0') || hasLoneSurrogate(key)) {
          this.fail((w) => `${w}: BSON keys cannot hold NUL characters or lone surrogates`, key);
        }
        entries.push([key, this.visitChild(fields[key], key, depth + 1)]);
      }
      // fromEntries defines properties, so a `__proto__` key is copied as data, not as a prototype.
      result = Object.fromEntries(entries);
    }
    this.ancestors.pop();
    return result;
  }
}
