import { expect } from 'chai';
import fc from 'fast-check';
import { SqsListener } from '../../src/listener/listener.js';
import { silentLogger } from '../../src/aws/logger.js';
import { DataSubscriber } from '../../src/dispatch/data-subscribers.js';
import { compilePattern } from '../../src/match/compile.js';
import { match } from '../../src/match/dsl.js';
import { PatternError } from '../../src/match/errors.js';
import { recordFigures } from './support.js';

// Regular expressions in patterns run against hostile message bodies. One with catastrophic
// backtracking must be refused when the subscriber is registered, never discovered at dispatch time.
const EVIL: readonly string[] = [
  '(a+)+$',
  '(a*)*b',
  '(a|a)*c',
  '(a|aa)+$',
  '(\\w+\\s?)*$',
  '^(([a-z])+.)+[A-Z]([a-z])+$',
  '(x+x+)+y',
  '([a-zA-Z]+)*\\d',
  '(\\d+|\\d+\\.)+x',
  '(.*a){20}',
  '^(a?){25}a{25}$',
  '(?:a+){2,}b',
  '(\\s*,\\s*)*$',
  '([^@]+)*@',
];

function registers(pattern: unknown): boolean {
  class Subscriber extends DataSubscriber {
    pattern = { name: pattern };
    process() {}
  }
  const listener = new SqsListener({ queueUrl: 'http://127.0.0.1:1/000000000000/q', handleSignals: false, logger: silentLogger });
  try {
    listener.registerSubscriber(Subscriber);
    return true;
  } catch (error) {
    expect(error).to.be.instanceOf(Error);
    return false;
  }
}

/** Time to run `test` `reps` times on the input, in ns. */
function timeMatch(test: (value: unknown) => boolean, input: string, reps: number): number {
  const start = process.hrtime.bigint();
  for (let i = 0; i < reps; i += 1) test(input);
  return Number(process.hrtime.bigint() - start);
}

/** Nanoseconds per call: batches grow until one takes 0.3 ms (so timer noise is small), best of three. */
function perCall(test: (value: unknown) => boolean, input: string): number {
  let reps = 1;
  while (timeMatch(test, input, reps) < 300_000 && reps < 100_000) reps *= 4;
  return Math.min(timeMatch(test, input, reps), timeMatch(test, input, reps), timeMatch(test, input, reps)) / reps;
}

// A small regular-expression grammar whose output often nests or overlaps quantifiers.
const atom = fc.constantFrom('a', 'b', '\\w', '\\d', '.', '[ab]', '[^b]', '\\s', 'a?');
const quant = fc.constantFrom('', '*', '+', '?', '{1,3}', '{2,}', '*?');
const regex: fc.Arbitrary<string> = fc.letrec<{ re: string }>((tie) => ({
  re: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.tuple(atom, quant).map(([a, q]) => a + q),
    fc.tuple(tie('re'), tie('re')).map(([x, y]) => x + y),
    fc.tuple(tie('re'), tie('re'), quant).map(([x, y, q]) => `(${x}|${y})${q}`),
    fc.tuple(tie('re'), quant).map(([x, q]) => `(${x})${q}`),
  ),
})).re;

describe('reliability: regular expressions in patterns (ReDoS)', function () {
  this.timeout(60_000);

  it('refuses textbook catastrophic expressions at registration, as strings and as RegExp', () => {
    for (const source of EVIL) {
      expect(registers(match(source)), `match(${JSON.stringify(source)})`).to.equal(false);
      expect(registers(match(new RegExp(source))), `match(/${source}/)`).to.equal(false);
      expect(() => compilePattern({ name: match(source) }), source).to.throw(PatternError);
    }
  });

  it('accepts ordinary expressions', () => {
    for (const source of ['Wayne', '^user:notification:', '[a-z]+@[a-z]+\\.com$', '(\\.[\\w-]+)+$', '\\d{4}-\\d{2}-\\d{2}', 'a|b|c']) {
      expect(registers(match(source)), source).to.equal(true);
    }
  });

  it('any expression it accepts runs in polynomial, not exponential, time on adversarial input', () => {
    let accepted = 0;
    let refused = 0;
    let worst = 0;
    let worstSource = '';
    fc.assert(
      fc.property(regex, fc.constantFrom('a', 'ab', 'a ', '0'), fc.boolean(), (source, unit, asRegExp) => {
        let given: string | RegExp;
        try {
          given = asRegExp ? new RegExp(source) : source;
        } catch {
          return true; // the generator wrote invalid syntax (e.g. 'a?*'); nothing to check
        }
        let test: (value: unknown) => boolean;
        try {
          // A string is anchored at the start; a RegExp is used as given (tried at every position).
          test = compilePattern(match(given));
        } catch (error) {
          expect(error).to.be.instanceOf(PatternError);
          refused += 1;
          return true;
        }
        accepted += 1;
        // Inputs that almost match and then fail at the end: the backtracking worst case. Exponential
        // growth from 12 to 24 units is 4096x; quadratic 4x, cubic 8x. Sizes stay tiny so a
        // catastrophic expression that slipped through fails the ratio instead of hanging the run.
        const small = unit.repeat(12) + '!';
        const large = unit.repeat(24) + '!';
        let ratio = Infinity;
        for (let attempt = 0; attempt < 3 && ratio >= 100; attempt += 1) {
          ratio = Math.min(ratio, perCall(test, large) / Math.max(perCall(test, small), 0.001));
        }
        if (ratio > worst) worstSource = `${asRegExp ? '/' + source + '/' : JSON.stringify(source)} on ${JSON.stringify(unit)}`;
        worst = Math.max(worst, ratio);
        expect(ratio, `${source} on ${JSON.stringify(unit)}: time at twice the length`).to.be.below(100);
        return true;
      }),
      { numRuns: 600 },
    );
    expect(accepted).to.be.above(0);
    expect(refused).to.be.above(0);
    recordFigures('hostile-regex', { evilRefused: EVIL.length, generated: accepted + refused, accepted, refused, worstTimeRatioAt2x: Math.round(worst * 10) / 10, worstExpression: worstSource });
  });
});
