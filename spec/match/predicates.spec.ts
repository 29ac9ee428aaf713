import { expect } from 'chai';
import { and, match, not } from '../../src/match/dsl.js';
import { compile, matches } from '../../src/match/compile.js';
import { PatternError } from '../../src/match/errors.js';

describe('user predicates', () => {
  it('a function is a matcher over the value', () => {
    const even = (value: unknown): boolean => typeof value === 'number' && value % 2 === 0;
    expect(matches(4, even)).to.equal(true);
    expect(matches(3, even)).to.equal(false);
    expect(matches({ n: 4 }, { n: even })).to.equal(true);
    expect(matches('123', and(match('\\d+'), (v) => v !== '000'))).to.equal(true);
    expect(matches(4, not(even))).to.equal(false);
  });

  it('decides by truthiness, as Array.prototype.filter does', () => {
    expect(matches('abc', (v) => (v as string).length as unknown as boolean)).to.equal(true);
    expect(matches('', (v) => (v as string).length as unknown as boolean)).to.equal(false);
  });

  it('a predicate that throws does not match', () => {
    const throwing = (): boolean => {
      throw new Error('database down');
    };
    expect(matches(1, throwing)).to.equal(false);
    expect(matches(1, not(throwing))).to.equal(true);
  });

  it('a predicate returning a promise does not match (it cannot decide in time)', () => {
    const thenable = (() => ({ then: () => undefined })) as unknown as () => boolean;
    expect(matches(1, thenable)).to.equal(false);
  });

  it('async functions and classes are rejected at compile time', () => {
    const asyncFn = (async () => true) as unknown as () => boolean;
    expect(() => compile({ id: asyncFn }, 'user')).to.throw(PatternError, 'user.id: a predicate must be synchronous, got an async function');
    class Checker {}
    expect(() => compile(Checker as unknown as () => boolean, 'x')).to.throw(PatternError, /got a class/);
  });

  it('a predicate is called with the value as it is, and once per match', () => {
    const seen: unknown[] = [];
    const spy = (value: unknown): boolean => {
      seen.push(value);
      return true;
    };
    const compiled = compile({ a: spy });
    compiled({ a: [1] });
    expect(seen).to.deep.equal([[1]]);
  });
});
