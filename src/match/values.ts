/**
 * Ordering and equality of scalar operands, prepared once per pattern. A comparator answers
 * -1, 0 or 1 for a comparable value and undefined for a value of another kind (a non-match).
 */
import { compareDecimal, decimalOfBigint, decimalOfNumber, parseDecimal, type Decimal } from './decimal.js';
import { compareInstant, instantOfDate, parseInstant, type Instant } from './instant.js';

export type Comparator = (value: unknown) => number | undefined;

function compareNumbers(a: number, b: number): number | undefined {
  return a > b ? 1 : a < b ? -1 : a === b ? 0 : undefined;
}

// A number value against an exact decimal: infinities order, NaN compares with nothing.
function numberAgainst(value: number, d: Decimal): number | undefined {
  if (Number.isNaN(value)) return undefined;
  if (!Number.isFinite(value)) return value > 0 ? 1 : -1;
  return compareDecimal(decimalOfNumber(value), d);
}

/** Compares numbers natively and numeric strings or bigints exactly against `n`'s decimal form. */
export function numberComparator(n: number): Comparator {
  const d = decimalOfNumber(n);
  return (value) => {
    if (typeof value === 'number') return compareNumbers(value, n);
    if (typeof value === 'string') {
      const v = parseDecimal(value);
      return v === undefined ? undefined : compareDecimal(v, d);
    }
    if (typeof value === 'bigint') return compareDecimal(decimalOfBigint(value), d);
    return undefined;
  };
}

/** An exact operand (a bigint, or a numeric string pattern) against numbers, bigints, numeric strings. */
export function decimalComparator(d: Decimal, exact?: bigint): Comparator {
  return (value) => {
    if (typeof value === 'bigint') {
      if (exact !== undefined) return value > exact ? 1 : value < exact ? -1 : 0;
      return compareDecimal(decimalOfBigint(value), d);
    }
    if (typeof value === 'number') return numberAgainst(value, d);
    if (typeof value === 'string') {
      const v = parseDecimal(value);
      return v === undefined ? undefined : compareDecimal(v, d);
    }
    return undefined;
  };
}

/** A Date operand against Dates and ISO-8601 strings, as instants. */
export function instantComparator(at: Instant): Comparator {
  return (value) => {
    let v: Instant | undefined;
    if (value instanceof Date) v = instantOfDate(value);
    else if (typeof value === 'string') v = parseInstant(value);
    return v === undefined ? undefined : compareInstant(v, at);
  };
}
