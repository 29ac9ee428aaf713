import { expect } from 'chai';
import fc from 'fast-check';
import { eq, gt, gte, lt, lte, match } from '../../src/match/dsl.js';
import { matches } from '../../src/match/compile.js';
import { parseInstant } from '../../src/match/instant.js';

describe('Dates and ISO-8601 strings', () => {
  const at = new Date('2020-05-15T16:45:23.000Z');

  it('a Date pattern equals a Date or an ISO string at the same instant', () => {
    expect(matches(new Date(at.getTime()), at)).to.equal(true);
    expect(matches('2020-05-15T16:45:23Z', at)).to.equal(true);
    expect(matches('2020-05-15T19:45:23+03:00', at)).to.equal(true);
    expect(matches('2020-05-15T13:45:23-0300', at)).to.equal(true);
    expect(matches('2020-05-15T16:45:23.000000Z', eq(at))).to.equal(true);
    expect(matches('2020-05-15T16:45:24Z', at)).to.equal(false);
  });

  it('no offset means UTC, whatever the process time zone', () => {
    expect(matches('2020-05-15T16:45:23', at)).to.equal(true);
    expect(matches('2020-05-15 16:45:23', at)).to.equal(true);
    expect(matches('2020-05-15', new Date('2020-05-15T00:00:00Z'))).to.equal(true);
  });

  it('fractional seconds below the millisecond compare exactly', () => {
    expect(matches('2020-05-15T16:45:23.0001Z', gt(at))).to.equal(true);
    expect(matches('2020-05-15T16:45:23.0001Z', eq(at))).to.equal(false);
    expect(matches('2020-05-15T16:45:22.999999Z', lt(at))).to.equal(true);
    expect(matches('2020-05-15T16:45:23.123456789Z', lt(new Date('2020-05-15T16:45:23.124Z')))).to.equal(true);
    expect(matches('2020-05-15T16:45:23,5Z', gt(at))).to.equal(true);
  });

  it('orders instants across offsets', () => {
    expect(matches('2020-05-15T16:45:23+03:00', lt(new Date('2020-05-15T16:45:23+01:00')))).to.equal(true);
    expect(matches('2020-05-15T16:45:23+01:00', gte(new Date('2020-05-15T16:45:23+03:00')))).to.equal(true);
    expect(matches(new Date('2019-12-31T23:59:59Z'), lte(new Date('2020-01-01')))).to.equal(true);
  });

  it('works before 1970 and in far years', () => {
    expect(matches('1969-12-31T23:59:59.999Z', lt(new Date(0)))).to.equal(true);
    expect(matches('0001-01-01T00:00:00Z', eq(new Date('0001-01-01T00:00:00Z')))).to.equal(true);
    expect(matches('+275760-09-13T00:00:00Z', gt(new Date('9999-12-31')))).to.equal(true);
  });

  it('strings that are not ISO-8601 instants, and other kinds, never match a Date', () => {
    for (const value of ['', 'yesterday', '2020-13-01', '2020-02-30', '2020-05-15T24:00:00', '2020-05-15T16:45:23+25:00',
      'May 15 2020', '1589561123000', '2020-05-15Z', '2020-05-15T16:45:23.Z', '2020-05-15T16:45:23+03:',
      '2020-05-15T1:45', '2020-05-15T16:45:2', '2020-05-15T16:45:23+3', '2020-05-15T16:45:23 Z', '20200515', '2020-05-15T16:45:23Zjunk', `2020-05-15T16:45:23.${'1'.repeat(80)}Z`]) {
      expect(matches(value, gte(new Date(0))), value).to.equal(false);
    }
    for (const value of [at.getTime(), null, true, {}, [at], new Date(Number.NaN)]) {
      expect(matches(value, at), String(value)).to.equal(false);
    }
  });

  it('a leap day parses only in leap years', () => {
    expect(parseInstant('2020-02-29')).to.not.equal(undefined);
    expect(parseInstant('2000-02-29')).to.not.equal(undefined);
    expect(parseInstant('1900-02-29')).to.equal(undefined);
    expect(parseInstant('2021-02-29')).to.equal(undefined);
  });

  it('parseInstant agrees with Date.parse on whole milliseconds', () => {
    for (const text of ['2020-05-15T16:45:23.5Z', '1999-12-31T23:59:59+14:00', '2024-02-29T12:00:00-11:30', '1970-01-01T00:00:00Z']) {
      expect(parseInstant(text)?.ms, text).to.equal(Date.parse(text));
    }
  });

  it('parseInstant agrees with Date.parse on generated instants and offsets (fast-check)', () => {
    const dates = fc.date({ noInvalidDate: true, min: new Date('0001-01-01'), max: new Date('9999-12-31') });
    const offsets = fc.integer({ min: -(23 * 60 + 59), max: 23 * 60 + 59 });
    fc.assert(
      fc.property(dates, offsets, fc.boolean(), (d, offset, colon) => {
        const abs = Math.abs(offset);
        const hh = String(Math.floor(abs / 60)).padStart(2, '0');
        const mm = String(abs % 60).padStart(2, '0');
        const text = `${d.toISOString().slice(0, 23)}${offset < 0 ? '-' : '+'}${hh}${colon ? ':' : ''}${mm}`;
        const expected = Date.parse(`${d.toISOString().slice(0, 23)}${offset < 0 ? '-' : '+'}${hh}:${mm}`);
        expect(parseInstant(text)?.ms, text).to.equal(expected);
      }),
    );
  });

  it('a string pattern is a string, not an instant', () => {
    expect(matches(at, '2020-05-15T16:45:23.000Z')).to.equal(false);
    expect(matches('2020-05-15T16:45:23Z', match('2020-05'))).to.equal(true);
  });
});
