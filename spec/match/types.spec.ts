/**
 * Type-level tests of the DSL signatures: `tsc` (npm run typecheck) fails if a line marked
 * @ts-expect-error becomes valid or a typed assignment stops compiling. The runtime half checks
 * that what the typed calls build is what they say.
 */
import { expect } from 'chai';
import {
  and, and_, any, any_, empty, eq, gt, gte, lt, lte, match, not, not_, oneOf, one_of, or, or_, type Comparable,
} from '../../src/match/dsl.js';
import { compile, compilePattern, matches, type CompiledPattern, type Mismatch } from '../../src/match/compile.js';
import { PatternFunction, type Pattern, type Predicate } from '../../src/match/pattern.js';

function typedCalls(): PatternFunction[] {
  const built: PatternFunction[] = [
    gt(5), gte(5n), lt(new Date()), lte('5.5'), eq('x'), eq({ a: [1, gt(2)] }), eq(null),
    match('re'), match(/re/i), match(['a', gt(1), { b: 2 }]),
    oneOf(1), oneOf('a', 'b', match('c')), not(empty()), and(1, 2), or(1, 2, 3), any(), empty(),
  ];
  // @ts-expect-error gt needs a number, bigint, Date or numeric string
  built.push(gt({}));
  // @ts-expect-error not a numeric string
  built.push(gt('abc'));
  // @ts-expect-error null is not comparable
  built.push(lte(null));
  // @ts-expect-error match needs a string, RegExp or array
  built.push(match(42));
  // @ts-expect-error and takes two or more
  built.push(and(1));
  // @ts-expect-error or takes two or more
  built.push(or());
  // @ts-expect-error not takes exactly one
  built.push(not());
  // @ts-expect-error not takes exactly one
  built.push(not(1, 2));
  // @ts-expect-error oneOf takes at least one
  built.push(oneOf());
  // @ts-expect-error any takes none
  built.push(any(1));
  // @ts-expect-error undefined is not a pattern
  built.push(eq(undefined));
  // @ts-expect-error symbols are not patterns
  built.push(eq(Symbol('s')));
  return built;
}

describe('DSL types', () => {
  it('typed calls build the pattern functions they name', () => {
    const built = typedCalls();
    expect(built.every((f) => f instanceof PatternFunction)).to.equal(true);
    expect(built.slice(0, 4).map((f) => f.operator)).to.deep.equal(['gt', 'gte', 'lt', 'lte']);
  });

  it('aliases have the same types as the functions', () => {
    const aliases: [typeof oneOf, typeof not, typeof and, typeof or, typeof any] = [one_of, not_, and_, or_, any_];
    expect(aliases).to.deep.equal([oneOf, not, and, or, any]);
  });

  it('patterns, predicates and compiled results are typed without any', () => {
    const comparable: Comparable[] = [1, 2n, new Date(0), '3.5'];
    const pattern: Pattern = { a: 1, b: [gt(1), 'x'], c: { d: /x/, e: (v) => v === 1 }, f: null, g: new Date(0) };
    const predicate: Predicate = (value) => {
      // @ts-expect-error the value is unknown, not any: it must be narrowed before use
      value.toUpperCase();
      return typeof value === 'string';
    };
    const compiled: CompiledPattern = compile(pattern, 'data');
    const test: (value: unknown) => boolean = compilePattern(pattern);
    const miss: Mismatch | undefined = compiled.explain({ a: 2 });
    const verdict: boolean = matches({ a: 1 }, predicate);
    // @ts-expect-error a class instance is not a pattern
    const wrong: Pattern = new Map();
    expect([comparable.length, test({ a: 1 }), miss?.path, verdict, wrong instanceof Map]).to.deep.equal([4, false, 'data.a', false, true]);
  });
});
