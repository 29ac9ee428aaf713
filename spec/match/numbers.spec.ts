import { expect } from 'chai';
import { eq, gt, gte, lt, lte } from '../../src/match/dsl.js';
import { matches } from '../../src/match/compile.js';
import { compareDecimal, parseDecimal } from '../../src/match/decimal.js';

describe('numbers, numeric strings and bigints', () => {
  it('a number pattern equals the same number written as a string', () => {
    expect(matches('42', 42)).to.equal(true);
    expect(matches('42.0', 42)).to.equal(true);
    expect(matches('4.2e1', 42)).to.equal(true);
    expect(matches('+42', 42)).to.equal(true);
    expect(matches('-0', 0)).to.equal(true);
    expect(matches('0.1', 0.1)).to.equal(true);
  });

  it('numeric strings compare exactly in decimal, never through a float', () => {
    expect(matches('5.01', gt(5.01))).to.equal(false);
    expect(matches('5.01', gt(5.009))).to.equal(true);
    expect(matches('5.0100000000000000001', gt(5.01))).to.equal(true);
    expect(matches('5.0100000000000000001', eq(5.01))).to.equal(false);
    expect(matches('0.30000000000000000001', gt(0.3))).to.equal(true);
    // 2^53 + 1 is not representable as a double; as a string it stays itself
    expect(matches('9007199254740993', gt(9007199254740992))).to.equal(true);
    expect(matches('9007199254740993', eq(9007199254740993n))).to.equal(true);
    expect(matches('9007199254740993', eq(9007199254740992n))).to.equal(false);
  });

  it('a number pattern stands for the decimal it prints as', () => {
    // 0.1 + 0.2 prints as 0.30000000000000004, so it is not "0.3"
    expect(matches('0.3', eq(0.1 + 0.2))).to.equal(false);
    expect(matches('0.30000000000000004', eq(0.1 + 0.2))).to.equal(true);
    expect(matches('1e21', eq(1e21))).to.equal(true);
    expect(matches('0.0000005', eq(5e-7))).to.equal(true);
  });

  it('bigints compare exactly with numbers, bigints and numeric strings', () => {
    const big = 123456789012345678901234567890n;
    expect(matches(big, eq(big))).to.equal(true);
    expect(matches('123456789012345678901234567890', eq(big))).to.equal(true);
    expect(matches('123456789012345678901234567891', gt(big))).to.equal(true);
    expect(matches(big + 1n, gt(big))).to.equal(true);
    expect(matches(5, eq(5n))).to.equal(true);
    expect(matches(5.5, gt(5n))).to.equal(true);
    expect(matches(5.5, lt(6n))).to.equal(true);
    expect(matches(-5.5, lt(-5n))).to.equal(true);
    expect(matches(5n, gt(4.5))).to.equal(true);
    expect(matches(Number.POSITIVE_INFINITY, gt(big))).to.equal(true);
    expect(matches(Number.NEGATIVE_INFINITY, lt(-big))).to.equal(true);
  });

  it('numeric string patterns in ordering functions compare as decimals', () => {
    expect(matches(100, gte('99.99'))).to.equal(true);
    expect(matches('99.990', lte('99.99'))).to.equal(true);
    expect(matches('99.991', lte('99.99'))).to.equal(false);
  });

  it('strings that are not plain decimals never match a number', () => {
    for (const value of ['', ' 42', '42 ', '0x2A', '4_2', 'Infinity', 'NaN', '42abc', '.', '-', 'e5', '1e', '1e1234567890123456']) {
      expect(matches(value, 42), JSON.stringify(value)).to.equal(false);
      expect(matches(value, gt(-1e300)), JSON.stringify(value)).to.equal(false);
    }
  });

  it('NaN never matches; infinities order', () => {
    expect(matches(Number.NaN, 0)).to.equal(false);
    expect(matches(Number.NaN, lt(0))).to.equal(false);
    expect(matches(Number.POSITIVE_INFINITY, gt(1e308))).to.equal(true);
    expect(matches(Number.NEGATIVE_INFINITY, lt(-1e308))).to.equal(true);
  });

  it('numbers are not booleans, null or dates', () => {
    expect(matches(true, 1)).to.equal(false);
    expect(matches(false, 0)).to.equal(false);
    expect(matches(null, 0)).to.equal(false);
    expect(matches(new Date(5), 5)).to.equal(false);
  });

  describe('parseDecimal / compareDecimal', () => {
    const cmp = (a: string, b: string): number => compareDecimal(parseDecimal(a)!, parseDecimal(b)!);

    it('normalises leading and trailing zeros and exponents', () => {
      expect(parseDecimal('000123.4500')).to.deep.equal({ negative: false, digits: '12345', exp: 3 });
      expect(parseDecimal('0.00120')).to.deep.equal({ negative: false, digits: '12', exp: -2 });
      expect(parseDecimal('-1.2e3')).to.deep.equal({ negative: true, digits: '12', exp: 4 });
      expect(parseDecimal('-0.000')).to.deep.equal({ negative: false, digits: '', exp: 0 });
      expect(parseDecimal('.5')).to.deep.equal({ negative: false, digits: '5', exp: 0 });
      expect(parseDecimal('5.')).to.deep.equal({ negative: false, digits: '5', exp: 1 });
    });

    it('orders signs, magnitudes and digits', () => {
      expect(cmp('1', '1.0')).to.equal(0);
      expect(cmp('-1', '1')).to.equal(-1);
      expect(cmp('0', '-0.0001')).to.equal(1);
      expect(cmp('10', '9.99')).to.equal(1);
      expect(cmp('-10', '-9.99')).to.equal(-1);
      expect(cmp('0.12', '0.123')).to.equal(-1);
      expect(cmp('0.13', '0.123')).to.equal(1);
      expect(cmp('1e-5', '0.00001')).to.equal(0);
    });
  });
});
