// Documents generated FROM patterns, so that property tests of the candidate index meet mostly
// matches (and near misses) instead of the ~1% a blind generator finds. Objects come in every
// shape the matcher accepts: plain, null-prototype, with non-enumerable own keys, class instances.
import fc from 'fast-check';
import { compile } from '../../src/match/compile.js';
import { PatternFunction } from '../../src/match/pattern.js';
import type { Pattern } from '../../src/match/pattern.js';

class Record {
  constructor(fields: object) {
    Object.assign(this, fields);
  }
}

const isObject = (v: unknown): v is { [key: string]: unknown } =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);

/** The same own string keys in another shape: null prototype, non-enumerable keys, or a class instance. */
export function reshape(fields: { [key: string]: unknown }): fc.Arbitrary<object> {
  return fc.constantFrom('plain', 'null-prototype', 'hidden', 'instance').map((shape) => {
    switch (shape) {
      case 'null-prototype':
        return Object.assign(Object.create(null) as object, fields);
      case 'hidden': {
        const o = {};
        for (const key of Object.keys(fields)) Object.defineProperty(o, key, { value: fields[key], enumerable: false });
        return o;
      }
      case 'instance':
        return new Record(fields);
      default:
        return fields;
    }
  });
}

/** Values equal to a literal under the pattern semantics (a number and its numeric string alike). */
function literal(value: unknown): fc.Arbitrary<unknown> {
  if (typeof value === 'number' || typeof value === 'bigint') return fc.constantFrom(value, String(value));
  if (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value))) return fc.constantFrom(value, Number(value));
  return fc.constant(value);
}

/**
 * Values that `pattern` matches, or nearly (one side of an `and`, a branch under `not`), with
 * `noise` for what the pattern leaves open: extra keys, and values for operators it cannot invert.
 */
export function witness(pattern: unknown, noise: fc.Arbitrary<unknown>, extraKeys: fc.Arbitrary<string>): fc.Arbitrary<unknown> {
  const w = (p: unknown) => witness(p, noise, extraKeys);
  if (pattern instanceof PatternFunction) {
    const args = pattern.args;
    switch (pattern.operator) {
      case 'eq':
        return w(args[0]);
      case 'oneOf':
      case 'or':
        return fc.oneof(...args.map(w));
      case 'and':
        return fc.tuple(...args.map(w)).map((vs) => (vs.every(isObject) ? Object.assign({}, ...vs) : vs[0]));
      case 'not': {
        // Anything but the excluded literal(s); other negations are left to chance.
        const excluded = args[0] instanceof PatternFunction || isObject(args[0]) ? undefined : compile(args[0] as Pattern);
        return excluded === undefined ? noise : noise.filter((v) => !excluded(v));
      }
      case 'match':
        // A plain-text regular expression (no metacharacters) matches itself and what follows it.
        return typeof args[0] === 'string' && /^[\w.-]*$/.test(args[0]) ? fc.constantFrom(args[0], `${args[0]}-x`) : noise;
      case 'gt':
        return typeof args[0] === 'number' ? fc.integer({ min: Math.floor(args[0]), max: Math.floor(args[0]) + 3 }) : noise;
      default:
        return noise;
    }
  }
  if (Array.isArray(pattern)) {
    if (pattern.length === 0) return noise;
    return fc.oneof(fc.constantFrom(...pattern).chain(w), fc.tuple(...pattern.map(w)));
  }
  if (isObject(pattern) && Object.getPrototypeOf(pattern) === Object.prototype) {
    const keys = Object.keys(pattern);
    const named = fc.tuple(...keys.map((k) => w(pattern[k])));
    return fc
      .tuple(named, fc.dictionary(extraKeys, noise, { maxKeys: 2 }))
      .chain(([values, extra]) => reshape({ ...extra, ...Object.fromEntries(keys.map((k, i) => [k, values[i]])) }));
  }
  return literal(pattern);
}

/** Documents for a set of patterns: mostly witnesses of one or two of them, sometimes anything. */
export function documentsFor(patterns: readonly Pattern[], noise: fc.Arbitrary<unknown>, extraKeys: fc.Arbitrary<string>): fc.Arbitrary<unknown> {
  if (patterns.length === 0) return noise;
  const one = fc.constantFrom(...patterns).chain((p) => witness(p, noise, extraKeys));
  const two = fc.tuple(one, one).map(([x, y]) => (isObject(x) && isObject(y) ? { ...x, ...y } : x));
  return fc.oneof({ arbitrary: one, weight: 6 }, { arbitrary: two, weight: 2 }, { arbitrary: noise, weight: 1 });
}
