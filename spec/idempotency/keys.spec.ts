import { expect } from 'chai';
import { decodeBody } from '../../src/codec/body.js';
import { encodePayload } from '../../src/codec/encode.js';
import type { MessageContext } from '../../src/dispatch/context.js';
import { canonical, keyOf, payloadHash } from '../../src/idempotency/keys.js';
import { PayloadBuilder } from '../../src/protocol/builder.js';

const at = new Date('2024-05-01T10:00:00.123Z');
const mega = () =>
  new PayloadBuilder()
    .withEvent({ name: 'item.added', domain: 'cart', timestamp: at, item_id: 'x', quantity: 5 })
    .withObject({ id: '18a3', current: { items: [1, 2], total: 10 } })
    .build();
const hashOf = (body: string) => payloadHash(decodeBody(body));
const contextOf = (body: string, messageId = 'm-1'): MessageContext => ({
  messageId, receiveCount: 1, messageAttributes: {}, decoded: decodeBody(body), signal: new AbortController().signal,
});

describe('idempotency/keys: what makes two messages the same', () => {
  it('hashes the same payload the same whatever its key order', () => {
    expect(hashOf('{"b":1,"a":{"y":[1,{"q":2,"p":3}],"x":"s"}}')).to.equal(hashOf('{"a":{"x":"s","y":[1,{"p":3,"q":2}]},"b":1}'));
    expect(hashOf('{"a":1,"b":2}')).to.not.equal(hashOf('{"a":2,"b":1}'));
  });

  it('hashes a MEGA payload the same sent as JSON or as BSON, and through an SNS envelope', () => {
    const json = encodePayload(mega());
    const bson = encodePayload(mega(), { binaryEncoding: true });
    expect(decodeBody(bson).encoding).to.equal('bson');
    expect(hashOf(json)).to.match(/^sha256:[0-9a-f]{64}$/);
    expect(hashOf(bson)).to.equal(hashOf(json));
    const envelope = JSON.stringify({ Type: 'Notification', MessageId: 'sns-1', TopicArn: 'arn:aws:sns:us-east-1:1:t', Message: json, Timestamp: '2024-05-01T10:00:01Z' });
    expect(decodeBody(envelope).envelope).to.not.equal(undefined);
    expect(hashOf(envelope)).to.equal(hashOf(json));
  });

  it('tells payloads apart by kind and content; a body that did not decode has no hash', () => {
    expect(hashOf('hello')).to.not.equal(hashOf('"hello"'));
    expect(hashOf(encodePayload({ ...mega(), extra: { n: 1 } }))).to.not.equal(hashOf(encodePayload(mega())));
    expect(hashOf('{"protocol":"mega","version":1,"event":{"name":"x"}}')).to.equal(undefined);
  });

  it('writes BSON values as their JSON encoding writes them', () => {
    expect(canonical({ d: at, n: 12n, b: new Uint8Array([1, 2]), u: undefined, z: [undefined] })).to.equal('{"b":"AQI=","d":"2024-05-01T10:00:00.123Z","n":12,"z":[null]}');
  });

  it('keys by message id by default, by payload, or by a function; no key when the function gives none', () => {
    const body = '{"order":7}';
    expect(keyOf('messageId', contextOf(body, 'abc'))).to.equal('id:abc');
    expect(keyOf('payloadHash', contextOf(body, 'abc'))).to.equal(keyOf('payloadHash', contextOf(body, 'other')));
    const byOrder = (decoded: MessageContext['decoded']) => (decoded.kind === 'data' ? `order:${String(decoded.payload['order'])}` : undefined);
    expect(keyOf(byOrder, contextOf(body))).to.equal('order:7');
    expect(keyOf(byOrder, contextOf('plain text'))).to.equal(undefined);
    expect(keyOf(() => '', contextOf(body))).to.equal(undefined);
  });
});
