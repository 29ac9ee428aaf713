/** The compiled form of a pattern: a tree of closures, each able to test a value and explain a miss. */

/** Why a value does not match: the first failing path, what was expected there, what was found. */
export interface Mismatch {
  path: string;
  expected: string;
  actual: unknown;
}

export interface Node {
  /** What the node expects, for `explain`. */
  readonly expected: string;
  readonly test: (value: unknown) => boolean;
  readonly explain: (value: unknown, path: string) => Mismatch | undefined;
}

/** Compiles a sub-pattern found at `path` (the builder threads depth and cycle checks through). */
export type Build = (pattern: unknown, path: string) => Node;

/** A node whose explanation is simply "expected this, got that" at its own path. */
export function leaf(expected: string, test: (value: unknown) => boolean): Node {
  return {
    expected,
    test,
    explain: (value, path) => (test(value) ? undefined : { path, expected, actual: value }),
  };
}
