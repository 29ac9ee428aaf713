import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { compile } from '../../src/match/compile.js';
import * as dsl from '../../src/match/dsl.js';
import type { PatternFunction } from '../../src/match/pattern.js';

interface Case {
  pattern: unknown;
  lhs: unknown;
  expected: boolean;
  source: string;
}

const fixture = JSON.parse(readFileSync(new URL('../fixtures/match-conformance.json', import.meta.url), 'utf8')) as {
  cases: Case[];
};

type Builder = (...args: never[]) => PatternFunction;
const functions: Record<string, Builder> = {
  eq: dsl.eq, gt: dsl.gt, gte: dsl.gte, lt: dsl.lt, lte: dsl.lte, match: dsl.match,
  oneOf: dsl.oneOf, not: dsl.not, and: dsl.and, or: dsl.or, any: dsl.any, empty: dsl.empty,
};

function isTagged(value: object, tag: string): value is Record<string, unknown> {
  return Object.hasOwn(value, tag);
}

/** Decodes the fixture's encoding: {"$fn", "args"} is a DSL call, {"$date"} a Date. */
function decode(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(decode);
  if (typeof value !== 'object' || value === null) return value;
  if (isTagged(value, '$date')) return new Date(value.$date as string);
  if (isTagged(value, '$fn')) {
    const fn = functions[value.$fn as string];
    if (fn === undefined) throw new Error(`unknown function ${String(value.$fn)} in fixture`);
    return (fn as (...args: unknown[]) => PatternFunction)(...(value.args as unknown[]).map(decode));
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, decode(v)]));
}

describe('match conformance with the Python implementation', () => {
  it('has all 302 cases', () => {
    expect(fixture.cases).to.have.length(302);
  });

  fixture.cases.forEach((c, i) => {
    it(`#${i} ${c.source.split('::')[1]}: ${JSON.stringify(c.pattern)} vs ${JSON.stringify(c.lhs)} -> ${c.expected}`, () => {
      const compiled = compile(decode(c.pattern), 'field');
      expect(compiled(decode(c.lhs))).to.equal(c.expected);
      // explain agrees with the verdict
      expect(compiled.explain(decode(c.lhs)) === undefined).to.equal(c.expected);
    });
  });
});
