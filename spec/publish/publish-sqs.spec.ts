import { expect } from 'chai';
import { decodeBody } from '../../src/codec/body.js';
import { EncodeError } from '../../src/codec/errors.js';
import { PayloadBuilder } from '../../src/protocol/builder.js';
import type { MegaPayload } from '../../src/protocol/types.js';
import { SqsPublisher } from '../../src/publish/publish-sqs.js';
import { PayloadTooLargeError, PublishError, PublisherOptionsError } from '../../src/publish/publish-errors.js';
import { SQS_MAX_MESSAGE_BYTES } from '../../src/aws/limits.js';
import type { PublishPayload } from '../../src/publish/publish-message.js';
import type { AddressInfo } from 'node:net';
import { buildApp } from 'fauxqs';
import { clientsFor, startTestServer, type TestServer } from '../support/fauxqs.js';

function megaPayload(n = 1): MegaPayload {
  return new PayloadBuilder()
    .withEvent({ name: 'item.added', domain: 'shopping_cart', version: 2, subject: `cart-${n}`, timestamp: new Date('2024-05-01T10:00:00.123Z'), item_id: 'x', quantity: n })
    .withObject({ type: 'shopping_cart', id: '18a3', version: 2, current: { items: ['x'] }, previous: { items: [] } })
    .withExtra({ channel: 'web/desktop' })
    .build();
}

/** What decodeBody should give back for a published payload. */
function decodedPayload(body: string): unknown {
  const decoded = decodeBody(body);
  if (decoded.kind === 'invalid') throw decoded.error;
  return decoded.payload;
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}

describe('SqsPublisher (against fauxqs)', () => {
  let server: TestServer;
  let queueUrl: string;
  let publisher: SqsPublisher;

  before(async () => {
    server = await startTestServer();
  });
  beforeEach(async () => {
    queueUrl = await server.createQueue({ name: 'pub' });
    publisher = new SqsPublisher({ queueUrl, endpoint: server.endpoint });
  });

  const kinds: Array<[string, () => PublishPayload, string]> = [
    ['a MEGA payload', () => megaPayload(), 'mega'],
    ['a data object', () => ({ order: 42, lines: [{ sku: 'a', qty: 2 }], note: 'ünïcødé ✓' }), 'data'],
    ['a string', () => 'just some text', 'plaintext'],
    ['bytes', () => new Uint8Array([0, 1, 2, 250, 255]), 'binary'],
  ];
  for (const [label, make, kind] of kinds) {
    it(`publishes ${label} that decodes back to the same payload`, async () => {
      const payload = make();
      const { messageId } = await publisher.publish(payload);
      const [message] = await server.receiveAll(queueUrl);
      expect(message?.MessageId).to.equal(messageId);
      const decoded = decodeBody(message?.Body ?? '');
      expect(decoded.kind).to.equal(kind);
      expect(decodedPayload(message?.Body ?? '')).to.deep.equal(payload);
    });
  }

  for (const [label, make] of [['a MEGA payload', () => megaPayload(3)], ['a data object', () => ({ a: 1, nested: { b: [true, null, 'c'] } })]] as const) {
    it(`publishes ${label} as BSON that decodes back to the same payload`, async () => {
      const payload = make();
      await publisher.publish(payload, { binaryEncoding: true });
      const [message] = await server.receiveAll(queueUrl);
      const decoded = decodeBody(message?.Body ?? '');
      expect(decoded.encoding).to.equal('bson');
      expect(decodedPayload(message?.Body ?? '')).to.deep.equal(payload);
    });
  }

  it('sends message attributes of every kind', async () => {
    await publisher.publish(
      { a: 1 },
      {
        messageAttributes: {
          source: 'cart-service',
          priority: 3,
          digest: new Uint8Array([9, 8, 7]),
          custom: { DataType: 'Number.int', StringValue: '12' },
        },
      },
    );
    const [message] = await server.receiveAll(queueUrl);
    const attrs = message?.MessageAttributes ?? {};
    expect(attrs.source).to.include({ DataType: 'String', StringValue: 'cart-service' });
    expect(attrs.priority).to.include({ DataType: 'Number', StringValue: '3' });
    expect(attrs.digest?.DataType).to.equal('Binary');
    expect(Array.from(attrs.digest?.BinaryValue ?? [])).to.deep.equal([9, 8, 7]);
    expect(attrs.custom).to.include({ DataType: 'Number.int', StringValue: '12' });
  });

  it('sends to the queue named in the call instead of its own', async () => {
    const other = await server.createQueue({ name: 'other' });
    await publisher.publish('elsewhere', { queueUrl: other });
    expect((await server.receiveAll(other)).map((m) => m.Body)).to.deep.equal(['elsewhere']);
    expect(await server.receiveAll(queueUrl, { min: 0 })).to.have.length(0);
  });

  it('delays a message by delaySeconds', async function () {
    this.timeout(10_000);
    await publisher.publish('later', { delaySeconds: 1 });
    expect(await server.receiveAll(queueUrl, { min: 0 })).to.have.length(0);
    const messages = await server.receiveAll(queueUrl, { min: 1, timeoutMs: 4000 });
    expect(messages.map((m) => m.Body)).to.deep.equal(['later']);
  });

  it('publishes to a FIFO queue with group and deduplication ids', async () => {
    const fifoUrl = await server.createQueue({ name: 'pub', attributes: { FifoQueue: 'true' } });
    const fifo = new SqsPublisher({ queueUrl: fifoUrl, endpoint: server.endpoint });
    const first = await fifo.publish({ n: 1 }, { messageGroupId: 'cart-1', messageDeduplicationId: 'd-1' });
    const again = await fifo.publish({ n: 1 }, { messageGroupId: 'cart-1', messageDeduplicationId: 'd-1' });
    const second = await fifo.publish({ n: 2 }, { messageGroupId: 'cart-1', messageDeduplicationId: 'd-2' });
    expect(first.sequenceNumber).to.be.a('string');
    expect(again.messageId).to.equal(first.messageId);
    const messages = await server.receiveAll(fifoUrl, { min: 2 });
    expect(messages.map((m) => m.Body)).to.deep.equal(['{"n":1}', '{"n":2}']);
    expect(messages.map((m) => m.MessageId)).to.deep.equal([first.messageId, second.messageId]);
    expect(messages[0]?.Attributes?.MessageGroupId).to.equal('cart-1');
    expect(messages[0]?.Attributes?.MessageDeduplicationId).to.equal('d-1');
  });

  it('refuses FIFO publishes without a group or with a per-message delay, before sending', async () => {
    const fifoUrl = await server.createQueue({ attributes: { FifoQueue: 'true' } });
    const fifo = new SqsPublisher({ queueUrl: fifoUrl, endpoint: server.endpoint });
    expect(await rejection(fifo.publish('x'))).to.be.instanceOf(PublisherOptionsError).with.property('option', 'messageGroupId');
    const delayed = await rejection(fifo.publish('x', { messageGroupId: 'g', delaySeconds: 5 }));
    expect(delayed).to.be.instanceOf(PublisherOptionsError).with.property('option', 'delaySeconds');
  });

  it('sends a body exactly at the 1 MiB limit', async function () {
    this.timeout(10_000);
    await publisher.publish('a'.repeat(SQS_MAX_MESSAGE_BYTES));
    const [message] = await server.receiveAll(queueUrl);
    expect(message?.Body?.length).to.equal(SQS_MAX_MESSAGE_BYTES);
  });

  it('refuses a message over 1 MiB (body plus attributes) before sending, naming size and limit', async () => {
    const body = 'é'.repeat(SQS_MAX_MESSAGE_BYTES / 2); // 2 bytes each in UTF-8: exactly the limit
    const error = await rejection(publisher.publish(body, { messageAttributes: { k: 'v' } }));
    expect(error).to.be.instanceOf(PayloadTooLargeError);
    const tooLarge = error as PayloadTooLargeError;
    expect(tooLarge.size).to.equal(SQS_MAX_MESSAGE_BYTES + 'k'.length + 'String'.length + 'v'.length);
    expect(tooLarge.limit).to.equal(SQS_MAX_MESSAGE_BYTES);
    expect(tooLarge.message).to.include(String(tooLarge.size)).and.include(String(SQS_MAX_MESSAGE_BYTES));
    expect(await server.receiveAll(queueUrl, { min: 0 })).to.have.length(0);
  });

  it('rejects bad payloads and options with typed errors naming the problem', async () => {
    expect(await rejection(publisher.publish(''))).to.be.instanceOf(EncodeError);
    expect((await rejection(publisher.publish('nul\u0000byte'))).message).to.include('U+0000');
    expect(await rejection(publisher.publish('text', { binaryEncoding: true }))).to.be.instanceOf(EncodeError);
    for (const delaySeconds of [-1, 901, 1.5]) {
      const error = await rejection(publisher.publish('x', { delaySeconds }));
      expect(error, String(delaySeconds)).to.be.instanceOf(PublisherOptionsError).with.property('option', 'delaySeconds');
    }
    const attr = await rejection(publisher.publish('x', { messageAttributes: { 'AWS.reserved': 'v' } }));
    expect(attr).to.be.instanceOf(PublisherOptionsError).with.property('option', 'messageAttributes.AWS.reserved');
    const nan = await rejection(publisher.publish('x', { messageAttributes: { n: Number.NaN } }));
    expect(nan.message).to.include('finite');
    const many = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`a${i}`, 'v']));
    expect((await rejection(publisher.publish('x', { messageAttributes: many }))).message).to.include('at most 10');
    expect(await rejection(publisher.publish('x', { queueUrl: 'not a url' }))).to.be.instanceOf(PublisherOptionsError);
    expect(await server.receiveAll(queueUrl, { min: 0 })).to.have.length(0);
  });

  it('validates constructor options up front', () => {
    const missing = thrown(() => new SqsPublisher({} as never));
    expect(missing).to.be.instanceOf(PublisherOptionsError).with.property('option', 'queueUrl');
    expect(missing.message).to.include('queueUrl is required');
    expect(thrown(() => new SqsPublisher({ queueUrl: 'ftp://x/y' }))).to.be.instanceOf(PublisherOptionsError);
    const both = thrown(() => new SqsPublisher({ queueUrl, client: server.sqs, region: 'eu-west-1' }));
    expect(both).to.be.instanceOf(PublisherOptionsError).with.property('option', 'region');
  });

  it('accepts every queue URL the SDK sends to, e.g. sqs.<region>.127.0.0.1 from fauxqs started with that host', async () => {
    // Loopback only: `host` renames the queue URLs, the server still listens on 127.0.0.1.
    const app = buildApp({ logger: false, host: '127.0.0.1' });
    await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const local = clientsFor(`http://127.0.0.1:${(app.server.address() as AddressInfo).port}`);
      const odd = await local.createQueue({ name: 'odd' });
      expect(odd).to.match(/^http:\/\/sqs\.us-east-1\.127\.0\.0\.1:\d+\//);
      const withEndpoint = new SqsPublisher({ queueUrl: odd, endpoint: local.endpoint });
      await withEndpoint.publish('with an endpoint');
      await withEndpoint.publish('per call', { queueUrl: odd });
      await new SqsPublisher({ queueUrl: odd }).publish('with only the queue URL');
      const bodies = (await local.receiveAll(odd, { min: 3 })).map((m) => m.Body).sort();
      expect(bodies).to.deep.equal(['per call', 'with an endpoint', 'with only the queue URL']);
    } finally {
      await app.close();
    }
  });

  it('refuses what can never be a queue URL, saying what is wrong', () => {
    const problems: Array<[string, RegExp]> = [
      ['ftp://x/y', /does not start with http/],
      ['http://sqs.us-east-1.amazonaws.com/', /no queue in its path/],
      ['https:///123/q', /no host/],
      ['https://h/1/my queue', /whitespace/],
      ['http://h:port/1/q', /host or port/],
    ];
    for (const [url, problem] of problems) {
      const error = thrown(() => new SqsPublisher({ queueUrl: url }));
      expect(error, url).to.be.instanceOf(PublisherOptionsError).with.property('option', 'queueUrl');
      expect(error.message, url).to.match(problem).and.include(JSON.stringify(url));
    }
  });

  it('works with a given client, and with only a local queue URL', async () => {
    await new SqsPublisher({ queueUrl, client: server.sqs }).publish('via client');
    await new SqsPublisher({ queueUrl }).publish('via queue URL');
    const bodies = (await server.receiveAll(queueUrl, { min: 2 })).map((m) => m.Body).sort();
    expect(bodies).to.deep.equal(['via client', 'via queue URL']);
  });

  it('wraps service errors in a PublishError with the SDK error as cause', async () => {
    const missing = `${new URL(queueUrl).origin}/000000000000/does-not-exist`;
    const error = await rejection(publisher.publish('x', { queueUrl: missing }));
    expect(error).to.be.instanceOf(PublishError);
    expect(error.message).to.include('does-not-exist');
    expect((error as PublishError).cause).to.be.instanceOf(Error);
  });
});
