import { expect } from 'chai';
import {
  and, and_, any, any_, empty, eq, gt, gte, lt, lte, match, not, not_, oneOf, one_of, or, or_,
} from '../../src/match/dsl.js';
import { compilePattern, matches } from '../../src/match/compile.js';
import { PatternFunction } from '../../src/match/pattern.js';

describe('pattern functions', () => {
  it('the protocol spellings are the same function objects', () => {
    expect(one_of).to.equal(oneOf);
    expect(not_).to.equal(not);
    expect(and_).to.equal(and);
    expect(or_).to.equal(or);
    expect(any_).to.equal(any);
  });

  it('each function builds a frozen PatternFunction with its operator and arguments', () => {
    const fn = gt(5);
    expect(fn).to.be.instanceOf(PatternFunction);
    expect(fn.operator).to.equal('gt');
    expect(fn.args).to.deep.equal([5]);
    expect(Object.isFrozen(fn)).to.equal(true);
    expect(and(1, 2, 3).args).to.deep.equal([1, 2, 3]);
    expect(any().args).to.deep.equal([]);
  });

  it('and(gt(5), not(gt(10))) matches 7, not 2 or 13', () => {
    const quantity = compilePattern(and(gt(5), not(gt(10))));
    expect(quantity(7)).to.equal(true);
    expect(quantity(2)).to.equal(false);
    expect(quantity(13)).to.equal(false);
    expect(quantity(10)).to.equal(true);
    expect(quantity('7')).to.equal(true);
  });

  it('eq is the same as the bare value', () => {
    for (const [pattern, value, expected] of [
      ['foo', 'foo', true], [42, '42', true], [42, 42.0, true], [null, null, true], [true, 1, false],
      [{ a: 1 }, { a: 1, b: 2 }, true], [[1, 2], [2, 1, 1], true], ['42', 42, false],
    ] as const) {
      expect(matches(value, eq(pattern)), `eq(${String(pattern)}) vs ${String(value)}`).to.equal(expected);
      expect(matches(value, pattern)).to.equal(expected);
    }
  });

  it('gt, gte, lt and lte order numbers, numeric strings and bigints', () => {
    expect(matches(6, gt(5))).to.equal(true);
    expect(matches(5, gt(5))).to.equal(false);
    expect(matches(5, gte(5))).to.equal(true);
    expect(matches('4.5', lt(5))).to.equal(true);
    expect(matches(5n, lte(5))).to.equal(true);
    expect(matches(6, gt('5.5'))).to.equal(true);
    expect(matches(-1, lt(0n))).to.equal(true);
  });

  it('ordering functions never match values of another kind', () => {
    for (const value of [null, undefined, true, 'abc', '', [6], { n: 6 }, new Date(6), Number.NaN, Symbol('x')]) {
      expect(matches(value, gt(5)), String(value?.toString())).to.equal(false);
      expect(matches(value, lte(5))).to.equal(false);
    }
  });

  it('oneOf: the value satisfies one of its patterns', () => {
    const channel = compilePattern(oneOf('email', 'sms', match('push:')));
    expect(channel('sms')).to.equal(true);
    expect(channel('push:ios')).to.equal(true);
    expect(channel('fax')).to.equal(false);
    expect(channel(['sms'])).to.equal(false);
    expect(matches(3, oneOf(1, 2))).to.equal(false);
    expect(matches([2, 1], oneOf([1, 2], [3]))).to.equal(true);
  });

  it('or: at least one holds; and: all hold', () => {
    const outside = compilePattern(or(lt(0), gt(100)));
    expect([-1, 50, 101].map(outside)).to.deep.equal([true, false, true]);
    const inside = compilePattern(and(gte(0), lte(100), not(50)));
    expect([-1, 0, 50, 100, 101].map(inside)).to.deep.equal([false, true, false, true, false]);
  });

  it('not negates, so not(array) means "none of these"', () => {
    const username = compilePattern(not(['test', 'synthetic']));
    expect(username('alice')).to.equal(true);
    expect(username('test')).to.equal(false);
    expect(username('synthetic')).to.equal(false);
    expect(matches('x', not(not('x')))).to.equal(true);
  });

  it('any matches every present value, not undefined', () => {
    for (const value of [null, 0, '', false, [], {}, 'x', new Date()]) expect(matches(value, any())).to.equal(true);
    expect(matches(undefined, any())).to.equal(false);
  });

  it("empty matches null, '', [] and {} only", () => {
    for (const value of [null, '', [], {}, Object.create(null)]) expect(matches(value, empty()), JSON.stringify(value)).to.equal(true);
    for (const value of [undefined, 0, false, ' ', [null], { a: undefined }, new Date(0), 'x']) {
      expect(matches(value, empty()), String(value)).to.equal(false);
    }
    expect(matches('x', not(empty()))).to.equal(true);
  });

  it('functions nest inside objects, arrays and each other', () => {
    const pattern = { user: { id: gt(0), roles: match([oneOf('admin', 'owner')]) }, tags: not(empty()) };
    expect(matches({ user: { id: 7, roles: ['viewer', 'owner'] }, tags: ['x'] }, pattern)).to.equal(true);
    expect(matches({ user: { id: 7, roles: ['viewer'] }, tags: ['x'] }, pattern)).to.equal(false);
    expect(matches({ user: { id: 7, roles: ['owner'] }, tags: [] }, pattern)).to.equal(false);
  });
});
