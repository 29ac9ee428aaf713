/**
 * The pattern compiler. `compile` checks a pattern once and turns it into a tree of closures, so
 * matching never re-reads the pattern: regular expressions, decimal forms of numbers and instants
 * of Dates are prepared here. Matching never throws: a value of the wrong kind is a non-match.
 */
import { arrayPattern, objectPattern } from './collections.js';
import { describe, typeName } from './describe.js';
import { PatternError } from './errors.js';
import { comparatorFor, compileFunction } from './functions.js';
import { leaf, type Mismatch, type Node } from './node.js';
import { PatternFunction, type Pattern } from './pattern.js';
import { compileRegExp } from './regex.js';

export type { Mismatch } from './node.js';

/** A compiled pattern: call it with a value; `explain` names the first failing path, if any. */
export interface CompiledPattern {
  (value: unknown): boolean;
  explain(value: unknown): Mismatch | undefined;
}

/** Deeper patterns are refused: no real subscription nests this far, and recursion stays bounded. */
export const MAX_PATTERN_DEPTH = 32;

function isThenable(value: unknown): boolean {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

// A predicate decides by truthiness (as `Array.prototype.filter` does); one that throws, or
// returns a promise (it cannot decide synchronously), does not match.
function predicate(fn: (value: unknown) => unknown, path: string): Node {
  const source = Function.prototype.toString.call(fn);
  if (fn.constructor.name === 'AsyncFunction' || fn.constructor.name === 'AsyncGeneratorFunction') {
    throw new PatternError(path, 'a predicate must be synchronous, got an async function');
  }
  if (source.startsWith('class')) throw new PatternError(path, 'a predicate must be a function, got a class');
  return leaf(describe(fn), (value) => {
    try {
      const result = fn(value);
      return !isThenable(result) && Boolean(result);
    } catch {
      return false;
    }
  });
}

function scalar(pattern: unknown, path: string): Node | undefined {
  const expected = describe(pattern);
  switch (typeof pattern) {
    case 'string':
    case 'boolean':
      return leaf(expected, (value) => value === pattern);
    case 'number': {
      const compare = comparatorFor(pattern, path, 'eq');
      return leaf(expected, (value) => value === pattern || compare(value) === 0);
    }
    case 'bigint': {
      const compare = comparatorFor(pattern, path, 'eq');
      return leaf(expected, (value) => compare(value) === 0);
    }
    case 'undefined':
      throw new PatternError(path, 'undefined is not a pattern (leave the field out, or use any())');
    case 'symbol':
      throw new PatternError(path, `a symbol is not a pattern, got ${String(pattern)}`);
    default:
      if (pattern === null) return leaf('null', (value) => value === null);
      return undefined;
  }
}

function builder(): (pattern: unknown, path: string) => Node {
  const ancestors: object[] = [];
  const build = (pattern: unknown, path: string): Node => {
    const simple = scalar(pattern, path);
    if (simple !== undefined) return simple;
    if (typeof pattern === 'function') return predicate(pattern as (value: unknown) => unknown, path);
    const object = pattern as object;
    if (ancestors.includes(object)) throw new PatternError(path, 'the pattern is cyclic (it contains itself)');
    if (ancestors.length >= MAX_PATTERN_DEPTH) {
      throw new PatternError(path, `the pattern is nested deeper than ${MAX_PATTERN_DEPTH} levels`);
    }
    ancestors.push(object);
    try {
      return structured(object, path, build);
    } finally {
      ancestors.pop();
    }
  };
  return build;
}

function structured(pattern: object, path: string, build: (p: unknown, at: string) => Node): Node {
  if (pattern instanceof PatternFunction) return compileFunction(pattern, path, build);
  if (pattern instanceof Date) {
    const compare = comparatorFor(pattern, path, 'eq');
    return leaf(describe(pattern), (value) => compare(value) === 0);
  }
  if (pattern instanceof RegExp) return leaf(describe(pattern), compileRegExp(pattern, path));
  if (Array.isArray(pattern)) return arrayPattern(pattern, path, build);
  const kind = typeName(pattern);
  if (kind !== 'object') {
    throw new PatternError(path, `unsupported pattern type ${kind} (use a plain object, array, scalar, Date, RegExp, function or a pattern function)`);
  }
  return objectPattern(pattern, path, build);
}

/**
 * Checks and compiles `pattern`. `path` names the field it is written for; every `PatternError`
 * message starts with the path of the offending part, e.g. `attributes.quantity: gt() needs ...`.
 */
export function compile(pattern: unknown, path = ''): CompiledPattern {
  const root = builder()(pattern, path);
  const test = root.test;
  const compiled = (value: unknown): boolean => {
    try {
      return test(value);
    } catch {
      // A hostile value (a throwing getter, a revoked proxy) is a non-match, not a crash.
      return false;
    }
  };
  compiled.explain = (value: unknown): Mismatch | undefined => {
    try {
      return root.explain(value, path);
    } catch (error) {
      return { path, expected: `${root.expected} (matching threw ${(error as Error).name})`, actual: value };
    }
  };
  return compiled;
}

/** Compiles a pattern into a predicate; throws `PatternError` when the pattern is malformed. */
export function compilePattern(pattern: Pattern): (value: unknown) => boolean {
  return compile(pattern);
}

/** Whether `value` matches `pattern` (compiles the pattern each call; keep `compilePattern` for reuse). */
export function matches(value: unknown, pattern: Pattern): boolean {
  return compile(pattern)(value);
}
