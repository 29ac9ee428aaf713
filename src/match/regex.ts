/** Regular-expression patterns: compiled once, checked for length and catastrophic backtracking. */
import { PatternError } from './errors.js';
import { backtrackingRisk } from './regex-safety.js';

/** Longer sources are refused: a subscription pattern has no business being this long. */
export const MAX_REGEX_SOURCE = 1000;

function check(source: string, flags: string, path: string, shown: string): void {
  if (source.length > MAX_REGEX_SOURCE) {
    throw new PatternError(path, `${shown}: the expression is ${source.length} characters long, more than ${MAX_REGEX_SOURCE}`);
  }
  const risk = backtrackingRisk(source, flags);
  if (risk !== undefined) {
    throw new PatternError(
      path,
      `${shown} risks catastrophic backtracking (${risk}); rewrite it without nested or overlapping quantifiers, or use a predicate function`,
    );
  }
}

/**
 * `match('re')`: anchored at the start only, like Python's `re.match`. No flags, so the syntax is
 * the familiar one (`\:` and friends are allowed); pass a RegExp for flags such as `i` or `u`.
 */
export function compileAnchored(source: string, path: string): (value: unknown) => boolean {
  const shown = `match(${JSON.stringify(source)})`;
  let re: RegExp;
  try {
    re = new RegExp(`^(?:${source})`);
  } catch (error) {
    throw new PatternError(path, `${shown} is not a valid regular expression: ${(error as Error).message}`, { cause: error });
  }
  check(source, '', path, shown);
  return (value) => typeof value === 'string' && re.test(value);
}

/** `match(/re/)` or a bare RegExp: used as given, except that `g` is dropped (it makes `test` stateful). */
export function compileRegExp(given: RegExp, path: string): (value: unknown) => boolean {
  const shown = String(given);
  check(given.source, given.flags, path, shown);
  const re = new RegExp(given.source, given.flags.replace('g', ''));
  if (!re.sticky) return (value) => typeof value === 'string' && re.test(value);
  return (value) => {
    if (typeof value !== 'string') return false;
    re.lastIndex = 0;
    return re.test(value);
  };
}
