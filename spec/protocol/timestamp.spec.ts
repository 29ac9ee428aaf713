import { expect } from 'chai';
import fc from 'fast-check';
import { MegaSchemaError } from '../../src/protocol/errors.js';
import { parseIsoInstant, parseTimestamp } from '../../src/protocol/timestamp.js';

describe('protocol/timestamp', () => {
  let savedTz: string | undefined;
  before(() => {
    savedTz = process.env.TZ;
    // A zone far from UTC (with a history of DST): a naive timestamp must still read as UTC.
    process.env.TZ = 'America/Sao_Paulo';
  });
  after(() => {
    if (savedTz === undefined) delete process.env.TZ;
    else process.env.TZ = savedTz;
  });

  it('runs in a non-UTC process time zone', () => {
    expect(new Date(2020, 4, 4).getTimezoneOffset()).to.equal(180);
  });

  it('reads a timestamp without an offset as UTC', () => {
    expect(parseTimestamp('2020-05-04T15:53:27.823').toISOString()).to.equal('2020-05-04T15:53:27.823Z');
    expect(parseTimestamp('2020-05-04T15:53:27').toISOString()).to.equal('2020-05-04T15:53:27.000Z');
    expect(parseTimestamp('2020-05-04T15:53').toISOString()).to.equal('2020-05-04T15:53:00.000Z');
    expect(parseTimestamp('2020-05-04 15:53:27').toISOString()).to.equal('2020-05-04T15:53:27.000Z');
  });

  it('reads more than three fractional digits, truncating to the millisecond', () => {
    expect(parseTimestamp('2020-05-04T15:53:27.823999').toISOString()).to.equal('2020-05-04T15:53:27.823Z');
    expect(parseTimestamp('2020-05-22T19:34:24.506765').toISOString()).to.equal('2020-05-22T19:34:24.506Z');
    expect(parseTimestamp('2020-05-04T15:53:27.123456789Z').toISOString()).to.equal('2020-05-04T15:53:27.123Z');
    expect(parseTimestamp('2020-05-04T15:53:27.5').toISOString()).to.equal('2020-05-04T15:53:27.500Z');
  });

  it('applies explicit offsets', () => {
    expect(parseTimestamp('2020-05-04T15:53:27Z').toISOString()).to.equal('2020-05-04T15:53:27.000Z');
    expect(parseTimestamp('2020-05-04T15:53:27+02:00').toISOString()).to.equal('2020-05-04T13:53:27.000Z');
    expect(parseTimestamp('2020-05-04T15:53:27.1-0330').toISOString()).to.equal('2020-05-04T19:23:27.100Z');
    expect(parseTimestamp('2020-05-04T23:00:00-03').toISOString()).to.equal('2020-05-05T02:00:00.000Z');
  });

  it('reads a date alone as midnight UTC', () => {
    expect(parseTimestamp('2020-02-29').toISOString()).to.equal('2020-02-29T00:00:00.000Z');
  });

  it('reads the extended years toISOString writes, and years below 100 literally', () => {
    const far = new Date(Date.UTC(12345, 0, 1));
    expect(parseTimestamp(far.toISOString()).getTime()).to.equal(far.getTime());
    expect(parseTimestamp('0042-01-01T00:00:00Z').getUTCFullYear()).to.equal(42);
  });

  it('copies a valid Date', () => {
    const date = new Date('2020-05-04T15:53:27.823Z');
    const read = parseTimestamp(date);
    expect(read.getTime()).to.equal(date.getTime());
    expect(read).to.not.equal(date);
  });

  it('rejects garbage with a MegaSchemaError at event.timestamp', () => {
    for (const bad of ['garbage', '', '2020-13-01', '2019-02-29', '2020-05-04T24:00:00', '2020-05-04T15:61', '2020-05-04T15:53:27+25:00',
      '2020-05-04T', '20200504', ' 2020-05-04', 42, null, undefined, {}, new Date(Number.NaN)]) {
      expect(() => parseTimestamp(bad), String(bad)).to.throw(MegaSchemaError, /^event\.timestamp: expected/)
        .with.property('path', 'event.timestamp');
    }
    expect(parseIsoInstant('not a date')).to.equal(undefined);
  });
  it('reads the toISOString form exactly as the general reader does, valid or not', () => {
    // A lower-case `t` is the same timestamp but skips the fast path for the toISOString form.
    const general = (text: string) => parseIsoInstant(text.replace('T', 't'));
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(100, 0, 1), max: Date.UTC(9999, 11, 31, 23, 59, 59, 999) }), (ms) => {
        const text = new Date(ms).toISOString();
        expect(parseIsoInstant(text)).to.equal(ms);
        expect(general(text)).to.equal(ms);
      }),
    );
    const digit = fc.constantFrom(...'0123456789x');
    const field = (n: number) => fc.array(digit, { minLength: n, maxLength: n }).map((d) => d.join(''));
    fc.assert(
      fc.property(field(4), field(2), field(2), field(2), field(2), field(2), field(3), (y, mo, d, h, mi, s, ms) => {
        const text = `${y}-${mo}-${d}T${h}:${mi}:${s}.${ms}Z`;
        expect(parseIsoInstant(text), text).to.equal(general(text));
      }),
      { numRuns: 2000 },
    );
    for (const text of ['2021-02-29T00:00:00.000Z', '2020-02-29T23:59:59.999Z', '0099-01-01T00:00:00.000Z', '2020-13-01T00:00:00.000Z', '2020-01-01T24:00:00.000Z']) {
      expect(parseIsoInstant(text), text).to.equal(general(text));
    }
  });
});
