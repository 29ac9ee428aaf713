import { expect } from 'chai';
import fc from 'fast-check';
import { CandidateIndex, constraintsOf, indexKey } from '../../src/match/candidate-index.js';
import { compile } from '../../src/match/compile.js';
import { and, any, eq, gt, match, not, oneOf, or } from '../../src/match/dsl.js';
import type { Pattern } from '../../src/match/pattern.js';
import { documentsFor, reshape } from './witnesses.js';

/** Indexes `patterns` (each applied to the whole document) and returns a lookup of matching positions. */
function indexed(patterns: readonly Pattern[]) {
  const index = new CandidateIndex<number>();
  const compiled = patterns.map((p) => compile(p));
  patterns.forEach((p, i) => index.add(i, constraintsOf(p)));
  return {
    index,
    viaIndex: (doc: unknown) => index.match(doc, (i) => (compiled[i] as (v: unknown) => boolean)(doc)),
    linear: (doc: unknown) => compiled.flatMap((c, i) => (c(doc) ? [i] : [])),
  };
}

describe('match/candidate-index', () => {
  describe('constraintsOf', () => {
    it('takes literals, eq, oneOf, arrays of literals and and() under nested objects', () => {
      expect(constraintsOf({ event: { name: 'item.added', version: oneOf(1, 2) } })).to.deep.equal([
        { path: ['event', 'name'], keys: ['item.added'] },
        { path: ['event', 'version'], keys: [1, 2] },
      ]);
      expect(constraintsOf(and(gt(1), eq(5)), ['q'])).to.deep.equal([{ path: ['q'], keys: [5] }]);
      expect(constraintsOf(['a', true, '7'])).to.deep.equal([{ path: [], keys: ['a', true, 7] }]);
    });

    it('takes nothing from patterns without a constant', () => {
      for (const p of [gt(5), not('a'), match('a'), any(), or('a', gt(1)), ['a', null], [], (v: unknown) => v === 1, new Date(0)]) {
        expect(constraintsOf(p as Pattern), String(p)).to.deep.equal([]);
      }
    });

    it('gives numbers and numeric strings of the same value the same key', () => {
      expect(indexKey(42)).to.equal(indexKey('42'));
      expect(indexKey(42)).to.equal(indexKey('42.0'));
      expect(indexKey(42)).to.equal(indexKey('4.2e1'));
      expect(indexKey(42n)).to.equal(indexKey(42));
      expect(indexKey(0)).to.equal(indexKey('-0'));
      expect(indexKey('abc')).to.not.equal(indexKey('abd'));
      expect(indexKey('true')).to.not.equal(indexKey(true));
    });
  });

  describe('CandidateIndex', () => {
    it('finds candidates through the constants and keeps insertion order', () => {
      const { index, viaIndex } = indexed([{ name: 'a' }, gt(3), { name: oneOf('a', 'b') }, { name: 'c' }]);
      expect(index.candidates({ name: 'a' })).to.deep.equal([0, 1, 2]);
      expect(index.candidates({ name: 'c' })).to.deep.equal([1, 3]);
      expect(index.candidates({ other: 'a' })).to.deep.equal([1]);
      expect(viaIndex({ name: 'b' })).to.deep.equal([2]);
    });

    it('never misses numeric-string equivalents', () => {
      const { viaIndex } = indexed([{ n: 42 }, { n: eq('42') }, { n: 42n }, { n: oneOf(1.5, 7) }]);
      expect(viaIndex({ n: '42' })).to.deep.equal([0, 1, 2]);
      expect(viaIndex({ n: '42.00' })).to.deep.equal([0, 2]);
      expect(viaIndex({ n: 42 })).to.deep.equal([0, 2]);
      expect(viaIndex({ n: '1.50' })).to.deep.equal([3]);
    });

    it('falls back to every entry below a value it cannot key (array, Date, class instance)', () => {
      const { index } = indexed([{ tags: 'x' }, { tags: { deep: 'y' } }]);
      expect(index.candidates({ tags: ['x', 'y'] })).to.deep.equal([0, 1]);
      expect(index.candidates({ tags: new Date(0) })).to.deep.equal([0, 1]);
      expect(index.candidates({ tags: new Map() })).to.deep.equal([0, 1]);
      expect(index.candidates({ tags: 'z' })).to.deep.equal([]);
    });

    it('files each entry under its least crowded constraint', () => {
      const index = new CandidateIndex<number>();
      for (let i = 0; i < 5; i++) index.add(i, constraintsOf({ domain: 'shop', name: oneOf(`a${i}`, `b${i}`) }));
      // The first two go under the domain (fewest constants, then a tie); after that, names cost less.
      expect(index.candidates({ domain: 'shop', name: 'zzz' })).to.deep.equal([0, 1]);
      expect(index.candidates({ domain: 'shop', name: 'b3' })).to.deep.equal([0, 1, 3]);
    });

    it('hands out the narrowed item only on an exact string or boolean hit', () => {
      const index = new CandidateIndex<string>();
      index.add('name', constraintsOf({ n: 'a' }), (c) => `name minus ${c.path.join('.')}`);
      index.add('flag', constraintsOf({ f: true }), () => 'flag narrowed');
      index.add('num', constraintsOf({ n: 42 }), () => 'num narrowed');
      expect(index.candidates({ n: 'a', f: true })).to.deep.equal(['name minus n', 'flag narrowed']);
      expect(index.candidates({ n: ['a'], f: [true] })).to.deep.equal(['name', 'flag', 'num']);
      expect(index.candidates({ n: '42' })).to.deep.equal(['num']);
    });

    it('probes the document keys when many paths are filed', () => {
      const patterns = Array.from({ length: 50 }, (_, i) => ({ [`field${i}`]: i }));
      const { index } = indexed(patterns);
      expect(index.candidates({ field7: 7, field8: 0, unknown: 1 })).to.deep.equal([7]);
    });

    it('finds a match held in a non-enumerable own property, however many paths are filed', () => {
      for (const others of [0, 7, 8, 20]) {
        const patterns: Pattern[] = [...Array.from({ length: others }, (_, i) => ({ [`f${i}`]: i })), { k: 'x' }];
        const { viaIndex, linear } = indexed(patterns);
        const doc = Object.defineProperty({ f0: 0 }, 'k', { value: 'x', enumerable: false });
        expect(linear(doc), `${others} others`).to.include(others);
        expect(viaIndex(doc), `${others} others`).to.deep.equal(linear(doc));
      }
    });

    it('probes every own key of the document, the last one too', () => {
      const { viaIndex } = indexed(Array.from({ length: 12 }, (_, i) => ({ [`f${i}`]: i })));
      expect(viaIndex({ f3: 3 })).to.deep.equal([3]);
      expect(viaIndex({ other: 1, f3: 3, f11: 11 })).to.deep.equal([3, 11]);
      const nullProto = Object.assign(Object.create(null) as Record<string, unknown>, { zz: 0, f5: 5 });
      expect(viaIndex(nullProto)).to.deep.equal([5]);
    });

    it('falls back to every entry filed at any depth below a class instance', () => {
      class Box {
        b = { c: 'x', d: { e: { f: 'y' } } };
      }
      const { viaIndex, linear } = indexed([{ a: { b: { c: 'x' } } }, { a: { b: 'y' } }, { z: 1 }, { a: { b: { d: { e: { f: 'y' } } } } }]);
      expect(linear({ a: new Box() })).to.deep.equal([0, 3]);
      expect(viaIndex({ a: new Box() })).to.deep.equal([0, 3]);
    });

    it('finds exactly what a linear scan finds, for documents built from the patterns (property)', () => {
      const scalars = fc.oneof(
        fc.constantFrom('a', 'b', '42', '42.0', '4.2e1', ' 42', '0x2A', '-0', 'true', '', '1e400', '2020-01-01T00:00:00Z'),
        fc.constantFrom(42, 0, -0, 1.5, 1e21, Number.MAX_SAFE_INTEGER, true, false, null),
        fc.integer({ min: -3, max: 3 }),
        fc.bigInt({ min: 40n, max: 44n }),
      );
      // Ten keys, so that a level of the index often holds more than eight paths.
      const key = fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j');
      const { pattern } = fc.letrec<{ pattern: Pattern; literal: Pattern }>((tie) => ({
        literal: scalars as fc.Arbitrary<Pattern>,
        pattern: fc.oneof(
          { depthSize: 'small', withCrossShrink: true },
          tie('literal'),
          tie('literal').map((v) => eq(v)),
          fc.array(tie('literal'), { minLength: 1, maxLength: 3 }).map((vs) => oneOf(vs[0] as Pattern, ...vs.slice(1))),
          fc.array(tie('literal'), { minLength: 1, maxLength: 3 }),
          fc.tuple(tie('pattern'), tie('pattern')).map(([x, y]) => and(x, y)),
          fc.tuple(tie('pattern'), tie('pattern')).map(([x, y]) => or(x, y)),
          tie('pattern').map((x) => not(x)),
          fc.integer({ min: -3, max: 50 }).map((n) => gt(n)),
          fc.constant(any()),
          fc.dictionary(key, tie('pattern'), { maxKeys: 3 }),
        ),
      }));
      // Subscriber-like sets: mostly objects of literals, one or two levels deep.
      const literalHeavy = fc.dictionary(key, fc.oneof(scalars, fc.dictionary(key, scalars, { minKeys: 1, maxKeys: 2 })), { minKeys: 1, maxKeys: 3 });
      const patternSets = fc.oneof(fc.array(pattern, { maxLength: 12 }), fc.array(literalHeavy as fc.Arbitrary<Pattern>, { minLength: 1, maxLength: 24 }));
      const { doc } = fc.letrec<{ doc: unknown }>((tie) => ({
        doc: fc.oneof(
          { depthSize: 'small', withCrossShrink: true },
          scalars,
          fc.constant(new Date('2020-01-01T00:00:00Z')),
          fc.array(tie('doc'), { maxLength: 3 }),
          fc.dictionary(key, tie('doc'), { maxKeys: 3 }).chain(reshape),
        ),
      }));
      let cases = 0;
      let matches = 0;
      fc.assert(
        fc.property(
          patternSets.chain((patterns) => fc.tuple(fc.constant(patterns), fc.array(documentsFor(patterns, doc, key), { minLength: 1, maxLength: 8 }))),
          ([patterns, docs]) => {
            const { viaIndex, linear } = indexed(patterns);
            for (const d of docs) {
              const expected = linear(d);
              expect(viaIndex(d)).to.deep.equal(expected);
              cases++;
              if (expected.length > 0) matches++;
            }
          },
        ),
        { numRuns: 400 },
      );
      // The point of building documents from the patterns: most cases must exercise a match.
      expect(matches / cases).to.be.above(0.5);
    });
  });
});
