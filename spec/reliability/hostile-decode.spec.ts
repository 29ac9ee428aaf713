import { expect } from 'chai';
import fc from 'fast-check';
import { BSON } from 'bson';
import { decodeBody } from '../../src/codec/body.js';
import { MAX_BODY_BYTES } from '../../src/codec/limits.js';
import { recordFigures } from './support.js';

// Every message body is hostile. decodeBody must never throw, whatever arrives, and must not take more
// than linear time: growth is checked by comparing timings at two sizes (generous slack, no absolute
// thresholds), so a quadratic or worse path shows up as a ratio far above the size ratio.
const KINDS = new Set(['mega', 'data', 'plaintext', 'binary', 'invalid']);

function decodes(body: string): boolean {
  const decoded = decodeBody(body);
  expect(KINDS.has(decoded.kind), `kind ${decoded.kind}`).to.equal(true);
  if (decoded.kind === 'invalid') expect(decoded.error).to.be.instanceOf(Error);
  return true;
}

const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

/** Random edits of a valid BSON document: flipped bytes, cut tails, overwritten length fields, splices. */
const mutatedBson = fc
  .tuple(
    fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 6 }),
    fc.array(
      fc.record({ op: fc.constantFrom('flip', 'cut', 'length', 'splice', 'zero'), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
      { minLength: 1, maxLength: 4 },
    ),
  )
  .map(([doc, edits]) => {
    let bytes = Buffer.from(BSON.serialize(doc));
    for (const { op, at, value } of edits) {
      const i = bytes.length === 0 ? 0 : at % bytes.length;
      if (op === 'flip') bytes[i] = (bytes[i] ?? 0) ^ (value || 1);
      if (op === 'zero') bytes[i] = 0;
      if (op === 'cut') bytes = bytes.subarray(0, i);
      if (op === 'length' && bytes.length >= 4) bytes.writeInt32LE([0x7fffffff, -1, 5, bytes.length + 1, value][value % 5] ?? 0, (i >> 2) << 2 < bytes.length - 3 ? (i >> 2) << 2 : 0);
      if (op === 'splice') bytes = Buffer.concat([bytes.subarray(0, i), Buffer.from([value, 0, 0, 0, 3]), bytes.subarray(i)]);
    }
    return bytes;
  });

/** The bare parsers decodeBody wraps: its growth is compared with theirs (V8's own hash tables grow superlinearly). */
function bareParse(body: string): void {
  try {
    JSON.parse(body);
  } catch {
    // not JSON
  }
  try {
    BSON.deserialize(Buffer.from(body, 'base64'));
  } catch {
    // not BSON
  }
}

/** Median wall time of `runs` calls of `fn(body)`, after a warm-up. */
function timeOf(body: string, fn: (body: string) => unknown = decodeBody, runs = 5): number {
  fn(body);
  const times: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const start = process.hrtime.bigint();
    fn(body);
    times.push(Number(process.hrtime.bigint() - start));
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(runs / 2)] ?? 0;
}

// Bodies built from a unit repeated `n` times: the shapes that trip naive parsers and scanners.
const SHAPES: Record<string, (n: number) => string> = {
  'deep JSON arrays': (n) => '{"a":' + '['.repeat(n) + ']'.repeat(n) + '}',
  'deep JSON objects': (n) => '{"a":'.repeat(n) + '1' + '}'.repeat(n),
  'unterminated JSON': (n) => '{"a":' + '["x",'.repeat(n),
  'many keys': (n) => '{' + Array.from({ length: n }, (_, i) => `"k${i}":${i}`).join(',') + '}',
  'long string of escapes': (n) => '{"a":"' + '\\u0041\\n'.repeat(n) + '"}',
  'base64 almost valid': (n) => 'QUJD'.repeat(n) + '=A',
  'base64 blob': (n) => 'QUJD'.repeat(n),
  'SNS envelope in envelopes': (n) => {
    let body = JSON.stringify({ x: '"\\'.repeat(n) });
    for (let i = 0; i < 3; i += 1) body = JSON.stringify({ Type: 'Notification', MessageId: 'm', TopicArn: 'arn:aws:sns:us-east-1:1:t', Message: body, Timestamp: '2024-01-01T00:00:00Z' });
    return body;
  },
  'BSON nested documents': (n) => {
    let doc: Record<string, unknown> = { v: 1 };
    for (let i = 0; i < Math.min(n, 90); i += 1) doc = { d: doc };
    return base64(BSON.serialize({ ...doc, pad: 'x'.repeat(n) }));
  },
  'BSON with many short keys': (n) => base64(BSON.serialize(Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, i])))),
  'plaintext with quotes and braces': (n) => '{"'.repeat(n),
  'lone surrogates': (n) => '{"a":"' + '\ud800'.repeat(n) + '"}',
};

describe('reliability: hostile message bodies (decodeBody)', function () {
  this.timeout(60_000);

  it('never throws on arbitrary strings, including lone surrogates and control characters', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 400 }), decodes), { numRuns: 1500 });
    fc.assert(fc.property(fc.string({ unit: fc.constantFrom('{', '}', '[', ']', '"', ':', ',', '\\', 'a', '0', ' ', '=', '/', '+'), maxLength: 200 }), decodes), {
      numRuns: 1500,
    });
  });

  it('never throws on JSON-ish text: valid JSON, SNS-looking envelopes, MEGA-looking objects', () => {
    const megaish = fc.record({
      protocol: fc.constantFrom('mega', 'MEGA', 1),
      version: fc.oneof(fc.constant(1), fc.constant('1'), fc.jsonValue()),
      event: fc.oneof(fc.jsonValue(), fc.record({ name: fc.jsonValue(), timestamp: fc.oneof(fc.string(), fc.integer(), fc.constant('2020-02-30T25:61:00Z')) })),
      object: fc.jsonValue(),
    });
    const envelope = fc.record({ Type: fc.constantFrom('Notification', 'x'), MessageId: fc.jsonValue(), TopicArn: fc.jsonValue(), Message: fc.oneof(fc.string(), fc.jsonValue()), MessageAttributes: fc.jsonValue() });
    fc.assert(fc.property(fc.oneof(fc.jsonValue(), megaish, envelope), (value) => decodes(JSON.stringify(value) ?? 'null')), { numRuns: 1500 });
  });

  it('never throws on base64 of arbitrary bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => decodes(base64(bytes))), { numRuns: 1500 });
  });

  it('never throws on mutated valid BSON, and reads only what is well framed', () => {
    fc.assert(
      fc.property(mutatedBson, (bytes) => {
        decodes(base64(bytes));
        const decoded = decodeBody(base64(bytes));
        if (decoded.kind === 'data') expect(Object.getPrototypeOf(decoded.payload)).to.be.oneOf([Object.prototype, null]);
        return true;
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses bodies over the SQS size limit and nesting past MAX_DEPTH as invalid, without a stack overflow', () => {
    expect(decodeBody('{"a":"' + 'x'.repeat(MAX_BODY_BYTES) + '"}').kind).to.equal('invalid');
    expect(decodeBody('{"a":' + '['.repeat(200_000) + ']'.repeat(200_000) + '}').kind).to.be.oneOf(['invalid', 'plaintext']);
    expect(decodeBody('{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000)).kind).to.be.oneOf(['invalid', 'plaintext']);
  });

  it('takes linear time on generated bodies: repeated arbitrary units, base64 of repeated bytes and of repeated mutated BSON', () => {
    const alphabet = fc.constantFrom('{', '}', '[', ']', '"', ':', ',', '\\', 'a', '0', ' ', '=', 'A', '/', '+', '\ud800', 'é');
    const unit = fc.string({ unit: alphabet, minLength: 1, maxLength: 12 });
    const prefix = fc.constantFrom('', '{"a":', '{"a":"', '{"Type":"Notification","Message":"', '{"protocol":"mega","version":1,"event":');
    const bodies = fc.oneof(
      fc.tuple(prefix, unit).map(([p, u]) => (k: number) => p + u.repeat(Math.ceil(k / u.length))),
      fc.uint8Array({ minLength: 1, maxLength: 16 }).map((bytes) => (k: number) => base64(Buffer.concat(Array<Buffer>(Math.ceil(k / bytes.length)).fill(Buffer.from(bytes))))),
      mutatedBson.map((bytes) => (k: number) => base64(Buffer.concat(Array<Buffer>(Math.ceil(k / Math.max(bytes.length, 1))).fill(bytes)))),
    );
    let worst = 0;
    fc.assert(
      fc.property(bodies, (make) => {
        const a = make(8_000);
        const b = make(64_000);
        let ratio = Infinity;
        let allowed = 24;
        for (let attempt = 0; attempt < 3 && ratio >= allowed; attempt += 1) {
          ratio = Math.min(ratio, timeOf(b, decodeBody, 3) / Math.max(timeOf(a, decodeBody, 3), 1));
          allowed = Math.max(allowed, 3 * (timeOf(b, bareParse, 3) / Math.max(timeOf(a, bareParse, 3), 1)));
        }
        worst = Math.max(worst, ratio);
        expect(ratio, `time at 8x the size of ${JSON.stringify(a.slice(0, 40))}...`).to.be.below(allowed);
        return true;
      }),
      { numRuns: 60 },
    );
    recordFigures('hostile-decode-generated', { generatedBodies: 60, sizeRatio: 8, worstTimeRatio: Math.round(worst * 10) / 10 });
  });

  it('takes time linear in the body size on adversarial shapes (8x the size: well under 64x the time)', () => {
    const small = 4_000;
    const large = 32_000;
    const ratios: Record<string, number> = {};
    for (const [name, make] of Object.entries(SHAPES)) {
      const a = make(small);
      const b = make(large);
      expect(b.length).to.be.at.most(MAX_BODY_BYTES);
      // Linear means 8x; allow 3x slack for a noisy shared machine, or 3x what the bare parsers
      // themselves need when V8 is superlinear (objects with tens of thousands of keys). A quadratic
      // path (64x) fails. A noisy measurement is retried; a real one fails every time.
      let ratio = Infinity;
      let allowed = 24;
      for (let attempt = 0; attempt < 3 && ratio >= allowed; attempt += 1) {
        ratio = Math.min(ratio, timeOf(b) / Math.max(timeOf(a), 1));
        allowed = Math.max(allowed, 3 * (timeOf(b, bareParse) / Math.max(timeOf(a, bareParse), 1)));
      }
      ratios[name] = Math.round(ratio * 10) / 10;
      expect(ratio, `${name}: time at 8x the size (allowed ${allowed.toFixed(1)})`).to.be.below(allowed);
    }
    recordFigures('hostile-decode', {
      shapes: Object.keys(SHAPES).length,
      sizeRatio: large / small,
      worstTimeRatio: Math.max(...Object.values(ratios)),
      ...Object.fromEntries(Object.entries(ratios).map(([k, v]) => [`timeRatio ${k}`, v])),
    });
  });
});
