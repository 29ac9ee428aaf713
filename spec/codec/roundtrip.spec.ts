import { expect } from 'chai';
import fc from 'fast-check';
import { decodeBody } from '../../src/codec/body.js';
import { encodePayload } from '../../src/codec/encode.js';
import { isMegaTagged } from '../../src/protocol/schema.js';
import type { DataObject, MegaPayload } from '../../src/protocol/types.js';

type Unit = 'binary' | 'grapheme';

// -0 is left out: neither JSON nor an int32 can say it, and the decoded 0 is the same number to users.
const finiteDouble = fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => (Object.is(n, -0) ? 0 : n));

/** Plain data objects. JSON carries any UTF-16 string; BSON adds dates, bytes and int64 bigints. */
function dataObject(target: 'json' | 'bson'): fc.Arbitrary<DataObject> {
  const unit: Unit = target === 'json' ? 'binary' : 'grapheme';
  const key = fc.string({ unit, maxLength: 8 }).filter((k) => !k.includes('\0') && !k.startsWith('$'));
  const scalars: fc.Arbitrary<unknown>[] = [
    fc.constant(null),
    fc.boolean(),
    fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
    fc.maxSafeInteger(),
    finiteDouble,
    fc.string({ unit, maxLength: 20 }),
  ];
  if (target === 'bson') {
    scalars.push(
      fc.date({ min: new Date(-8.64e15), max: new Date(8.64e15), noInvalidDate: true }),
      fc.uint8Array({ maxLength: 16 }),
      fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).filter((n) => n > 2n ** 53n || n < -(2n ** 53n)),
    );
  }
  const { object } = fc.letrec<{ value: unknown; object: DataObject }>((tie) => ({
    value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, ...scalars, fc.array(tie('value'), { maxLength: 4 }), tie('object')),
    object: fc.dictionary(key, tie('value'), { maxKeys: 5, noNullPrototype: true }) as fc.Arbitrary<DataObject>,
  }));
  return object;
}

const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const dropUndefined = <T extends object>(value: T): T =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;

function megaPayload(target: 'json' | 'bson'): fc.Arbitrary<MegaPayload> {
  const data = dataObject(target);
  const text = fc.string({ unit: target === 'json' ? 'binary' : 'grapheme', maxLength: 12 });
  const version = fc.integer({ min: 0, max: 1_000_000 });
  // Timestamps travel as ISO-8601 strings, so only millisecond instants survive, in any year Date allows.
  const timestamp = fc.date({ min: new Date(-8.64e15), max: new Date(8.64e15), noInvalidDate: true });
  const event = fc
    .record({
      name: text.filter((s) => s.length > 0),
      timestamp,
      version,
      domain: optional(text),
      subject: optional(text),
      publisher: optional(text),
      attributes: data,
    })
    .map(dropUndefined);
  const object = fc
    .record({ current: data, previous: optional(data), type: optional(text), id: optional(text), version })
    .map(dropUndefined);
  return fc
    .record({ event, object: optional(object), extra: data })
    .map(({ event, object, extra }) => dropUndefined({ protocol: 'mega' as const, version: 1 as const, event, object, extra }) as MegaPayload);
}

// A data object that happens to look like a MEGA payload or an SNS envelope is read as one, by design.
const ordinaryData = (value: DataObject) => !isMegaTagged(value) && typeof value.Type !== 'string';

describe('codec: encode then decode gives the payload back', () => {
  for (const target of ['json', 'bson'] as const) {
    const binaryEncoding = target === 'bson';

    it(`data objects through ${target.toUpperCase()}`, () => {
      fc.assert(
        fc.property(dataObject(target), (value) => {
          fc.pre(ordinaryData(value));
          const decoded = decodeBody(encodePayload(value, { binaryEncoding }));
          expect(decoded).to.deep.equal({ kind: 'data', encoding: target, payload: value });
        }),
        { numRuns: 200 },
      );
    });

    it(`MEGA payloads through ${target.toUpperCase()}`, () => {
      fc.assert(
        fc.property(megaPayload(target), (payload) => {
          const decoded = decodeBody(encodePayload(payload, { binaryEncoding }));
          expect(decoded).to.deep.equal({ kind: 'mega', encoding: target, payload });
        }),
        { numRuns: 200 },
      );
    });
  }

  it('binary blobs and plaintext', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 64 }), (bytes) => {
        const decoded = decodeBody(encodePayload(bytes));
        // Bytes that happen to frame a BSON document would be read as one: vanishingly rare, excluded.
        fc.pre(decoded.kind !== 'data' && decoded.kind !== 'invalid');
        expect(decoded).to.deep.equal({ kind: 'binary', encoding: 'blob', payload: bytes });
      }),
    );
    expect(decodeBody(encodePayload('hello world!'))).to.deep.equal({ kind: 'plaintext', encoding: 'text', payload: 'hello world!' });
  });
});
