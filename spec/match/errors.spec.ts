import { expect } from 'chai';
import { and, any, empty, eq, gt, gte, lt, lte, match, not, oneOf, or } from '../../src/match/dsl.js';
import { compile, compilePattern, MAX_PATTERN_DEPTH } from '../../src/match/compile.js';
import { PatternError } from '../../src/match/errors.js';
import { PatternFunction, type Pattern } from '../../src/match/pattern.js';
import { SqsMegaError } from '../../src/protocol/errors.js';

// Malformed patterns written the way an untyped (JavaScript) caller could write them.
const loose = <T>(value: unknown): T => value as T;
const untyped = (fn: unknown, ...args: unknown[]): PatternFunction => (fn as (...a: unknown[]) => PatternFunction)(...args);

function error(pattern: unknown, path = 'attributes.quantity'): PatternError {
  try {
    compile(pattern, path);
  } catch (e) {
    expect(e).to.be.instanceOf(PatternError);
    return e as PatternError;
  }
  throw new Error('compile did not throw');
}

describe('registration-time errors', () => {
  it('PatternError is an SqsMegaError carrying the path', () => {
    const e = error(gt(loose({})));
    expect(e).to.be.instanceOf(SqsMegaError);
    expect(e.name).to.equal('PatternError');
    expect(e.path).to.equal('attributes.quantity');
    expect(e.message).to.equal('attributes.quantity: gt() needs a number, numeric string, bigint or Date, got object');
  });

  it('ordering functions need a comparable operand', () => {
    expect(error(gte(loose('abc'))).message).to.match(/gte\(\) needs .* got the string "abc"/);
    expect(error(lt(loose(null))).message).to.match(/lt\(\) needs .* got null/);
    expect(error(lte(loose([1]))).message).to.match(/got array/);
    expect(error(gt(Number.NaN)).message).to.match(/got NaN/);
    expect(error(gt(Number.POSITIVE_INFINITY)).message).to.match(/got Infinity/);
    expect(error(gt(new Date('nope'))).message).to.match(/invalid Date/);
    expect(error(gt(loose(true))).message).to.match(/got boolean/);
  });

  it('match needs a string, RegExp or non-empty array', () => {
    expect(error(match(loose(42))).message).to.equal('attributes.quantity: match() needs a string, RegExp or array, got number');
    expect(error(match(loose({}))).message).to.match(/got object/);
    expect(error(match([])).message).to.match(/at least one item/);
  });

  it('arities: and/or two or more, not one, oneOf at least one, any/empty none, eq one', () => {
    expect(error(untyped(and, 1)).message).to.equal('attributes.quantity: and() takes 2 or more arguments, got 1');
    expect(error(untyped(or)).message).to.match(/or\(\) takes 2 or more arguments, got 0/);
    expect(error(untyped(not)).message).to.match(/not\(\) takes exactly 1 argument, got 0/);
    expect(error(untyped(not, 1, 2)).message).to.match(/got 2/);
    expect(error(untyped(oneOf)).message).to.match(/oneOf\(\) takes 1 or more arguments, got 0/);
    expect(error(untyped(any, 1)).message).to.match(/any\(\) takes exactly no arguments, got 1/);
    expect(error(untyped(empty, 1)).message).to.match(/empty\(\)/);
    expect(error(untyped(eq, 1, 2)).message).to.match(/eq\(\) takes exactly 1 argument, got 2/);
  });

  it('the path leads to the offending part of a nested pattern', () => {
    expect(error({ user: { id: gt(loose({})) } }, 'objectCurrent').path).to.equal('objectCurrent.user.id');
    expect(error({ tags: match(['a', gt(loose('x'))]) }, 'data').path).to.equal('data.tags[1]');
    expect(error(and(gt(1), { a: match(loose(1)) }), '').message).to.match(/^a: match\(\)/);
    expect(error(gt(loose({})), '').message).to.match(/^\(pattern\): gt\(\)/);
  });

  it('unknown types are rejected: symbols, undefined, class instances, Maps, unknown operators', () => {
    class Money {
      amount = 5;
    }
    expect(error({ a: Symbol('s') }, '').message).to.match(/^a: a symbol is not a pattern/);
    expect(error({ a: undefined }, '').message).to.match(/^a: undefined is not a pattern/);
    expect(error({ a: new Money() }, '').message).to.match(/^a: unsupported pattern type Money/);
    expect(error(new Map(), 'x').message).to.match(/unsupported pattern type Map/);
    expect(error({ [Symbol('k')]: 1 }, 'x').message).to.match(/symbol keys/);
    expect(error(new PatternFunction(loose('between'), [1, 2]), 'x').message).to.match(/unknown pattern function "between"/);
  });

  it('rejects cyclic patterns and patterns nested too deep, but accepts shared sub-patterns', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = { again: cyclic };
    expect(error(cyclic, 'data').message).to.equal('data.self.again: the pattern is cyclic (it contains itself)');
    const list: unknown[] = [1];
    list.push(list);
    expect(error(list, 'tags').message).to.match(/cyclic/);

    let deep: Pattern = 1;
    for (let i = 0; i < MAX_PATTERN_DEPTH + 1; i++) deep = { n: deep };
    expect(error(deep, '').message).to.match(/nested deeper than 32 levels/);
    let ok: Pattern = 1;
    for (let i = 0; i < MAX_PATTERN_DEPTH - 1; i++) ok = { n: ok };
    expect(() => compilePattern(ok)).to.not.throw();

    const shared = { id: gt(0) };
    expect(compilePattern({ a: shared, b: shared })({ a: { id: 1 }, b: { id: 2 } })).to.equal(true);
  });

  it('matching itself never throws, whatever the value', () => {
    const compiled = compilePattern({ a: gt(1), b: match('x'), c: [1, 2], d: { e: empty() } });
    for (const value of [undefined, null, 1, 'x', Symbol('s'), () => 1, [], new Proxy({}, { get: () => { throw new Error('x'); } })]) {
      expect(compiled(value)).to.equal(false);
    }
  });
});
