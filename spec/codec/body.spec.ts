import { expect } from 'chai';
import { decodeBody, decodeObject } from '../../src/codec/body.js';
import type { Decoded } from '../../src/codec/decoded.js';
import { DecodeError } from '../../src/codec/errors.js';
import { MegaSchemaError } from '../../src/protocol/errors.js';

const mega = { protocol: 'mega', version: 1, event: { name: 'x.y', timestamp: '2020-05-04T15:53:27.823' } };

function invalidError(decoded: Decoded): Error {
  if (decoded.kind !== 'invalid') expect.fail(`expected invalid, got ${decoded.kind}`);
  return decoded.error;
}

describe('codec/body', () => {
  describe('decodeBody on raw bodies', () => {
    it('reads a JSON object as data, with or without leading whitespace', () => {
      expect(decodeBody('{"a":1,"b":[true,null]}')).to.deep.equal({ kind: 'data', encoding: 'json', payload: { a: 1, b: [true, null] } });
      expect(decodeBody(' \n\t{"a":1}\n')).to.deep.equal({ kind: 'data', encoding: 'json', payload: { a: 1 } });
    });

    it('reads a MEGA-tagged JSON object as a MEGA payload', () => {
      const decoded = decodeBody(JSON.stringify(mega));
      expect(decoded.kind).to.equal('mega');
      expect(decoded.encoding).to.equal('json');
      if (decoded.kind === 'mega') expect(decoded.payload.event.timestamp.toISOString()).to.equal('2020-05-04T15:53:27.823Z');
    });

    it('makes a MEGA-tagged object that fails the schema invalid, naming the field', () => {
      const body = JSON.stringify({ ...mega, event: { ...mega.event, name: '' } });
      const decoded = decodeBody(body);
      const error = invalidError(decoded);
      expect(error).to.be.instanceOf(MegaSchemaError).with.property('path', 'event.name');
      expect(decoded).to.include({ encoding: 'json', body });
    });

    it('reads an object tagged with another protocol version as data', () => {
      expect(decodeBody('{"protocol":"mega","version":2}').kind).to.equal('data');
    });

    it('reads JSON that is not an object as plaintext', () => {
      for (const body of ['42', '1234', '[1,2]', '"quoted"', 'true', 'null', '-1.5e3']) {
        expect(decodeBody(body), body).to.deep.equal({ kind: 'plaintext', encoding: 'text', payload: body });
      }
    });

    it('reads strict base64 that is not a BSON document as a binary blob', () => {
      const decoded = decodeBody('AQIDBA==');
      expect(decoded).to.deep.equal({ kind: 'binary', encoding: 'blob', payload: new Uint8Array([1, 2, 3, 4]) });
      if (decoded.kind === 'binary') expect(Buffer.isBuffer(decoded.payload)).to.equal(false);
    });

    it('reads anything else as plaintext, including almost-base64', () => {
      for (const body of ['hello world!', 'AQIDBA=', 'AQID BA==', 'AQIDBA===', '-_-_', '{not json', '   ']) {
        expect(decodeBody(body), body).to.deep.equal({ kind: 'plaintext', encoding: 'text', payload: body });
      }
    });

    it('never throws, even for a non-string body', () => {
      expect(invalidError(decodeBody(undefined as unknown as string))).to.be.instanceOf(DecodeError);
      expect(invalidError(decodeBody(42 as unknown as string)).message).to.match(/not a string/);
      expect(invalidError(decodeBody(Object.create(null) as string)).message).to.match(/object, not a string/);
      const bare = Object.assign(Object.create(null) as Record<string, unknown>, { protocol: 'mega', version: 1 });
      expect(invalidError(decodeObject(bare)).message).to.match(/^event: /);
    });
  });

  describe('decodeBody on SNS envelopes', () => {
    const envelope = (message: string, extra: Record<string, unknown> = {}) =>
      JSON.stringify({
        Type: 'Notification',
        MessageId: 'm-1',
        TopicArn: 'arn:aws:sns:us-east-1:000000000000:t',
        Subject: null,
        Message: message,
        Timestamp: '2026-01-01T00:00:00.000Z',
        SignatureVersion: '1',
        ...extra,
      });
    const meta = { type: 'Notification', messageId: 'm-1', topicArn: 'arn:aws:sns:us-east-1:000000000000:t', timestamp: '2026-01-01T00:00:00.000Z' };

    it('unwraps a compact envelope (as local emulators write it) and decodes its Message like a raw body', () => {
      expect(decodeBody(envelope('{"a":1}'))).to.deep.equal({ kind: 'data', encoding: 'json', payload: { a: 1 }, envelope: meta });
      expect(decodeBody(envelope('hi'))).to.deep.equal({ kind: 'plaintext', encoding: 'text', payload: 'hi', envelope: meta });
      expect(decodeBody(envelope('AQID'))).to.deep.equal({ kind: 'binary', encoding: 'blob', payload: new Uint8Array([1, 2, 3]), envelope: meta });
      expect(decodeBody(envelope(JSON.stringify(mega))).kind).to.equal('mega');
    });

    it('keeps the subject and well-formed message attributes', () => {
      const decoded = decodeBody(
        envelope('x', {
          Subject: 'Hello',
          MessageAttributes: { color: { Type: 'String', Value: 'red' }, bad: { Type: 1 } },
        }),
      );
      expect(decoded.envelope).to.deep.equal({ ...meta, subject: 'Hello', messageAttributes: { color: { Type: 'String', Value: 'red' } } });
    });

    it('keeps a __proto__ message attribute as an own property, never as a prototype', () => {
      const body = envelope('x', { MessageAttributes: JSON.parse('{"__proto__":{"Type":"String","Value":"p"}}') });
      expect(body).to.contain('"MessageAttributes":{"__proto__":{"Type":"String","Value":"p"}}');
      const attributes = decodeBody(body).envelope?.messageAttributes;
      expect(Object.getPrototypeOf(attributes)).to.equal(Object.prototype);
      expect(Object.getOwnPropertyDescriptor(attributes, '__proto__')?.value).to.deep.equal({ Type: 'String', Value: 'p' });
      expect(({} as Record<string, unknown>).Type).to.equal(undefined);
    });

    it('recognises subscription confirmations', () => {
      const decoded = decodeBody(envelope('You have chosen to subscribe', { Type: 'SubscriptionConfirmation', Token: 't' }));
      expect(decoded.kind).to.equal('plaintext');
      expect(decoded.envelope?.type).to.equal('SubscriptionConfirmation');
    });

    it('reports an invalid message with the envelope and the whole body', () => {
      const body = envelope(JSON.stringify({ ...mega, event: {} }));
      const decoded = decodeBody(body);
      expect(invalidError(decoded)).to.be.instanceOf(MegaSchemaError);
      expect(decoded).to.include({ body });
      expect(decoded.envelope).to.deep.equal(meta);
    });

    it('does not unwrap an envelope inside an envelope', () => {
      const inner = envelope('{"a":1}');
      const decoded = decodeBody(envelope(inner));
      expect(decoded.kind).to.equal('data');
      if (decoded.kind === 'data') expect(decoded.payload.Type).to.equal('Notification');
    });

    it('treats an object missing envelope fields as data', () => {
      for (const body of ['{"Type":"Notification","MessageId":"m"}', '{"Type":"Other","MessageId":"m","TopicArn":"t","Message":"x","Timestamp":"t"}', '{"Type":"Notification","MessageId":"m","TopicArn":"t","Message":{},"Timestamp":"t"}']) {
        const decoded = decodeBody(body);
        expect(decoded.kind, body).to.equal('data');
        expect(decoded.envelope).to.equal(undefined);
      }
    });
  });

  describe('decodeObject', () => {
    it('classifies already-parsed objects like decoded JSON bodies', () => {
      expect(decodeObject({ a: 1 })).to.deep.equal({ kind: 'data', encoding: 'json', payload: { a: 1 } });
      expect(decodeObject({ a: 1 }, 'bson').encoding).to.equal('bson');
      const decoded = decodeObject(mega);
      expect(decoded.kind).to.equal('mega');
      if (decoded.kind === 'mega') expect(decoded.payload.event.timestamp).to.be.instanceOf(Date);
    });

    it('returns invalid, never throws, for bad MEGA objects, non-objects and cycles', () => {
      expect(invalidError(decodeObject({ protocol: 'mega', version: 1 }))).to.be.instanceOf(MegaSchemaError);
      expect(invalidError(decodeObject([] as unknown as Record<string, unknown>)).message).to.match(/not a plain object/);
      const cyclic: Record<string, unknown> = {};
      cyclic.self = cyclic;
      expect(invalidError(decodeObject(cyclic)).message).to.match(/deeper than 100/);
    });
  });
});
