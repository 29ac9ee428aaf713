import { expect } from 'chai';
import { Dispatcher } from '../../src/dispatch/dispatcher.js';
import { EventSubscriber } from '../../src/dispatch/event-subscriber.js';
import { RuleCache, patternKey } from '../../src/dispatch/rule-cache.js';
import { eq, gt, match, oneOf } from '../../src/match/dsl.js';
import { PatternError } from '../../src/match/errors.js';
import type { Pattern } from '../../src/match/pattern.js';
import { mega, megaPayload } from './support.js';

describe('dispatch/rule-cache', () => {
  it('keys equal pure-data patterns alike and different ones apart', () => {
    const same: Array<[Pattern, Pattern]> = [
      [{ a: gt(1), b: [1, 'x'] }, { a: gt(1), b: [1, 'x'] }],
      [oneOf('a', match(/^b/i)), oneOf('a', match(/^b/i))],
      [new Date(5), new Date(5)],
    ];
    for (const [x, y] of same) expect(patternKey(x)).to.be.a('string').and.equal(patternKey(y));
    const different: Array<[Pattern, Pattern]> = [
      ['1', 1],
      [1, 1n],
      [[1], eq(1)],
      [{ a: 1, b: 2 }, { b: 2, a: 1 }], // key order decides which mismatch explain reports first
      [match('a'), match(/a/)],
      [match(/a/i), match(/a/)],
      [null, 'null'],
      [0, -0],
    ];
    for (const [x, y] of different) expect(patternKey(x)).to.not.equal(patternKey(y));
  });

  it('never keys patterns holding functions, class instances, symbols or undefined', () => {
    const unkeyed = [(v: unknown) => v === 1, { a: () => true }, new Map(), { [Symbol('s')]: 1 }, { a: undefined }, [undefined]];
    for (const p of unkeyed) expect(patternKey(p)).to.equal(undefined);
  });

  it('shares one rule per scope and key, and builds unkeyed ones every time', () => {
    const cache = new RuleCache<object>();
    const a = cache.get('s', { x: 1 }, () => ({}));
    expect(cache.get('s', { x: 1 }, () => ({}))).to.equal(a);
    expect(cache.get('t', { x: 1 }, () => ({}))).to.not.equal(a);
    const f = () => true;
    expect(cache.get('s', f, () => ({}))).to.not.equal(cache.get('s', f, () => ({})));
  });

  it('keeps regular expressions that differ only in their flags apart', () => {
    class Loose extends EventSubscriber {
      name = match(/^item/i);
      process(): void {}
    }
    class Strict extends EventSubscriber {
      name = match(/^item/);
      process(): void {}
    }
    const d = new Dispatcher();
    d.register(Loose);
    d.register(Strict);
    expect(d.match(mega(megaPayload({ name: 'ITEM.added' })))).to.have.lengthOf(1).and.satisfy(([s]: unknown[]) => s instanceof Loose);
    expect(d.match(mega(megaPayload({ name: 'item.added' })))).to.have.lengthOf(2);
  });

  it('still refuses a malformed pattern after a well-formed look-alike was registered', () => {
    class Good extends EventSubscriber {
      attributes = { a: 1 };
      process(): void {}
    }
    class WithSymbol extends EventSubscriber {
      attributes = { a: 1, [Symbol('s')]: 2 };
      process(): void {}
    }
    const d = new Dispatcher();
    d.register(Good);
    expect(() => d.register(WithSymbol)).to.throw(PatternError, /^WithSymbol\.attributes: /);
  });
});
