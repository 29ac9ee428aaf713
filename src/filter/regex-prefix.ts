/**
 * The literal text every match of a regular expression starts with, for SNS `prefix` matching.
 * Conservative: any doubt (alternation anywhere, flags that change matching, a class or group)
 * ends the prefix where the doubt starts; `exact` says the whole expression was that literal.
 */
const PLAIN = /[A-Za-z0-9 _\-:,/@#%&=<>'"!~`;]/;
const QUANTIFIER = /[?*{]/;

export interface LiteralPrefix {
  readonly prefix: string;
  readonly exact: boolean;
}

/** `source` must be anchored at the start (implicitly, as `match('...')` is, or by a leading `^`). */
export function literalPrefix(source: string): LiteralPrefix {
  if (source.includes('|')) return { prefix: '', exact: false };
  let prefix = '';
  let i = 0;
  while (i < source.length) {
    const c = source[i] as string;
    let literal: string | undefined;
    let width = 1;
    if (c === '\\') {
      const next = source[i + 1];
      // An escaped punctuation character is itself; `\d`, `\w`, `\1`... are not literals.
      if (next !== undefined && !/[A-Za-z0-9]/.test(next)) {
        literal = next;
        width = 2;
      }
    } else if (PLAIN.test(c)) literal = c;
    if (literal === undefined) return { prefix, exact: false };
    const after = source[i + width];
    if (after !== undefined && QUANTIFIER.test(after)) return { prefix, exact: false };
    prefix += literal;
    i += width;
    if (after === '+') return { prefix, exact: false };
  }
  return { prefix, exact: true };
}
