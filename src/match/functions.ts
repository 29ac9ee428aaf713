/** Compiles the DSL's pattern functions (`gt(5)`, `oneOf(...)`, ...) into nodes. */
import { parseDecimal, decimalOfBigint } from './decimal.js';
import { describe, typeName } from './describe.js';
import { PatternError } from './errors.js';
import { instantOfDate } from './instant.js';
import { leaf, type Build, type Node } from './node.js';
import type { PatternFunction } from './pattern.js';
import { compileAnchored, compileRegExp } from './regex.js';
import { decimalComparator, instantComparator, numberComparator, type Comparator } from './values.js';
import { matchCollection } from './collections.js';
import { kindGuard } from './kinds.js';

const ORDERINGS = {
  gt: (c: number) => c > 0,
  gte: (c: number) => c >= 0,
  lt: (c: number) => c < 0,
  lte: (c: number) => c <= 0,
} as const;

/** A comparator for an ordering or equality operand, or a PatternError naming what is wrong. */
export function comparatorFor(operand: unknown, path: string, fn: string): Comparator {
  const needs = `${fn}() needs a number, numeric string, bigint or Date`;
  if (typeof operand === 'number') {
    if (!Number.isFinite(operand)) throw new PatternError(path, `${needs}, got ${operand}`);
    return numberComparator(operand);
  }
  if (typeof operand === 'bigint') return decimalComparator(decimalOfBigint(operand), operand);
  if (typeof operand === 'string') {
    const d = parseDecimal(operand);
    if (d === undefined) {
      throw new PatternError(path, `${needs}, got the string ${describe(operand)} (use a Date to compare instants)`);
    }
    return decimalComparator(d);
  }
  if (operand instanceof Date) {
    const at = instantOfDate(operand);
    if (at === undefined) throw new PatternError(path, `${needs}, got an invalid Date`);
    return instantComparator(at);
  }
  throw new PatternError(path, `${needs}, got ${typeName(operand)}`);
}

function arity(fn: PatternFunction, path: string, min: number, max: number): readonly unknown[] {
  const args = fn.args;
  if (!Array.isArray(args)) throw new PatternError(path, `${fn.operator}() has malformed arguments`);
  const n = args.length;
  if (n < min || n > max) {
    const wanted =
      min === max ? `exactly ${min === 0 ? 'no' : min} argument${min === 1 ? '' : 's'}` : `${min} or more arguments`;
    throw new PatternError(path, `${fn.operator}() takes ${wanted}, got ${n}`);
  }
  return args;
}

type Test = (value: unknown) => boolean;

function anyOf(tests: readonly Test[]): Test {
  if (tests.length === 2) {
    const [a, b] = tests as [Test, Test];
    return (value) => a(value) || b(value);
  }
  return (value) => {
    for (let i = 0; i < tests.length; i++) if ((tests[i] as Test)(value)) return true;
    return false;
  };
}

function allOf(tests: readonly Test[]): Test {
  if (tests.length === 2) {
    const [a, b] = tests as [Test, Test];
    return (value) => a(value) && b(value);
  }
  return (value) => {
    for (let i = 0; i < tests.length; i++) if (!(tests[i] as Test)(value)) return false;
    return true;
  };
}

function isEmpty(value: unknown): boolean {
  if (value === null || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === 'object' && typeName(value) === 'object') {
    for (const key in value) if (Object.hasOwn(value, key)) return false;
    return true;
  }
  return false;
}

export function compileFunction(fn: PatternFunction, path: string, build: Build): Node {
  const expected = describe(fn);
  switch (fn.operator) {
    case 'eq': {
      const [operand] = arity(fn, path, 1, 1);
      return build(operand, path);
    }
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte': {
      const [operand] = arity(fn, path, 1, 1);
      const compare = comparatorFor(operand, path, fn.operator);
      const holds = ORDERINGS[fn.operator];
      return leaf(expected, (value) => {
        const c = compare(value);
        return c !== undefined && holds(c);
      });
    }
    case 'match': {
      const [operand] = arity(fn, path, 1, 1);
      if (typeof operand === 'string') return leaf(expected, compileAnchored(operand, path));
      if (operand instanceof RegExp) return leaf(expected, compileRegExp(operand, path));
      if (Array.isArray(operand)) return matchCollection(operand, path, build);
      throw new PatternError(path, `match() needs a string, RegExp or array, got ${typeName(operand)}`);
    }
    case 'oneOf':
    case 'or': {
      const args = arity(fn, path, fn.operator === 'or' ? 2 : 1, Infinity);
      const tests = args.map((a) => build(a, path).test);
      const some = anyOf(tests);
      if (fn.operator === 'or') return leaf(expected, some);
      if (args.every((a) => typeof a === 'string')) {
        const set = new Set(args as string[]); // the common oneOf('email', 'sms'): one lookup
        return leaf(expected, (value) => typeof value === 'string' && set.has(value));
      }
      // Typed like the other collections, but an array value is one candidate, not a set of them.
      const comparable = kindGuard(args, false);
      return leaf(expected, (value) => comparable(value) && some(value));
    }
    case 'and': {
      const nodes = arity(fn, path, 2, Infinity).map((a) => build(a, path));
      return {
        expected,
        test: allOf(nodes.map((n) => n.test)),
        explain: (value, at) => {
          for (const n of nodes) {
            const miss = n.explain(value, at);
            if (miss !== undefined) return miss;
          }
          return undefined;
        },
      };
    }
    case 'not': {
      const [operand] = arity(fn, path, 1, 1);
      const inner = build(operand, path).test;
      return leaf(expected, (value) => !inner(value));
    }
    case 'any':
      arity(fn, path, 0, 0);
      return leaf(expected, (value) => value !== undefined);
    case 'empty':
      arity(fn, path, 0, 0);
      return leaf(expected, isEmpty);
    default:
      throw new PatternError(path, `unknown pattern function ${describe(String(fn.operator))}`);
  }
}
