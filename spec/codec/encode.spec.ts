import { expect } from 'chai';
import { BSONRegExp, Code, deserialize, Long } from 'bson';
import { decodeBody } from '../../src/codec/body.js';
import { encodePayload } from '../../src/codec/encode.js';
import { EncodeError } from '../../src/codec/errors.js';
import { MAX_DEPTH } from '../../src/codec/limits.js';
import { PayloadBuilder } from '../../src/protocol/builder.js';
import { MegaSchemaError } from '../../src/protocol/errors.js';

const PYTHON_BSON =
  'cwAAAAJ0eXBlABIAAAB1c2VyX25vdGlmaWNhdGlvbgACbm90aWZpY2F0aW9uX3R5cGUABgAAAGVtYWlsAAN1c2VyAC8AAAAQaWQAAhIPAAJlbWFpbAAXAAAAam9obmRvZV84NkBleGFtcGxlLmNvbQAAAA==';

const payload = () =>
  new PayloadBuilder()
    .withEvent({ name: 'item.added', domain: 'cart', timestamp: '2020-05-04T15:53:27.823', item_id: 'x' })
    .withObject({ current: { n: 1 } })
    .build();

describe('codec/encode', () => {
  it('writes a data object as BSON exactly as the Python implementation does', () => {
    const data = { type: 'user_notification', notification_type: 'email', user: { id: 987650, email: 'johndoe_86@example.com' } };
    expect(encodePayload(data, { binaryEncoding: true })).to.equal(PYTHON_BSON);
  });

  it('writes data objects as JSON by default, keeping key order', () => {
    expect(encodePayload({ b: 1, a: [true, null, 'x'], d: new Date(0) })).to.equal('{"b":1,"a":[true,null,"x"],"d":"1970-01-01T00:00:00.000Z"}');
  });

  it('writes a MEGA payload in its wire form, as JSON or BSON', () => {
    const json = JSON.parse(encodePayload(payload())) as Record<string, unknown>;
    expect(json).to.deep.equal({
      protocol: 'mega',
      version: 1,
      event: { name: 'item.added', timestamp: '2020-05-04T15:53:27.823Z', version: 1, domain: 'cart', attributes: { item_id: 'x' } },
      object: { current: { n: 1 }, version: 1 },
    });
    const bson = deserialize(Buffer.from(encodePayload(payload(), { binaryEncoding: true }), 'base64'));
    expect(bson).to.deep.equal(json);
  });

  it('validates MEGA-tagged input before writing it', () => {
    expect(() => encodePayload({ protocol: 'mega', version: 1, event: { name: 'x' } })).to.throw(MegaSchemaError, /event\.timestamp/);
  });

  it('writes strings as they are and bytes as base64', () => {
    expect(encodePayload('hello world!')).to.equal('hello world!');
    expect(encodePayload(new Uint8Array([1, 2, 3]))).to.equal('AQID');
    expect(encodePayload(new Uint8Array([1, 2, 3]), { binaryEncoding: true })).to.equal('AQID');
    expect(() => encodePayload('hello', { binaryEncoding: true })).to.throw(EncodeError, /string payload cannot be binary encoded/);
  });

  it('writes integers beyond int32 as BSON int64, as Python does, and bigint too', () => {
    const body = encodePayload({ big: 2 ** 40, huge: 2n ** 60n, small: 5, frac: 1.5 }, { binaryEncoding: true });
    const raw = deserialize(Buffer.from(body, 'base64'), { promoteLongs: false });
    expect(raw.big).to.be.instanceOf(Long);
    expect(raw.huge).to.be.instanceOf(Long);
    expect(decodeBody(body)).to.deep.equal({ kind: 'data', encoding: 'bson', payload: { big: 2 ** 40, huge: 2n ** 60n, small: 5, frac: 1.5 } });
  });

  it('refuses what cannot be serialised, naming the path and the problem', () => {
    const cyclic: Record<string, unknown> = { a: {} };
    (cyclic.a as Record<string, unknown>).back = cyclic;
    let deep: Record<string, unknown> = {};
    for (let i = 0; i < MAX_DEPTH + 5; i++) deep = { d: deep };
    const cases: [unknown, boolean, RegExp, string | undefined][] = [
      [{ f: () => 1 }, false, /^f is a function/, 'f'],
      [{ list: [1, Symbol('s')] }, true, /^list\.1 is a symbol/, 'list.1'],
      [{ n: 10n }, false, /n is a bigint, which JSON cannot carry/, 'n'],
      [{ n: 2n ** 64n }, true, /outside the int64 range/, 'n'],
      [{ x: Number.NaN }, false, /x is NaN/, 'x'],
      [{ x: Infinity }, true, /x is Infinity/, 'x'],
      [{ bytes: new Uint8Array(1) }, false, /binary data, which JSON cannot carry/, 'bytes'],
      [{ m: new Map() }, false, /m is a Map, not a plain object/, 'm'],
      [{ d: new Date(Number.NaN) }, true, /invalid Date/, 'd'],
      [{ c: new Code('x') }, true, /BSON Code, which is not plain data/, 'c'],
      [{ r: new BSONRegExp('a') }, true, /BSON BSONRegExp/, 'r'],
      [{ link: { $ref: 'users', $id: 1 } }, true, /link has \$ref and \$id keys/, 'link'],
      [{ 'a\0b': 1 }, true, /BSON keys cannot hold NUL/, 'a\0b'],
      [{ s: 'x\ud800' }, true, /s holds a lone surrogate/, 's'],
      [cyclic, false, /^a\.back refers back to one of its parents \(a cycle\)/, 'a.back'],
      [deep, true, /deeper than 100 levels/, undefined],
      [42, false, /cannot encode number/, undefined],
      [null, false, /cannot encode null/, undefined],
      [[1], true, /cannot encode object/, undefined],
    ];
    for (const [value, binaryEncoding, message, path] of cases) {
      const attempt = () => encodePayload(value as Record<string, unknown>, { binaryEncoding });
      expect(attempt, String(message)).to.throw(EncodeError, message);
      if (path !== undefined) {
        try {
          attempt();
        } catch (error) {
          expect((error as EncodeError).path).to.equal(path);
        }
      }
    }
  });

  it('names the path of what JSON would lose, deep inside data and MEGA payloads alike', () => {
    let deep: Record<string, unknown> = {};
    for (let i = 0; i < MAX_DEPTH + 5; i++) deep = { d: deep };
    const mega = { ...payload(), object: { current: { lines: [{ qty: 1 }, { qty: Number.NaN }] } } };
    const cases: [unknown, RegExp, string | undefined][] = [
      [{ list: [1, Symbol('s')] }, /^list\.1 is a symbol/, 'list.1'],
      [{ a: { b: [{ x: Infinity }] } }, /^a\.b\.0\.x is Infinity/, 'a.b.0.x'],
      [{ when: [new Date(Number.NaN)] }, /^when\.0 is an invalid Date/, 'when.0'],
      [{ n: Long.fromNumber(1) }, /^n is a BSON Long, which is not plain data/, 'n'],
      [{ fake: { _bsontype: 'Long', low: 1 } }, /^fake is a BSON Long/, 'fake'],
      [{ c: new Code('x') }, /BSON Code, which is not plain data/, 'c'],
      [deep, /deeper than 100 levels/, undefined],
      [mega, /^object\.current\.lines\.1\.qty is NaN/, 'object.current.lines.1.qty'],
    ];
    for (const [value, message, path] of cases) {
      const attempt = () => encodePayload(value as Record<string, unknown>);
      expect(attempt, String(message)).to.throw(EncodeError, message);
      if (path !== undefined) {
        try {
          attempt();
        } catch (error) {
          expect((error as EncodeError).path).to.equal(path);
        }
      }
    }
  });

  it('writes null-prototype objects, dates and nested arrays as JSON', () => {
    const bare = Object.assign(Object.create(null) as Record<string, unknown>, { a: [[1, 'x', null, true]] });
    const when = new Date(Date.UTC(2020, 0, 2));
    expect(encodePayload({ bare, when, u: undefined })).to.equal('{"bare":{"a":[[1,"x",null,true]]},"when":"2020-01-02T00:00:00.000Z"}');
  });

  it('allows shared (non-cyclic) references and undefined properties', () => {
    const shared = { x: 1 };
    expect(encodePayload({ a: shared, b: shared, u: undefined })).to.equal('{"a":{"x":1},"b":{"x":1}}');
    expect(decodeBody(encodePayload({ a: shared, b: shared, u: undefined }, { binaryEncoding: true }))).to.deep.equal({
      kind: 'data',
      encoding: 'bson',
      payload: { a: { x: 1 }, b: { x: 1 } },
    });
  });

  it('copies a __proto__ key into BSON as data', () => {
    const value = JSON.parse('{"__proto__":{"polluted":1},"a":1}') as Record<string, unknown>;
    const decoded = decodeBody(encodePayload(value, { binaryEncoding: true }));
    expect(decoded.kind).to.equal('data');
    if (decoded.kind === 'data') expect(Object.getOwnPropertyDescriptor(decoded.payload, '__proto__')?.value).to.deep.equal({ polluted: 1 });
    expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
  });
});
