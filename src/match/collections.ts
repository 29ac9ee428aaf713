/** Arrays and nested objects: set equality, `match([...])` containment, partial object matching. */
import { childPath, describe } from './describe.js';
import { PatternError } from './errors.js';
import { kindGuard } from './kinds.js';
import type { Build, Mismatch, Node } from './node.js';

type Test = (value: unknown) => boolean;

function someItem(items: readonly unknown[], test: Test): boolean {
  for (let i = 0; i < items.length; i++) if (test(items[i])) return true;
  return false;
}

function satisfiesOne(tests: readonly Test[], value: unknown): boolean {
  for (let i = 0; i < tests.length; i++) if ((tests[i] as Test)(value)) return true;
  return false;
}

/**
 * A bare array (or `eq([...])`): against an array, the same set of items in any order, duplicates
 * ignored (every pattern item is found in the value and every value item is one of the pattern's);
 * against anything else, the value is one of the items.
 */
export function arrayPattern(pattern: readonly unknown[], path: string, build: Build): Node {
  const expected = describe(pattern);
  const tests = pattern.map((item, i) => build(item, `${path}[${i}]`).test);
  const comparable = kindGuard(pattern);
  const test = (value: unknown): boolean => {
    if (!comparable(value)) return false;
    if (!Array.isArray(value)) return satisfiesOne(tests, value);
    for (const t of tests) if (!someItem(value, t)) return false;
    for (const item of value) if (!satisfiesOne(tests, item)) return false;
    return true;
  };
  const explain = (value: unknown, at: string): Mismatch | undefined => {
    if (test(value)) return undefined;
    if (!comparable(value)) return { path: at, expected: `values of the same kinds as ${expected}`, actual: value };
    if (!Array.isArray(value)) return { path: at, expected: `one of ${expected}`, actual: value };
    const missing = tests.findIndex((t) => !someItem(value, t));
    if (missing >= 0) return { path: at, expected: `the same items as ${expected}; none is ${describe(pattern[missing])}`, actual: value };
    const extra = value.findIndex((item) => !satisfiesOne(tests, item));
    return { path: `${at}[${extra}]`, expected: `one of ${expected}`, actual: value[extra] };
  };
  return { expected, test, explain };
}

/**
 * `match([...])`: against an array, every pattern item is satisfied by some item of the value;
 * against anything else, the value satisfies one of the items.
 */
export function matchCollection(pattern: readonly unknown[], path: string, build: Build): Node {
  if (pattern.length === 0) throw new PatternError(path, 'match() needs at least one item in its array');
  const expected = `match(${describe(pattern)})`;
  const tests = pattern.map((item, i) => build(item, `${path}[${i}]`).test);
  const comparable = kindGuard(pattern);
  const test = (value: unknown): boolean => {
    if (!comparable(value)) return false;
    if (!Array.isArray(value)) return satisfiesOne(tests, value);
    for (const t of tests) if (!someItem(value, t)) return false;
    return true;
  };
  const explain = (value: unknown, at: string): Mismatch | undefined => {
    if (test(value)) return undefined;
    if (!comparable(value)) return { path: at, expected: `values of the same kinds as ${describe(pattern)}`, actual: value };
    if (!Array.isArray(value)) return { path: at, expected: `one of ${describe(pattern)}`, actual: value };
    const missing = tests.findIndex((t) => !someItem(value, t));
    return { path: at, expected: `some item to satisfy ${describe(pattern[missing])}`, actual: value };
  };
  return { expected, test, explain };
}

/** What a nested object pattern can be matched against: a record, not an array or a Date. */
function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

/**
 * A nested object: a partial match over the keys the pattern names. Only own properties of the
 * value count, so `constructor`, `toString` or `__proto__` are never found through a prototype.
 */
export function objectPattern(pattern: object, path: string, build: Build): Node {
  if (Object.getOwnPropertySymbols(pattern).length > 0) {
    throw new PatternError(path, 'symbol keys are not allowed in an object pattern');
  }
  const keys = Object.keys(pattern);
  const nodes = keys.map((key) => build((pattern as Record<string, unknown>)[key], childPath(path, key)));
  const tests = nodes.map((n) => n.test);
  const count = keys.length;
  const test = (value: unknown): boolean => {
    if (!isRecord(value)) return false;
    for (let i = 0; i < count; i++) {
      const key = keys[i] as string;
      if (!Object.hasOwn(value, key) || !(tests[i] as Test)(value[key])) return false;
    }
    return true;
  };
  const expected = describe(pattern);
  const explain = (value: unknown, at: string): Mismatch | undefined => {
    if (!isRecord(value)) return { path: at, expected: `an object like ${expected}`, actual: value };
    for (let i = 0; i < count; i++) {
      const key = keys[i] as string;
      const node = nodes[i] as Node;
      const where = childPath(at, key);
      if (!Object.hasOwn(value, key)) return { path: where, expected: `present and ${node.expected}`, actual: undefined };
      const miss = node.explain(value[key], where);
      if (miss !== undefined) return miss;
    }
    return undefined;
  };
  return { expected, test, explain };
}
