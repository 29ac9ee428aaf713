/**
 * What a filter can say about one key, before it is written in SNS's syntax: the values (or kinds
 * of values) a present key may have. The derivation works on these, the writers turn them into
 * SNS policy values or Lambda filter values.
 */
export type Matcher =
  | { readonly t: 'eq'; readonly v: string | boolean }
  | { readonly t: 'prefix'; readonly v: string }
  | { readonly t: 'but'; readonly v: readonly string[] }
  | { readonly t: 'butNumber'; readonly v: readonly number[] }
  | { readonly t: 'range'; readonly lo?: number; readonly loIncl?: boolean; readonly hi?: number; readonly hiIncl?: boolean }
  | { readonly t: 'exists' }
  /** The key is absent (SNS `exists: false`); only ever alone in a key's list. */
  | { readonly t: 'absent' };

/** What the kind of value at a key is known to be. */
export type FieldKind = 'string' | 'number' | 'unknown';

/**
 * A pattern's image at one key: `matchers` lists what a present value may be (OR); `undefined`
 * means no constraint, `[]` that no present value matches. `exact` is false when the list lets
 * through values the pattern does not match; `why` then says why.
 */
export interface Derived {
  readonly matchers: readonly Matcher[] | undefined;
  readonly exact: boolean;
  readonly why?: string;
}

export const UNCONSTRAINED: Derived = { matchers: undefined, exact: true };
export const NOTHING: Derived = { matchers: [], exact: true };

export function widened(why: string): Derived {
  return { matchers: undefined, exact: false, why };
}

export function equality(n: number): Matcher {
  return { t: 'range', lo: n, loIncl: true, hi: n, hiIncl: true };
}

/** A stable text for a matcher list: to find equal conditions and drop duplicates. */
export function keyOf(matchers: readonly Matcher[]): string {
  return JSON.stringify([...new Set(matchers.map((m) => JSON.stringify(m)))].sort());
}

export function dedupe(matchers: readonly Matcher[]): Matcher[] {
  const seen = new Set<string>();
  return matchers.filter((m) => {
    const k = JSON.stringify(m);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
