/**
 * Exact decimal numbers for comparing number patterns with numeric strings: `"5.01"` is compared
 * digit by digit, never through a float, so long or big decimal strings keep their precision.
 * A value is `0.digits x 10^exp` with a sign; zero has no digits.
 */
export interface Decimal {
  readonly negative: boolean;
  /** Significant digits, no leading or trailing zeros; '' for zero. */
  readonly digits: string;
  readonly exp: number;
}

// Plain decimal notation only (no hex, no '_', no whitespace, no Infinity); the exponent is
// bounded so that it stays an exact JS integer.
const NUMERIC = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d{1,15}))?$/;

/** Parses a decimal numeric string; undefined when it is not one. */
export function parseDecimal(text: string): Decimal | undefined {
  const m = NUMERIC.exec(text);
  if (m === null) return undefined;
  const int = m[2] ?? '';
  const frac = m[3] ?? '';
  if (int === '' && frac === '') return undefined;
  let all = int + frac;
  let exp = int.length + (m[4] === undefined ? 0 : Number(m[4]));
  let start = 0;
  while (start < all.length && all.charCodeAt(start) === 48) start++;
  let end = all.length;
  while (end > start && all.charCodeAt(end - 1) === 48) end--;
  exp -= start;
  all = all.slice(start, end);
  if (all === '') return { negative: false, digits: '', exp: 0 };
  return { negative: m[1] === '-', digits: all, exp };
}

/** The decimal a finite number prints as (its shortest round-trip form, as `String(n)` gives). */
export function decimalOfNumber(n: number): Decimal {
  const d = parseDecimal(String(n));
  if (d === undefined) throw new RangeError(`not a finite number: ${n}`);
  return d;
}

export function decimalOfBigint(n: bigint): Decimal {
  return parseDecimal(n.toString()) as Decimal;
}

function sign(d: Decimal): number {
  return d.digits === '' ? 0 : d.negative ? -1 : 1;
}

/** -1, 0 or 1 as `a` is less than, equal to or greater than `b`. */
export function compareDecimal(a: Decimal, b: Decimal): number {
  const sa = sign(a);
  const sb = sign(b);
  if (sa !== sb) return sa < sb ? -1 : 1;
  if (sa === 0) return 0;
  let magnitude: number;
  if (a.exp !== b.exp) magnitude = a.exp > b.exp ? 1 : -1;
  else magnitude = a.digits === b.digits ? 0 : a.digits > b.digits ? 1 : -1;
  return sa > 0 ? magnitude : -magnitude;
}
