/**
 * Collections are typed, as in the Python implementation: a collection pattern (`oneOf`,
 * `match([...])`, a bare array) does not match a scalar that cannot be compared with one of its
 * literal items, e.g. `5` against `oneOf('a', 5)`, or an array value mixing `42` into strings
 * against `match(['Leonardo', ...])`. Only scalars are checked; objects, arrays and null are not.
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

function scalarComparable(value: unknown, kinds: ReadonlySet<Kind>): boolean {
  switch (typeof value) {
    case 'string':
      for (const kind of kinds) {
        if (kind === 'boolean') return false;
        if (kind === 'number' && parseDecimal(value) === undefined) return false;
        if (kind === 'date' && parseInstant(value) === undefined) return false;
      }
      return true;
    case 'number':
    case 'bigint':
      return kinds.size === 1 && kinds.has('number');
    case 'boolean':
      return kinds.size === 1 && kinds.has('boolean');
    default:
      return value instanceof Date ? kinds.size === 1 && kinds.has('date') : true;
  }
}

const always = (): boolean => true;

/** A check that the value (or each item of an array value) is comparable with every literal item. */
export function kindGuard(items: readonly unknown[], itemwise = true): (value: unknown) => boolean {
  const kinds = new Set<Kind>();
  for (const item of items) {
    const kind = literalKind(item);
    if (kind !== undefined) kinds.add(kind);
  }
  if (kinds.size === 0) return always;
  return (value) => {
    if (!Array.isArray(value)) return scalarComparable(value, kinds);
    if (!itemwise) return true;
    for (let i = 0; i < value.length; i++) if (!scalarComparable(value[i], kinds)) return false;
    return true;
  };
}
