import { expect } from 'chai';
import { exceedsDepth, firstSignificantChar, isJsonNonObject, parseJsonObject } from '../../src/codec/json.js';

describe('codec/json', () => {
  it('parses only texts that start with an object, after JSON whitespace', () => {
    expect(parseJsonObject(' \r\n\t{"a":1}')).to.deep.equal({ a: 1 });
    expect(parseJsonObject('[{"a":1}]')).to.equal(undefined);
    expect(parseJsonObject('{"a":')).to.equal(undefined);
    expect(parseJsonObject('\u00a0{"a":1}')).to.equal(undefined);
    expect(Number.isNaN(firstSignificantChar('   '))).to.equal(true);
  });

  it('recognises JSON documents that are not objects', () => {
    for (const text of ['0', '-1', '12.5e3', '"s"', '[]', 'true', 'false', 'null', ' [1] ']) expect(isJsonNonObject(text), text).to.equal(true);
    for (const text of ['{}', 'tru', 'nul', 'hello', '12ab', 'AQID', '']) expect(isJsonNonObject(text), text).to.equal(false);
  });

  it('measures depth with the root at 1, arrays and objects alike', () => {
    expect(exceedsDepth({ a: { b: [1] } }, 3)).to.equal(false);
    expect(exceedsDepth({ a: { b: [[1]] } }, 3)).to.equal(true);
    expect(exceedsDepth([[], [[]]], 2)).to.equal(true);
    expect(exceedsDepth('scalar', 0)).to.equal(false);
  });

  it('stops at the limit on cyclic objects', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(exceedsDepth(cyclic, 50)).to.equal(true);
  });
});
