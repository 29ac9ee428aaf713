import { expect } from 'chai';
import fc from 'fast-check';
import { and, any, empty, eq, gt, gte, lt, lte, match, not, oneOf, or } from '../../src/match/dsl.js';
import { compile, compilePattern, matches } from '../../src/match/compile.js';
import type { Pattern } from '../../src/match/pattern.js';

const scalar = fc.oneof(
  fc.string({ maxLength: 4 }),
  fc.integer({ min: -5, max: 5 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
  fc.integer({ min: -5, max: 5 }).map(String),
);

const { pattern } = fc.letrec<{ pattern: Pattern; leaf: Pattern }>((tie) => ({
  leaf: fc.oneof(
    scalar,
    fc.integer({ min: -5, max: 5 }).chain((n) => fc.constantFrom(gt(n), gte(n), lt(n), lte(n))),
    fc.constantFrom(any(), empty(), match('a'), match(['a', 1])),
  ),
  pattern: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    tie('leaf'),
    tie('pattern').map((p) => not(p)),
    fc.tuple(tie('pattern'), tie('pattern')).map(([p, q]) => and(p, q)),
    fc.tuple(tie('pattern'), tie('pattern')).map(([p, q]) => or(p, q)),
    fc.array(tie('leaf'), { minLength: 1, maxLength: 3 }).map((items) => oneOf(items[0] as Pattern, ...items.slice(1))),
    fc.array(tie('leaf'), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom('a', 'b'), tie('pattern'), { maxKeys: 2 }),
  ),
}));

const value = fc.oneof(scalar, fc.array(scalar, { maxLength: 3 }), fc.dictionary(fc.constantFrom('a', 'b', 'c'), scalar));

describe('pattern laws (fast-check)', () => {
  it('not(p) is the negation of p', () => {
    fc.assert(fc.property(pattern, value, (p, v) => matches(v, not(p)) === !matches(v, p)));
  });

  it('and/or are conjunction and disjunction, and De Morgan holds', () => {
    fc.assert(
      fc.property(pattern, pattern, value, (p, q, v) => {
        const [mp, mq] = [matches(v, p), matches(v, q)];
        expect(matches(v, and(p, q))).to.equal(mp && mq);
        expect(matches(v, or(p, q))).to.equal(mp || mq);
        expect(matches(v, not(and(p, q)))).to.equal(matches(v, or(not(p), not(q))));
      }),
    );
  });

  it('eq(x) matches structuredClone(x) for any JSON value', () => {
    fc.assert(fc.property(fc.jsonValue({ maxDepth: 4 }), (x) => matches(structuredClone(x), eq(x as Pattern))));
  });

  it('explain is undefined exactly when the value matches', () => {
    fc.assert(
      fc.property(pattern, value, (p, v) => {
        const compiled = compile(p, 'field');
        expect(compiled.explain(v) === undefined).to.equal(compiled(v));
      }),
    );
  });

  it('an object pattern still matches when the value gains keys', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ maxLength: 3 }), scalar), fc.dictionary(fc.string({ maxLength: 3 }), scalar), (p, extra) => {
        const compiled = compilePattern(p);
        return compiled({ ...extra, ...p });
      }),
    );
  });

  it('numbers compare with their strings as numbers do', () => {
    const finite = fc.double({ noNaN: true, noDefaultInfinity: true });
    fc.assert(
      fc.property(finite, finite, (n, m) => {
        expect(matches(String(m), n)).to.equal(m === n);
        expect(matches(String(m), gt(n))).to.equal(m > n);
        expect(matches(String(m), lte(n))).to.equal(m <= n);
      }),
    );
  });

  it('decimal strings compare exactly like the bigints they spell', () => {
    fc.assert(
      fc.property(fc.bigInt(), fc.bigInt(), fc.nat(20), (a, b, zeros) => {
        const scaled = `${a}${zeros > 0 ? `.${'0'.repeat(zeros)}` : ''}`;
        expect(matches(scaled, gt(b))).to.equal(a > b);
        expect(matches(scaled, eq(b))).to.equal(a === b);
        expect(matches(b, lt(scaled as `${number}`))).to.equal(b < a);
      }),
    );
  });

  it('a Date equals its ISO string and orders against a millisecond later', () => {
    fc.assert(
      fc.property(fc.date({ noInvalidDate: true, min: new Date(-62135596800000), max: new Date(253402300799998) }), (d) => {
        const later = new Date(d.getTime() + 1).toISOString();
        expect(matches(d.toISOString(), d)).to.equal(true);
        expect(matches(later, gt(d))).to.equal(true);
        expect(matches(later, lte(d))).to.equal(false);
      }),
    );
  });

  it('matching never throws, whatever the value', () => {
    fc.assert(fc.property(pattern, fc.anything(), (p, v) => typeof compilePattern(p)(v) === 'boolean'));
  });
});
