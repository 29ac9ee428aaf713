import { expect } from 'chai';
import { queueUrlFromArn, snsRecordToMessage, sqsRecordToMessage } from '../../src/lambda/events.js';
import { snsRecord, sqsRecord } from './fixtures.js';

describe('lambda/events', () => {
  it('reads an SQS record as the SDK message the listener would have received', () => {
    const record = sqsRecord('m1', 'hello', {
      receiveCount: 2,
      group: 'g1',
      attributes: {
        tenant: { stringValue: 'acme', stringListValues: [], binaryListValues: [], dataType: 'String' },
        blob: { binaryValue: Buffer.from([1, 2, 3]).toString('base64'), stringListValues: [], binaryListValues: [], dataType: 'Binary' },
      },
    });
    const message = sqsRecordToMessage(record);
    expect(message.MessageId).to.equal('m1');
    expect(message.ReceiptHandle).to.equal(record.receiptHandle);
    expect(message.Body).to.equal('hello');
    expect(message.Attributes).to.include({ ApproximateReceiveCount: '2', SentTimestamp: '1545082649183', MessageGroupId: 'g1' });
    expect(message.MessageAttributes?.['tenant']).to.deep.equal({ DataType: 'String', StringValue: 'acme' });
    expect([...(message.MessageAttributes?.['blob']?.BinaryValue ?? [])]).to.deep.equal([1, 2, 3]);
  });

  it('converts the attributes once, when first read: each read gives the same objects', () => {
    const message = sqsRecordToMessage(sqsRecord('m1', 'x', { receiveCount: 3 }));
    expect(message.MessageAttributes).to.equal(message.MessageAttributes);
    expect(message.Attributes).to.equal(message.Attributes);
    expect(message.Attributes?.['ApproximateReceiveCount']).to.equal('3');
  });

  it('keeps hostile attribute names as own properties and skips malformed values', () => {
    const record = sqsRecord('m1', 'x');
    record.messageAttributes = JSON.parse('{"__proto__":{"stringValue":"p","dataType":"String"},"bad":null}') as typeof record.messageAttributes;
    const message = sqsRecordToMessage(record);
    expect(Object.getPrototypeOf(message.MessageAttributes)).to.equal(Object.prototype);
    expect(Object.keys(message.MessageAttributes ?? {})).to.deep.equal(['__proto__']);
    expect(({} as Record<string, unknown>)['stringValue']).to.equal(undefined);
  });

  it('reads an SNS record as a first delivery of the published body, with its attributes', () => {
    const message = snsRecordToMessage(snsRecord('s1', '{"a":1}', { tenant: { Type: 'String', Value: 'acme' }, raw: { Type: 'Binary', Value: 'AQI=' } }));
    expect(message).to.deep.include({ MessageId: 's1', Body: '{"a":1}' });
    expect(message.Attributes).to.deep.equal({ SentTimestamp: String(Date.parse('2019-01-02T12:45:07.000Z')), ApproximateReceiveCount: '1' });
    expect(message.MessageAttributes?.['tenant']).to.deep.equal({ DataType: 'String', StringValue: 'acme' });
    expect([...(message.MessageAttributes?.['raw']?.BinaryValue ?? [])]).to.deep.equal([1, 2]);
  });

  it('derives the queue URL from the event source ARN, and refuses what is not an SQS queue ARN', () => {
    expect(queueUrlFromArn('arn:aws:sqs:us-east-2:123456789012:my-queue')).to.equal('https://sqs.us-east-2.amazonaws.com/123456789012/my-queue');
    expect(queueUrlFromArn('arn:aws:sqs:eu-west-1:123456789012:orders.fifo')).to.equal('https://sqs.eu-west-1.amazonaws.com/123456789012/orders.fifo');
    expect(queueUrlFromArn('arn:aws-cn:sqs:cn-north-1:123456789012:q')).to.equal('https://sqs.cn-north-1.amazonaws.com.cn/123456789012/q');
    for (const arn of ['', 'arn:aws:sns:us-east-1:123456789012:t', 'arn:aws:sqs:us-east-1:12:q', 'arn:aws:sqs:us-east-1:123456789012:', 'arn:aws:sqs::123456789012:q']) {
      expect(queueUrlFromArn(arn), arn).to.equal(undefined);
    }
  });
});
