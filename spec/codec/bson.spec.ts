import { expect } from 'chai';
import { Binary, BSONRegExp, BSONSymbol, Code, DBRef, Decimal128, Long, MaxKey, MinKey, ObjectId, serialize, Timestamp } from 'bson';
import { decodeBody } from '../../src/codec/body.js';
import { decodeBsonDocument, looksLikeBsonDocument } from '../../src/codec/bson.js';
import type { Decoded } from '../../src/codec/decoded.js';
import { DecodeError } from '../../src/codec/errors.js';
import { MAX_DEPTH } from '../../src/codec/limits.js';
import { deepBsonBase64 } from './hostile-bodies.js';

const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const bsonBody = (document: Record<string, unknown>) => base64(serialize(document));

function invalidError(decoded: Decoded): DecodeError {
  if (decoded.kind !== 'invalid') expect.fail(`expected invalid, got ${decoded.kind}`);
  expect(decoded.encoding).to.equal('bson');
  expect(decoded.error).to.be.instanceOf(DecodeError);
  return decoded.error as DecodeError;
}

describe('codec/bson', () => {
  it('reads plain BSON values as plain JavaScript values', () => {
    const id = new ObjectId('5f0c2d5e9b1e8a3d4c2b1a09');
    const date = new Date('2020-05-04T15:53:27.823Z');
    const decoded = decodeBody(
      bsonBody({
        i32: 7,
        dbl: 2.5,
        small64: Long.fromNumber(2 ** 40),
        big64: Long.fromString('9007199254740993'),
        dec: Decimal128.fromString('19.99'),
        id,
        bin: new Binary(new Uint8Array([1, 2, 3])),
        date,
        nothing: null,
        flag: true,
        list: ['a', { b: 1 }],
      }),
    );
    expect(decoded).to.deep.equal({
      kind: 'data',
      encoding: 'bson',
      payload: {
        i32: 7,
        dbl: 2.5,
        small64: 2 ** 40,
        big64: 9007199254740993n,
        dec: '19.99',
        id: '5f0c2d5e9b1e8a3d4c2b1a09',
        bin: new Uint8Array([1, 2, 3]),
        date,
        nothing: null,
        flag: true,
        list: ['a', { b: 1 }],
      },
    });
  });

  it('rejects types that are not plain data, naming the type and the path', () => {
    const cases: [Record<string, unknown>, RegExp, string][] = [
      [{ user: { script: new Code('process.exit(1)') } }, /JavaScript code at user\.script/, 'user.script'],
      [{ f: new Code('x', { a: 1 }) }, /JavaScript code with scope at f/, 'f'],
      [{ list: [1, new BSONRegExp('a+', 'i')] }, /regular expression at list\.1/, 'list.1'],
      [{ s: new BSONSymbol('sym') }, /symbol at s/, 's'],
      [{ t: new Timestamp({ t: 1, i: 2 }) }, /timestamp at t/, 't'],
      [{ lo: new MinKey() }, /MinKey at lo/, 'lo'],
      [{ hi: new MaxKey() }, /MaxKey at hi/, 'hi'],
      [{ ref: new DBRef('users', new ObjectId()) }, /DBRef at ref/, 'ref'],
    ];
    for (const [document, message, path] of cases) {
      const error = invalidError(decodeBody(bsonBody(document)));
      expect(error.message).to.match(message).and.match(/not plain data/);
      expect(error.path).to.equal(path);
    }
  });

  it('rejects a hand-made DBPointer', () => {
    // {p: DBPointer("c", 12 zero bytes)}
    const bytes = Buffer.from([0x1c, 0, 0, 0, 0x0c, 0x70, 0, 2, 0, 0, 0, 0x63, 0, ...new Array<number>(12).fill(0), 0]);
    bytes.writeInt32LE(bytes.length, 0);
    expect(invalidError(decodeBody(base64(bytes))).message).to.match(/DBPointer at p/);
  });

  it('rejects invalid UTF-8 in strings and keys', () => {
    const badString = Buffer.from([0, 0, 0, 0, 0x02, 0x73, 0, 2, 0, 0, 0, 0xff, 0, 0]);
    badString.writeInt32LE(badString.length, 0);
    expect(invalidError(decodeBody(base64(badString))).message).to.match(/UTF-8/);
    const badKey = Buffer.from([0, 0, 0, 0, 0x0a, 0xc3, 0x28, 0, 0]);
    badKey.writeInt32LE(badKey.length, 0);
    expect(invalidError(decodeBody(base64(badKey))).message).to.match(/key is not valid UTF-8/);
  });

  it('reads truncated BSON as a binary blob: without its frame it is just bytes', () => {
    const whole = serialize({ foo: 'bar', n: 1 });
    const truncated = whole.subarray(0, whole.length - 4);
    expect(looksLikeBsonDocument(truncated)).to.equal(false);
    expect(decodeBody(base64(truncated))).to.deep.equal({ kind: 'binary', encoding: 'blob', payload: new Uint8Array(truncated) });
  });

  it('makes a framed document with broken insides invalid', () => {
    const broken = Buffer.from(serialize({ foo: 'bar' }));
    broken.writeInt32LE(1000, 9); // the string length now runs past the document
    expect(invalidError(decodeBody(base64(broken))).message).to.match(/malformed BSON at foo: string length/);
    const unknownType = Buffer.from(serialize({ foo: 1 }));
    unknownType[4] = 0x42;
    expect(invalidError(decodeBody(base64(unknownType))).message).to.match(/unknown element type 0x42/);
    const badBoolean = Buffer.from(serialize({ b: true }));
    badBoolean[7] = 2;
    expect(invalidError(decodeBody(base64(badBoolean))).message).to.match(/boolean/);
    const badEmbedded = Buffer.from(serialize({ d: { x: 1 } }));
    badEmbedded.writeInt32LE(3, 7);
    expect(invalidError(decodeBody(base64(badEmbedded))).message).to.match(/embedded document length/);
  });

  it('rejects a datetime outside the range of Date', () => {
    const bytes = Buffer.from(serialize({ d: new Date(0) }));
    bytes.writeBigInt64LE(2n ** 62n, 7);
    expect(invalidError(decodeBody(base64(bytes))).message).to.match(/datetime at d is out of range/);
  });

  it(`accepts nesting up to MAX_DEPTH (${MAX_DEPTH}) and rejects deeper documents without recursion`, () => {
    expect(decodeBody(deepBsonBase64(MAX_DEPTH)).kind).to.equal('data');
    expect(invalidError(decodeBody(deepBsonBase64(MAX_DEPTH + 1))).message).to.match(new RegExp(`deeper than ${MAX_DEPTH} levels`));
    expect(invalidError(decodeBody(deepBsonBase64(50_000))).message).to.match(/MAX_DEPTH/);
  });

  it('keeps a __proto__ key as data', () => {
    const bytes = serialize(JSON.parse('{"__proto__":{"polluted":1},"a":1}') as Record<string, unknown>);
    const document = decodeBsonDocument(bytes);
    expect(Object.getPrototypeOf(document)).to.equal(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(document, '__proto__')?.value).to.deep.equal({ polluted: 1 });
    expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
  });
});
