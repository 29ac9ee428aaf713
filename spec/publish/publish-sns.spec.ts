import { expect } from 'chai';
import { decodeBody } from '../../src/codec/body.js';
import { PayloadBuilder } from '../../src/protocol/builder.js';
import { SnsPublisher } from '../../src/publish/publish-sns.js';
import { PayloadTooLargeError, PublisherOptionsError } from '../../src/publish/publish-errors.js';
import { SNS_MAX_MESSAGE_BYTES } from '../../src/aws/limits.js';
import { startTestServer, type TestServer } from '../support/fauxqs.js';

const payload = new PayloadBuilder()
  .withEvent({ name: 'order.placed', domain: 'orders', timestamp: new Date('2024-01-02T03:04:05.678Z'), order_id: 'o-1', total: 19.5 })
  .withObject({ type: 'order', id: 'o-1', current: { total: 19.5 } })
  .build();

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

describe('SnsPublisher (against fauxqs)', () => {
  let server: TestServer;
  let topicArn: string;
  let rawQueue: string;
  let envelopeQueue: string;
  let publisher: SnsPublisher;

  before(async () => {
    server = await startTestServer();
  });
  beforeEach(async () => {
    topicArn = await server.createTopic('pub');
    rawQueue = await server.createQueue({ name: 'raw' });
    envelopeQueue = await server.createQueue({ name: 'env' });
    await server.subscribe(topicArn, rawQueue, { raw: true });
    await server.subscribe(topicArn, envelopeQueue, { raw: false });
    publisher = new SnsPublisher({ topicArn, endpoint: server.endpoint });
  });

  for (const binaryEncoding of [false, true]) {
    it(`delivers a MEGA payload (${binaryEncoding ? 'BSON' : 'JSON'}) raw and in the notification envelope`, async () => {
      const { messageId } = await publisher.publish(payload, { binaryEncoding, subject: 'Order placed', messageAttributes: { tenant: 'acme', n: 7 } });

      const [raw] = await server.receiveAll(rawQueue);
      const rawDecoded = decodeBody(raw?.Body ?? '');
      expect(rawDecoded).to.include({ kind: 'mega', encoding: binaryEncoding ? 'bson' : 'json' });
      expect(rawDecoded.kind === 'mega' && rawDecoded.payload).to.deep.equal(payload);
      expect(raw?.MessageAttributes?.tenant).to.include({ DataType: 'String', StringValue: 'acme' });
      expect(raw?.MessageAttributes?.n).to.include({ DataType: 'Number', StringValue: '7' });

      const [wrapped] = await server.receiveAll(envelopeQueue);
      const decoded = decodeBody(wrapped?.Body ?? '');
      expect(decoded.kind === 'mega' && decoded.payload).to.deep.equal(payload);
      expect(decoded.envelope).to.include({ type: 'Notification', messageId, topicArn, subject: 'Order placed' });
      expect(decoded.envelope?.messageAttributes?.tenant).to.deep.equal({ Type: 'String', Value: 'acme' });
    });
  }

  it('publishes data, text and bytes', async () => {
    await publisher.publish({ hello: 'world' });
    await publisher.publish('plain words');
    await publisher.publish(new Uint8Array([1, 2, 3]));
    const decoded = (await server.receiveAll(rawQueue, { min: 3 })).map((m) => decodeBody(m.Body ?? ''));
    expect(decoded.map((d) => d.kind)).to.deep.equal(['data', 'plaintext', 'binary']);
    expect(decoded.map((d) => ('payload' in d ? d.payload : undefined))).to.deep.equal([{ hello: 'world' }, 'plain words', new Uint8Array([1, 2, 3])]);
  });

  it('publishes to the topic named in the call', async () => {
    const other = await server.createTopic('other');
    const otherQueue = await server.createQueue();
    await server.subscribe(other, otherQueue, { raw: true });
    await publisher.publish('to other', { topicArn: other });
    expect((await server.receiveAll(otherQueue)).map((m) => m.Body)).to.deep.equal(['to other']);
    expect(await server.receiveAll(rawQueue, { min: 0 })).to.have.length(0);
  });

  it('refuses a message over 256 KiB before publishing, naming size and limit', async () => {
    const error = await rejection(publisher.publish({ blob: 'x'.repeat(SNS_MAX_MESSAGE_BYTES) }));
    expect(error).to.be.instanceOf(PayloadTooLargeError).with.property('limit', SNS_MAX_MESSAGE_BYTES);
    expect(error.message).to.match(/\d+ bytes .* over the SNS limit of 262144 bytes/);
    expect(await server.receiveAll(rawQueue, { min: 0 })).to.have.length(0);
  });

  it('publishes to a FIFO topic in order, with group and deduplication ids', async () => {
    const fifoTopic = await server.createTopic('fifo', { FifoTopic: 'true' });
    const fifoQueue = await server.createQueue({ name: 'fifo', attributes: { FifoQueue: 'true' } });
    await server.subscribe(fifoTopic, fifoQueue, { raw: true });
    const fifo = new SnsPublisher({ topicArn: fifoTopic, endpoint: server.endpoint });
    // (fauxqs returns no SequenceNumber for FIFO topics, so only the message id is checked here.)
    const single = await fifo.publish('first', { messageGroupId: 'g', messageDeduplicationId: 'd-first' });
    expect(single.messageId).to.be.a('string');
    const payloads = Array.from({ length: 12 }, (_, i) => `m${i}`);
    const results = await fifo.publishBatch(payloads, { messageGroupId: 'g', messageDeduplicationId: (p) => `d-${String(p)}` });
    expect(results.failed).to.deep.equal([]);
    const bodies = (await server.receiveAll(fifoQueue, { min: 13 })).map((m) => m.Body);
    expect(bodies).to.deep.equal(['first', ...payloads]);
  });

  it('validates the topic ARN, subject and FIFO group', async () => {
    expect(() => new SnsPublisher({} as never)).to.throw(PublisherOptionsError, 'topicArn is required');
    expect(() => new SnsPublisher({ topicArn: 'arn:aws:sqs:us-east-1:000000000000:q' })).to.throw(PublisherOptionsError, 'not an SNS topic ARN');
    for (const subject of ['', ' leading space', 'line\nbreak', 'x'.repeat(101)]) {
      expect(await rejection(publisher.publish('x', { subject })), JSON.stringify(subject)).to.have.property('option', 'subject');
    }
    const fifo = new SnsPublisher({ topicArn: 'arn:aws:sns:us-east-1:000000000000:t.fifo', endpoint: server.endpoint });
    expect(await rejection(fifo.publish('x'))).to.have.property('option', 'messageGroupId');
  });
});
