/**
 * Collections are typed, as in the Python implementation, where comparing a value with a literal
 * item of another type is an error that fails the whole collection. The *kinds* of a collection
 * pattern (`oneOf`, `match([...])`, a bare array) are those of its literal items: strings, numbers
 * (numbers, bigints; numeric strings fit), booleans, Dates (ISO-8601 strings fit).
 * - a scalar value must fit every kind: `5` never matches `oneOf('a', eq(5))`;
 * - each scalar item of an array value must fit some kind: `['Raphael', 42]` never matches
 *   `match(['Raphael'])`, while `[1, 'a']` matches `[1, 'a']`.
 * Objects, arrays and null are not checked (they simply fail to equal a scalar).
 */
import { parseDecimal } from './decimal.js';
import { parseInstant } from './instant.js';
import { PatternFunction } from './pattern.js';

type Kind = 'string' | 'number' | 'boolean' | 'date';

/** The kind of a literal item (a bare scalar or `eq(scalar)`), or undefined for anything else. */
function literalKind(item: unknown): Kind | undefined {
  while (item instanceof PatternFunction && item.operator === 'eq' && item.args.length === 1) item = item.args[0];
  switch (typeof item) {
    case 'string':
      return 'string';
    case 'number':
    case 'bigint':
      return 'number';
    case 'boolean':
      return 'boolean';
    default:
      return item instanceof Date ? 'date' : undefined;
  }
}

/** Whether `value` fits `kind`; undefined when it is not a checked scalar. */
function fits(value: unknown, kind: Kind): boolean | undefined {
  switch (typeof value) {
    case 'string':
      if (kind === 'string') return true;
      if (kind === 'number') return parseDecimal(value) !== undefined;
      return kind === 'date' && parseInstant(value) !== undefined;
    case 'number':
    case 'bigint':
      return kind === 'number';
    case 'boolean':
      return kind === 'boolean';
    default:
      return value instanceof Date ? kind === 'date' : undefined;
  }
}

function fitsEvery(value: unknown, kinds: readonly Kind[]): boolean {
  for (const kind of kinds) if (fits(value, kind) === false) return false;
  return true;
}

function fitsSome(value: unknown, kinds: readonly Kind[]): boolean {
  for (const kind of kinds) if (fits(value, kind) !== false) return true;
  return false;
}

const always = (): boolean => true;

/**
 * The kind check of a collection pattern over `items`. With `itemwise` false (oneOf), an array
 * value is one candidate rather than a set of them, and is not checked.
 */
export function kindGuard(items: readonly unknown[], itemwise = true): (value: unknown) => boolean {
  const found = new Set<Kind>();
  for (const item of items) {
    const kind = literalKind(item);
    if (kind !== undefined) found.add(kind);
  }
  if (found.size === 0) return always;
  const kinds = [...found];
  return (value) => {
    if (!Array.isArray(value)) return fitsEvery(value, kinds);
    if (!itemwise) return true;
    for (let i = 0; i < value.length; i++) if (!fitsSome(value[i], kinds)) return false;
    return true;
  };
}
