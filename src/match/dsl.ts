/**
 * The pattern DSL. Each function only records its operator and operands (exactly as called, so
 * that a JavaScript caller's wrong arity is reported) in a frozen `PatternFunction`; checking and compiling happen once, in `compile`, so that a malformed pattern
 * is reported with the path of the field it was written for.
 */
import { PatternFunction, type Pattern } from './pattern.js';

/**
 * An operand of the ordering functions: a number, a bigint, a decimal numeric string such as
 * `'5.01'`, or a `Date` (compared as an instant with Dates and ISO-8601 strings).
 */
export type Comparable = number | bigint | Date | `${number}`;

/**
 * Equality. Same as writing `value` bare: scalars compare by value (numbers also with numeric
 * strings, Dates also with ISO-8601 strings), objects match partially, arrays as sets.
 * @example eq(42) // matches 42, 42.0 and "42"
 */
export function eq(value: Pattern): PatternFunction;
export function eq(...args: unknown[]): PatternFunction {
  return new PatternFunction('eq', args);
}

/**
 * Greater than `value` (numbers, bigints and numeric strings exactly in decimal; Dates as instants).
 * @example gt(5.009) // matches "5.01" and 6, not 5.009
 */
export function gt(value: Comparable): PatternFunction;
export function gt(...args: unknown[]): PatternFunction {
  return new PatternFunction('gt', args);
}

/** Greater than or equal to `value`. @example gte(new Date('2020-01-01')) */
export function gte(value: Comparable): PatternFunction;
export function gte(...args: unknown[]): PatternFunction {
  return new PatternFunction('gte', args);
}

/** Less than `value`. @example lt(10n) */
export function lt(value: Comparable): PatternFunction;
export function lt(...args: unknown[]): PatternFunction {
  return new PatternFunction('lt', args);
}

/** Less than or equal to `value`. @example lte('99.99') */
export function lte(value: Comparable): PatternFunction;
export function lte(...args: unknown[]): PatternFunction {
  return new PatternFunction('lte', args);
}

/**
 * A regular expression, or a collection match.
 * - a string is a regular expression anchored at the start only: `match('Wayne')` matches
 *   `"Wayne Enterprises"`, not `"Bruce Wayne"`;
 * - a `RegExp` is used as given (its `g` flag is ignored);
 * - an array, against an array value, needs every item to be satisfied by some item of the value;
 *   against any other value, the value must satisfy one of the items.
 *
 * Expressions at risk of catastrophic backtracking (nested or overlapping quantifiers) are
 * rejected when compiled.
 * @example match('user:notification:(.*)')
 * @example match(['bar', match('bar[zZ]')])
 */
export function match(pattern: string | RegExp | readonly Pattern[]): PatternFunction;
export function match(...args: unknown[]): PatternFunction {
  return new PatternFunction('match', args);
}

/**
 * The value satisfies at least one of the patterns.
 * @example oneOf('email', 'sms', 'push')
 */
export function oneOf(first: Pattern, ...rest: Pattern[]): PatternFunction;
export function oneOf(...args: unknown[]): PatternFunction {
  return new PatternFunction('oneOf', args);
}

/**
 * The value does not satisfy `pattern`. A key that is absent from the value still fails its
 * object pattern (use `not(any())` only on top-level fields).
 * @example not(['test', 'synthetic']) // neither value
 */
export function not(pattern: Pattern): PatternFunction;
export function not(...args: unknown[]): PatternFunction {
  return new PatternFunction('not', args);
}

/**
 * Every pattern holds (two or more).
 * @example and(gt(5), not(gt(10))) // matches 7, not 2 or 13
 */
export function and(first: Pattern, second: Pattern, ...rest: Pattern[]): PatternFunction;
export function and(...args: unknown[]): PatternFunction {
  return new PatternFunction('and', args);
}

/**
 * At least one pattern holds (two or more).
 * @example or(lt(0), gt(100))
 */
export function or(first: Pattern, second: Pattern, ...rest: Pattern[]): PatternFunction;
export function or(...args: unknown[]): PatternFunction {
  return new PatternFunction('or', args);
}

/** Any present value: everything but `undefined`. @example any() */
export function any(): PatternFunction;
export function any(...args: unknown[]): PatternFunction {
  return new PatternFunction('any', args);
}

/** `null`, `''`, `[]` or `{}`. @example not(empty()) */
export function empty(): PatternFunction;
export function empty(...args: unknown[]): PatternFunction {
  return new PatternFunction('empty', args);
}

/** The protocol's spelling of {@link oneOf}. */
export const one_of = oneOf;
/** The protocol's spelling of {@link not}. */
export const not_ = not;
/** The protocol's spelling of {@link and}. */
export const and_ = and;
/** The protocol's spelling of {@link or}. */
export const or_ = or;
/** The protocol's spelling of {@link any}. */
export const any_ = any;
