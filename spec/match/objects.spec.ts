import { expect } from 'chai';
import { any, empty, gt, not } from '../../src/match/dsl.js';
import { compile, matches } from '../../src/match/compile.js';

describe('nested objects', () => {
  it('match partially: keys the pattern does not name are ignored', () => {
    expect(matches({ a: 1, b: 2, c: { d: 3, e: 4 } }, { a: 1, c: { d: 3 } })).to.equal(true);
    expect(matches({ a: 1 }, {})).to.equal(true);
  });

  it('a key the pattern names must be present, whatever its pattern', () => {
    expect(matches({ b: 1 }, { a: not(1) })).to.equal(false);
    expect(matches({ b: 1 }, { a: not(empty()) })).to.equal(false);
    expect(matches({ b: 1 }, { a: any() })).to.equal(false);
    expect(matches({ a: null }, { a: any() })).to.equal(true);
  });

  it('only records match: not arrays, Dates, strings or null', () => {
    for (const value of [[1], new Date(), 'a', null, 1, undefined]) expect(matches(value, {}), String(value)).to.equal(false);
    expect(matches(Object.create(null) as object, {})).to.equal(true);
  });

  it('keys that are not identifiers work and show in paths', () => {
    expect(matches({ 'a.b': 1, 'x y': { z: 2 } }, { 'a.b': 1, 'x y': { z: gt(1) } })).to.equal(true);
    expect(compile({ 'x y': { z: gt(5) } }, 'data').explain({ 'x y': { z: 2 } })?.path).to.equal('data["x y"].z');
  });

  describe('prototype safety', () => {
    it('inherited properties never match', () => {
      for (const key of ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf']) {
        expect(matches({}, { [key]: any() }), key).to.equal(false);
        expect(matches({}, { [key]: not(empty()) }), key).to.equal(false);
      }
      class Base {
        inherited = 1;
      }
      const child = Object.create(new Base()) as Record<string, unknown>;
      expect(matches(child, { inherited: 1 })).to.equal(false);
    });

    it('an own __proto__ key (as JSON.parse makes) is an ordinary key', () => {
      const value = JSON.parse('{"__proto__": {"admin": true}}') as object;
      const pattern = JSON.parse('{"__proto__": {"admin": true}}') as object;
      expect(matches(value, pattern as never)).to.equal(true);
      expect(matches({}, pattern as never)).to.equal(false);
      expect(matches(JSON.parse('{"__proto__": {"admin": false}}'), pattern as never)).to.equal(false);
    });

    it('matching and compiling change no prototype', () => {
      const pattern = JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}}') as object;
      const compiled = compile(pattern);
      compiled(JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}}'));
      compiled.explain({ constructor: { prototype: {} } });
      expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
      expect(Object.prototype).to.not.have.property('polluted');
    });

    it('a throwing getter on a value is a non-match, not a crash', () => {
      const hostile = {
        get a(): never {
          throw new Error('boom');
        },
      };
      const compiled = compile({ a: 1 });
      expect(compiled(hostile)).to.equal(false);
      expect(compiled.explain(hostile)?.expected).to.match(/threw Error/);
    });
  });
});
