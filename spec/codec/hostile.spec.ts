import { expect } from 'chai';
import { Code, serialize } from 'bson';
import { decodeBody } from '../../src/codec/body.js';
import type { Decoded } from '../../src/codec/decoded.js';
import { MAX_BODY_BYTES, MAX_DEPTH } from '../../src/codec/limits.js';
import { deepBsonBase64, deepJson, deepJsonArrays } from './hostile-bodies.js';

const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

function base64Garbage(bytes: number): string {
  const data = Buffer.alloc(bytes);
  for (let i = 0; i < bytes; i++) data[i] = (i * 7919 + 13) & 0xff;
  return data.toString('base64');
}

function expectInvalid(decoded: Decoded, message: RegExp): void {
  expect(decoded.kind).to.equal('invalid');
  if (decoded.kind === 'invalid') expect(decoded.error.message).to.match(message);
}

describe('codec: hostile bodies', () => {
  const prototypeKeys = Object.getOwnPropertyNames(Object.prototype).sort();

  afterEach(() => {
    expect(({} as Record<string, unknown>).x).to.equal(undefined);
    expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).to.deep.equal(prototypeKeys);
  });

  it('empty: invalid', () => {
    expectInvalid(decodeBody(''), /body is empty/);
  });

  it('whitespace only: plaintext', () => {
    expect(decodeBody(' \n\t ')).to.deep.equal({ kind: 'plaintext', encoding: 'text', payload: ' \n\t ' });
  });

  it('10k-deep JSON objects and arrays: invalid, naming the limit', () => {
    expectInvalid(decodeBody(deepJson(10_000)), new RegExp(`deeper than ${MAX_DEPTH} levels`));
    expectInvalid(decodeBody(deepJsonArrays(10_000)), /MAX_DEPTH/);
    expect(decodeBody(deepJson(MAX_DEPTH)).kind).to.equal('data');
    expectInvalid(decodeBody(deepJson(MAX_DEPTH + 1)), /MAX_DEPTH/);
  });

  it('400k-deep JSON arrays near the size limit: invalid, no stack overflow', () => {
    expectInvalid(decodeBody(deepJsonArrays(400_000)), /MAX_DEPTH/);
  });

  it('10k-deep BSON: invalid', () => {
    expectInvalid(decodeBody(deepBsonBase64(10_000)), /deeper than 100 levels/);
  });

  it('more than 1 MiB of base64 garbage: invalid, giving size and limit', () => {
    const body = base64Garbage(800_000);
    expect(body.length).to.be.greaterThan(MAX_BODY_BYTES);
    expectInvalid(decodeBody(body), new RegExp(`body is ${body.length} characters, over the ${MAX_BODY_BYTES}-byte limit`));
  });

  it('a body of exactly MAX_BODY_BYTES is decoded; one byte more is invalid', () => {
    expect(decodeBody(`${'a'.repeat(MAX_BODY_BYTES - 1)}!`).kind).to.equal('plaintext');
    expectInvalid(decodeBody('a'.repeat(MAX_BODY_BYTES + 1)), /over the 1048576-byte limit/);
  });

  it('base64 garbage just under the limit: a binary blob', () => {
    const body = base64Garbage(786_000);
    expect(body.length).to.be.at.most(MAX_BODY_BYTES);
    const decoded = decodeBody(body);
    expect(decoded.kind).to.equal('binary');
    if (decoded.kind === 'binary') expect(decoded.payload.length).to.equal(786_000);
  });

  it('a body under the limit in characters but over it in UTF-8 bytes: invalid', () => {
    const body = `{"text":"${'é'.repeat(600_000)}"}`;
    expect(body.length).to.be.lessThan(MAX_BODY_BYTES);
    expectInvalid(decodeBody(body), /body is 1200011 bytes, over the 1048576-byte limit/);
  });

  it('truncated BSON: a binary blob; BSON with code or regex: invalid', () => {
    const whole = serialize({ a: 'b', list: [1, 2, 3] });
    expect(decodeBody(base64(whole.subarray(0, 17))).kind).to.equal('binary');
    expectInvalid(decodeBody(base64(serialize({ run: new Code('globalThis.x = 1') }))), /JavaScript code at run is not plain data/);
    expectInvalid(decodeBody(base64(serialize({ re: /(a+)+$/ }))), /regular expression at re/);
  });

  it('lone surrogates: decoded safely as text or data', () => {
    expect(decodeBody('\ud800')).to.deep.equal({ kind: 'plaintext', encoding: 'text', payload: '\ud800' });
    expect(decodeBody('abc\udfffdef').kind).to.equal('plaintext');
    expect(decodeBody('{"s":"\\ud800"}')).to.deep.equal({ kind: 'data', encoding: 'json', payload: { s: '\ud800' } });
    expect(decodeBody('{"s":"\ud800"}')).to.deep.equal({ kind: 'data', encoding: 'json', payload: { s: '\ud800' } });
  });

  it('{"__proto__":{"x":1}}: data with an own __proto__ key, prototypes untouched', () => {
    const decoded = decodeBody('{"__proto__":{"x":1}}');
    expect(decoded.kind).to.equal('data');
    if (decoded.kind !== 'data') return;
    expect(Object.getPrototypeOf(decoded.payload)).to.equal(Object.prototype);
    expect(Object.keys(decoded.payload)).to.deep.equal(['__proto__']);
  });

  it('constructor and prototype keys stay data', () => {
    const decoded = decodeBody('{"constructor":{"prototype":{"x":1}},"prototype":{"x":1}}');
    expect(decoded.kind).to.equal('data');
  });

  it('a MEGA event with __proto__ and constructor keys: attributes hold them as data', () => {
    const body = '{"protocol":"mega","version":1,"event":{"name":"n","timestamp":"2020-01-01","__proto__":{"x":1},"constructor":{"prototype":{"x":1}}}}';
    const decoded = decodeBody(body);
    expect(decoded.kind).to.equal('mega');
    if (decoded.kind !== 'mega') return;
    expect(Object.keys(decoded.payload.event.attributes)).to.have.members(['__proto__', 'constructor']);
    expect(Object.getPrototypeOf(decoded.payload.event.attributes)).to.equal(Object.prototype);
  });

  it('an SNS envelope wrapping a hostile message: the same verdicts', () => {
    const wrap = (message: string) =>
      JSON.stringify({ Type: 'Notification', MessageId: 'm', TopicArn: 't', Message: message, Timestamp: '2026-01-01T00:00:00Z' });
    expectInvalid(decodeBody(wrap(deepJson(5_000))), /MAX_DEPTH/);
    expectInvalid(decodeBody(wrap(deepBsonBase64(5_000))), /MAX_DEPTH/);
    expect(decodeBody(wrap('{"__proto__":{"x":1}}')).kind).to.equal('data');
  });

  it('never throws on random garbage', () => {
    for (let n = 0; n < 300; n++) {
      const length = (n * 37) % 200;
      const chars = Array.from({ length }, (_, i) => String.fromCharCode((n * 31 + i * 17) % 0x10000));
      const decoded = decodeBody(chars.join(''));
      expect(['plaintext', 'binary', 'data', 'invalid', 'mega']).to.include(decoded.kind);
    }
  });
});
