import { expect } from 'chai';
import { eq, gte, lt, match, not, oneOf } from '../../src/match/dsl.js';
import { compile, matches } from '../../src/match/compile.js';

describe('arrays and collections', () => {
  describe('a bare array or eq([...])', () => {
    it('against an array: the same set of items in any order, duplicates ignored', () => {
      expect(matches([3, 1, 2], [1, 2, 3])).to.equal(true);
      expect(matches(['a', 'b', 'b', 'c'], eq(['c', 'b', 'a']))).to.equal(true);
      expect(matches(['999', '998', '997'], [997, 998, 999])).to.equal(true);
      expect(matches([1, 2], [1, 2, 3])).to.equal(false);
      expect(matches([1, 2, 3, 4], [1, 2, 3])).to.equal(false);
      expect(matches([], [])).to.equal(true);
      expect(matches(['x'], [])).to.equal(false);
    });

    it('against a scalar: one of the items', () => {
      expect(matches('sms', ['email', 'sms'])).to.equal(true);
      expect(matches('fax', ['email', 'sms'])).to.equal(false);
      expect(matches('alice', not(['test', 'synthetic']))).to.equal(true);
      expect(matches(null, [1, 2])).to.equal(false);
    });

    it('items may be patterns and nested arrays', () => {
      expect(matches([5, 7], [gte(6), 5])).to.equal(true);
      expect(matches([[2, 1], [3]], [[1, 2], [3]])).to.equal(true);
      expect(matches([{ id: 1, n: 'a' }, { id: 2 }], [{ id: 2 }, { id: 1 }])).to.equal(true);
    });
  });

  describe('match([...])', () => {
    it('against an array: every pattern item is satisfied by some item', () => {
      expect(matches([1, 2, 3, 4, 5], match([3, 4, gte(5)]))).to.equal(true);
      expect(matches(['bar', 'foo', 'barz'], match(['foo', 'bar']))).to.equal(true);
      expect(matches(['bar', 'foo'], match(['foo', 'baz']))).to.equal(false);
      expect(matches([], match(['foo']))).to.equal(false);
    });

    it('against a scalar: the value satisfies one of the items', () => {
      expect(matches(1, match([1, 2, 3]))).to.equal(true);
      expect(matches('bar', match(['foo', match('[Bb]ar.*')]))).to.equal(true);
      expect(matches(42, match([1, 2, 3]))).to.equal(false);
    });

    it('bare strings in the list are values, not regular expressions', () => {
      expect(matches(['foo.bar'], match(['foo.bar']))).to.equal(true);
      expect(matches(['fooXbar'], match(['foo.bar']))).to.equal(false);
    });
  });

  describe('collections are typed', () => {
    it('a scalar of another kind than a literal item never matches, whatever the order', () => {
      expect(matches(5, oneOf('a', eq(5), 'b'))).to.equal(false);
      expect(matches(5, oneOf(eq(5), 'a'))).to.equal(false);
      expect(matches(5, match(['a', 5]))).to.equal(false);
      expect(matches(5, ['a', 5])).to.equal(false);
      // a collection mixing kinds only matches values comparable with all of them
      expect(matches('a', oneOf('a', 5))).to.equal(false);
      expect(matches('5', oneOf('5', 5))).to.equal(true);
      expect(matches([5, 'x'], [gte(5), 'x'])).to.equal(false);
    });

    it('an array value mixing kinds never matches a collection of one kind', () => {
      expect(matches(['Raphael', 42, 'Leonardo'], match(['Leonardo']))).to.equal(false);
      expect(matches([1, 'a', 3], match(['a', lt(5)]))).to.equal(false);
      expect(matches(['Raphael', 'Leonardo'], match(['Leonardo']))).to.equal(true);
      // each item needs only fit one of the kinds, so a mixed array equals itself
      expect(matches([1, 'a'], [1, 'a'])).to.equal(true);
      expect(matches(['a', 1], match([1]))).to.equal(false);
    });

    it('numeric strings are comparable with numbers, ISO strings with Dates; objects and null are not checked', () => {
      expect(matches(['1', 2], [1, 2])).to.equal(true);
      expect(matches('2020-01-01', oneOf(new Date('2020-01-01'), new Date('2021-01-01')))).to.equal(true);
      expect(matches({ id: 1 }, oneOf({ id: 1 }, 'x'))).to.equal(true);
      expect(matches([null, 'a'], match(['a']))).to.equal(true);
      expect(matches(true, oneOf(1, 2))).to.equal(false);
    });

    it('explain names the kind problem', () => {
      expect(compile(oneOf('a', 'b')).explain(5)).to.deep.equal({ path: '', expected: 'oneOf("a", "b")', actual: 5 });
      expect(compile(match(['a']), 'tags').explain(['a', 1])?.expected).to.match(/same kinds/);
    });
  });

  it('an array value never matches a oneOf of scalars', () => {
    expect(matches(['foo'], oneOf('foo', 'bar'))).to.equal(false);
    expect(matches([1, 2, 3], oneOf(1, 2, 3, 4))).to.equal(false);
  });
});
