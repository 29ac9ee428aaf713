/**
 * Subscribers often repeat the same patterns (`domain = 'shop'`, `version = oneOf(1, 2)`, the same
 * attribute conditions). Identical pure-data patterns on the same field share one compiled rule:
 * less memory per subscriber, and with thousands of subscribers far fewer distinct objects for a
 * dispatch to pull into the CPU cache. Patterns holding functions are never shared (a predicate
 * may close over anything).
 */
import { PatternFunction } from '../match/pattern.js';

const MAX_ENTRIES = 50_000;
const MAX_DEPTH = 33; // one past the compiler's limit: deeper (or cyclic) patterns are not keyed

/** A key that is equal for two patterns exactly when they are the same pure data; undefined otherwise. */
export function patternKey(pattern: unknown, depth = 0): string | undefined {
  if (depth > MAX_DEPTH) return undefined;
  switch (typeof pattern) {
    case 'string':
      return JSON.stringify(pattern);
    case 'number':
      return Object.is(pattern, -0) ? '-0' : String(pattern);
    case 'bigint':
      return `${pattern}n`;
    case 'boolean':
      return String(pattern);
    case 'object':
      break;
    default:
      return undefined;
  }
  if (pattern === null) return 'null';
  if (pattern instanceof Date) return `Date(${pattern.getTime()})`;
  if (pattern instanceof RegExp) return `RegExp(${JSON.stringify(pattern.source)},${pattern.flags})`;
  const parts: string[] = [];
  const items = pattern instanceof PatternFunction ? pattern.args : Array.isArray(pattern) ? pattern : undefined;
  if (items !== undefined) {
    for (const item of items) {
      const k = patternKey(item, depth + 1);
      if (k === undefined) return undefined;
      parts.push(k);
    }
    return pattern instanceof PatternFunction ? `${pattern.operator}(${parts.join(',')})` : `[${parts.join(',')}]`;
  }
  const proto: unknown = Object.getPrototypeOf(pattern);
  // Symbol keys are not keyed, so such a pattern is compiled (and refused) on its own.
  if ((proto !== Object.prototype && proto !== null) || Object.getOwnPropertySymbols(pattern).length > 0) return undefined;
  for (const key of Object.keys(pattern)) {
    const k = patternKey((pattern as Record<string, unknown>)[key], depth + 1);
    if (k === undefined) return undefined;
    parts.push(`${JSON.stringify(key)}:${k}`);
  }
  return `{${parts.join(',')}}`;
}

/** Memoises `make()` under `(scope, pattern)` when the pattern is pure data. */
export class RuleCache<R> {
  readonly #rules = new Map<string, R>();

  get(scope: string, pattern: unknown, make: () => R): R {
    const key = patternKey(pattern);
    if (key === undefined) return make();
    const full = `${scope}\u0000${key}`;
    let rule = this.#rules.get(full);
    if (rule === undefined) {
      rule = make();
      if (this.#rules.size < MAX_ENTRIES) this.#rules.set(full, rule);
    }
    return rule;
  }
}
