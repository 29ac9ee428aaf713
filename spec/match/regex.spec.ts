import { expect } from 'chai';
import { match, not } from '../../src/match/dsl.js';
import { compile, matches } from '../../src/match/compile.js';
import { PatternError } from '../../src/match/errors.js';
import { MAX_REGEX_SOURCE } from '../../src/match/regex.js';
import { backtrackingRisk } from '../../src/match/regex-safety.js';

describe('regular expressions', () => {
  it("match('re') is anchored at the start only", () => {
    expect(matches('Wayne Enterprises', match('Wayne'))).to.equal(true);
    expect(matches('Bruce Wayne', match('Wayne'))).to.equal(false);
    expect(matches('user:notification:email', match('user:notification:(.*)'))).to.equal(true);
    expect(matches('ab', match('b|a'))).to.equal(true); // the anchor covers every branch
    expect(matches('cb', match('a|b'))).to.equal(false);
    expect(matches('FooBar', match('foobar'))).to.equal(false);
  });

  it('match(/re/) and a bare RegExp are used as given', () => {
    expect(matches('Bruce Wayne', match(/Wayne/))).to.equal(true);
    expect(matches('Bruce Wayne', /wayne$/i)).to.equal(true);
    expect(matches('Bruce Wayne', /^Wayne/)).to.equal(false);
  });

  it('a global or sticky RegExp gives the same answer every time', () => {
    const global = compile(/a/g);
    expect([global('a'), global('a'), global('a')]).to.deep.equal([true, true, true]);
    const sticky = compile(/a/y);
    expect([sticky('ab'), sticky('ab'), sticky('ba')]).to.deep.equal([true, true, false]);
  });

  it('only strings match a regular expression', () => {
    for (const value of [1, true, null, undefined, ['abc'], { a: 'abc' }, new Date()]) {
      expect(matches(value, match('.*')), String(value)).to.equal(false);
      expect(matches(value, /.*/)).to.equal(false);
    }
    expect(matches(1, not(match('1')))).to.equal(true);
  });

  it('compile rejects an invalid expression, naming the field', () => {
    expect(() => compile(match('(unclosed'), 'event.name')).to.throw(PatternError, /^event\.name: match\("\(unclosed"\) is not a valid regular expression/);
  });

  it('compile rejects an over-long expression', () => {
    const long = 'a'.repeat(MAX_REGEX_SOURCE + 1);
    expect(() => compile(match(long), 'subject')).to.throw(PatternError, /more than 1000/);
    expect(() => compile(new RegExp(long), 'subject')).to.throw(PatternError, /more than 1000/);
  });

  describe('catastrophic backtracking', () => {
    const unsafe = [
      '(a+)+', '(a*)*b', '(a|a)*', '(a|aa)+', '(\\w+\\s?)*$', '(a{1,3})*', '(x+x+)+y', '^(([a-z])+.)+[A-Z]([a-z])+$',
      '(.*a){12}', '([a-z]+\\d*)+', '(\\w|\\d)+', '(?:a+)+b', '(?=(a+)+)', '\\d+\\d*', '.*.*=.*', 'a*b?a*',
    ];
    const safe = [
      'user:notification:(.*)', '[Dd]onatel.*', 'test@(.*)', '^\\d+$', '(\\.[\\w-]+)+', '^[\\w.+-]+@[\\w-]+(\\.[\\w-]+)+$',
      '(\\d+,)*\\d+', '(a+b)*', 'foo\\.(.*)', '(\\d{3})*', '(foo|bar)*', '.*foo.*', '', '[]]', '[^]*x', 'a{', '(?<y>\\d{4})-\\d\\d',
    ];

    for (const source of unsafe) {
      it(`rejects ${source}`, () => {
        expect(backtrackingRisk(source, '')).to.be.a('string');
        expect(() => compile(match(source), 'attributes.code')).to.throw(PatternError, /^attributes\.code: .* risks catastrophic backtracking/);
        expect(() => compile({ code: new RegExp(source) })).to.throw(PatternError, /^code: /);
      });
    }

    for (const source of safe) {
      it(`accepts ${source || '(empty)'}`, () => {
        expect(backtrackingRisk(source, '')).to.equal(undefined);
        expect(() => compile(match(source))).to.not.throw();
      });
    }

    it('takes flags into account (i widens a class, u reads \\p{...})', () => {
      expect(backtrackingRisk('(A|a)+', '')).to.equal(undefined);
      expect(backtrackingRisk('(A|a)+', 'i')).to.be.a('string');
      expect(backtrackingRisk('(\\p{L}|\\p{Lu})+', 'u')).to.be.a('string');
    });

    it('an accepted expression stays fast on a hostile 100k-character value', () => {
      const value = `${'a'.repeat(100_000)}!`;
      for (const source of safe) compile(match(source))(value); // completes: nothing to assert but termination
      expect(compile(match('(\\.[\\w-]+)+$'))(value)).to.equal(false);
    });
  });
});
