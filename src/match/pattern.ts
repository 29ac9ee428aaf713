/**
 * The pattern model: what users write in subscribers. A pattern is a plain value (meaning `eq`),
 * a nested partial object, an array, a RegExp, a user predicate, or a `PatternFunction` built by
 * the DSL (`gt(5)`, `oneOf('a', 'b')`, ...). Patterns are inert data until `compilePattern` checks
 * and compiles them, once, at registration.
 */
export type PatternOperator =
  | 'eq'
  | 'gt'
  | 'gte'
  | 'lt'
  | 'lte'
  | 'match'
  | 'oneOf'
  | 'not'
  | 'and'
  | 'or'
  | 'any'
  | 'empty';

/** A user predicate over the left-hand side value. */
export type Predicate = (value: unknown) => boolean;

/** A node built by a DSL function; `args` are its operands as written. */
export class PatternFunction {
  constructor(
    readonly operator: PatternOperator,
    readonly args: readonly unknown[],
  ) {
    Object.freeze(this);
  }
}

export type Pattern =
  | null
  | string
  | number
  | bigint
  | boolean
  | Date
  | RegExp
  | PatternFunction
  | Predicate
  | readonly Pattern[]
  | { readonly [key: string]: Pattern };
