import type { Message } from '@aws-sdk/client-sqs';
import { expect } from 'chai';
import { decodeBody } from '../../src/codec/body.js';
import { contextFor } from '../../src/consume/message-context.js';
import { MessageAbort } from '../../src/consume/message-abort.js';

const envelope = (message: string) =>
  JSON.stringify({ Type: 'Notification', MessageId: 'n1', TopicArn: 'arn:aws:sns:us-east-1:123456789012:t', Message: message, Timestamp: '2026-01-01T00:00:00.000Z', SignatureVersion: '1', Signature: 'x', SigningCertURL: 'https://x', UnsubscribeURL: 'https://x', MessageAttributes: { tenant: { Type: 'String', Value: 'from-sns' }, region: { Type: 'String', Value: 'eu' } } });

describe('consume/message-context', () => {
  it('gives the receive count, send time and string attributes of the message (SNS envelope first, then its own)', () => {
    const message: Message = {
      MessageId: 'm1',
      Body: envelope('{"a":1}'),
      Attributes: { ApproximateReceiveCount: '3', SentTimestamp: '1767225600000' },
      MessageAttributes: { tenant: { DataType: 'String', StringValue: 'own' }, raw: { DataType: 'Binary', BinaryValue: new Uint8Array([1, 2]) } },
    };
    const context = contextFor(message, 'm1', decodeBody, new MessageAbort(), 'http://127.0.0.1/000000000000/q');
    expect(context.receiveCount).to.equal(3);
    expect(context.sentAt?.toISOString()).to.equal('2026-01-01T00:00:00.000Z');
    expect(context.messageAttributes).to.deep.equal({ tenant: 'own', region: 'eu', raw: 'AQI=' });
    // Worked out when first read, then the same objects.
    expect(context.sentAt).to.equal(context.sentAt);
    expect(context.messageAttributes).to.equal(context.messageAttributes);
    expect(context.decoded.kind).to.equal('data');
  });

  it('has no send time when the message gives none, and a receive count of 1 when it gives none', () => {
    const context = contextFor({ MessageId: 'm1', Body: 'hi' }, 'm1', decodeBody, new MessageAbort());
    expect(context.sentAt).to.equal(undefined);
    expect(context.receiveCount).to.equal(1);
    expect(context.messageAttributes).to.deep.equal({});
  });
});
