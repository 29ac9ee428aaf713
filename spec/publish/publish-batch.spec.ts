import { expect } from 'chai';
import { decodeBody } from '../../src/codec/body.js';
import { PayloadBuilder } from '../../src/protocol/builder.js';
import { SqsPublisher } from '../../src/publish/publish-sqs.js';
import { SnsPublisher } from '../../src/publish/publish-sns.js';
import { PayloadTooLargeError, PublisherOptionsError } from '../../src/publish/publish-errors.js';
import { SNS_MAX_MESSAGE_BYTES, SQS_MAX_MESSAGE_BYTES } from '../../src/aws/limits.js';
import type { PublishPayload } from '../../src/publish/publish-message.js';
import type { PublishBatchResult } from '../../src/publish/batch.js';
import type { MessageAttributes } from '../../src/publish/publish-attributes.js';
import { startTestServer, type TestServer } from '../support/fauxqs.js';

function mixedPayloads(count: number): PublishPayload[] {
  return Array.from({ length: count }, (_, i) => {
    switch (i % 4) {
      case 0:
        return new PayloadBuilder().withEvent({ name: 'item.added', timestamp: new Date(Date.UTC(2024, 0, 1, 0, 0, i)), seq: i }).build();
      case 1:
        return { seq: i, tags: ['a', 'b'] };
      case 2:
        return `text #${i}`;
      default:
        return new Uint8Array([i, i + 1, i + 2]);
    }
  });
}

function messageIds(results: PublishBatchResult): string[] {
  return results.map((r) => {
    if (!r.ok) throw r.error;
    return r.messageId;
  });
}

describe('publishBatch (against fauxqs)', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });

  it('sends 25 mixed payloads, reporting each in input order', async () => {
    const queueUrl = await server.createQueue({ name: 'batch' });
    const payloads = mixedPayloads(25);
    const results = await new SqsPublisher({ queueUrl, endpoint: server.endpoint }).publishBatch(payloads, { messageAttributes: { origin: 'batch' } });

    expect(results.map((r) => r.index)).to.deep.equal(payloads.map((_, i) => i));
    expect(results.failed).to.deep.equal([]);
    const ids = messageIds(results);
    expect(new Set(ids).size).to.equal(25);

    const received = await server.receiveAll(queueUrl, { min: 25 });
    expect(received).to.have.length(25);
    for (const message of received) {
      const index = ids.indexOf(message.MessageId ?? '');
      const decoded = decodeBody(message.Body ?? '');
      expect('payload' in decoded && decoded.payload, `entry ${index}`).to.deep.equal(payloads[index]);
      expect(message.MessageAttributes?.origin?.StringValue).to.equal('batch');
    }
  });

  it('splits by size so no request goes over 1 MiB', async function () {
    this.timeout(15_000);
    const queueUrl = await server.createQueue({ name: 'big' });
    // 7 x 400 KB: any two share a request at most; fauxqs rejects a request over 1 MiB outright.
    const payloads = Array.from({ length: 7 }, (_, i) => `${i}:${'z'.repeat(400_000)}`);
    const results = await new SqsPublisher({ queueUrl, endpoint: server.endpoint }).publishBatch(payloads);
    expect(results.failed).to.deep.equal([]);
    expect((await server.receiveAll(queueUrl, { min: 7 })).map((m) => m.Body?.slice(0, 2)).sort()).to.deep.equal(payloads.map((p) => p.slice(0, 2)));
  });

  it('reports an oversized or invalid payload as a failed entry and sends the rest', async () => {
    const queueUrl = await server.createQueue({ name: 'mixed' });
    const payloads: PublishPayload[] = ['ok 0', 'x'.repeat(SQS_MAX_MESSAGE_BYTES + 1), 'ok 2', '', 'ok 4'];
    const results = await new SqsPublisher({ queueUrl, endpoint: server.endpoint }).publishBatch(payloads);
    expect(results.map((r) => r.ok)).to.deep.equal([true, false, true, false, true]);
    expect(results.failed.map((f) => f.index)).to.deep.equal([1, 3]);
    const tooLarge = results[1];
    expect(tooLarge?.ok === false && tooLarge.error).to.be.instanceOf(PayloadTooLargeError).with.property('size', SQS_MAX_MESSAGE_BYTES + 1);
    expect((await server.receiveAll(queueUrl, { min: 3 })).map((m) => m.Body).sort()).to.deep.equal(['ok 0', 'ok 2', 'ok 4']);
  });

  it('keeps input order on a FIFO queue, with per-entry deduplication ids', async () => {
    const queueUrl = await server.createQueue({ name: 'batch', attributes: { FifoQueue: 'true' } });
    const payloads = Array.from({ length: 23 }, (_, i) => ({ seq: i }));
    const results = await new SqsPublisher({ queueUrl, endpoint: server.endpoint }).publishBatch(payloads, {
      messageGroupId: 'g1',
      messageDeduplicationId: (_payload, index) => `dedup-${index}`,
      concurrency: 8,
    });
    expect(results.failed).to.deep.equal([]);
    expect(results.every((r) => r.ok && typeof r.sequenceNumber === 'string')).to.equal(true);
    const bodies = (await server.receiveAll(queueUrl, { min: 23 })).map((m) => m.Body);
    expect(bodies).to.deep.equal(payloads.map((p) => JSON.stringify(p)));
  });

  it('takes attributes and FIFO groups per entry; a bad per-entry value fails only that entry', async () => {
    const queueUrl = await server.createQueue({ name: 'per-entry', attributes: { FifoQueue: 'true', ContentBasedDeduplication: 'true' } });
    const payloads = [{ n: 0 }, { n: 1 }, { n: 2 }, { n: 3 }];
    const results = await new SqsPublisher({ queueUrl, endpoint: server.endpoint }).publishBatch(payloads, {
      messageAttributes: (_payload, index): MessageAttributes => (index === 2 ? { 'bad name': 'x' } : { position: index }),
      messageGroupId: (_payload, index) => `group-${index % 2}`,
    });
    expect(results.failed.map((f) => [f.index, (f.error as PublisherOptionsError).option])).to.deep.equal([[2, 'messageAttributes.bad name']]);
    const received = await server.receiveAll(queueUrl, { min: 3 });
    const byBody = new Map(received.map((m) => [m.Body, m]));
    for (const index of [0, 1, 3]) {
      const m = byBody.get(JSON.stringify(payloads[index]));
      expect(m?.MessageAttributes?.position?.StringValue, `entry ${index}`).to.equal(String(index));
      expect(m?.Attributes?.MessageGroupId).to.equal(`group-${index % 2}`);
    }
  });

  it('refuses shared options that are wrong before sending anything', async () => {
    const queueUrl = await server.createQueue();
    const publisher = new SqsPublisher({ queueUrl, endpoint: server.endpoint });
    for (const [options, option] of [
      [{ concurrency: 0 }, 'concurrency'],
      [{ maxAttempts: 1.5 }, 'maxAttempts'],
      [{ delaySeconds: 1000 }, 'delaySeconds'],
      [{ messageAttributes: { '.bad': 'x' } }, 'messageAttributes..bad'],
      [{ messageDeduplicationId: 'same-for-all' }, 'messageDeduplicationId'],
    ] as const) {
      let error: unknown;
      try {
        await publisher.publishBatch(['x'], options as never);
      } catch (e) {
        error = e;
      }
      expect(error, option).to.be.instanceOf(PublisherOptionsError).with.property('option', option);
    }
    expect(await server.receiveAll(queueUrl, { min: 0 })).to.have.length(0);
  });

  it('returns an empty result for no payloads', async () => {
    const queueUrl = await server.createQueue();
    const results = await new SqsPublisher({ queueUrl, endpoint: server.endpoint }).publishBatch([]);
    expect(results).to.have.length(0);
    expect(results.failed).to.have.length(0);
  });

  it('publishes a batch to SNS, split by the 256 KiB request limit, delivered raw and enveloped', async function () {
    this.timeout(15_000);
    const topicArn = await server.createTopic('batch');
    const raw = await server.createQueue({ name: 'raw' });
    const wrapped = await server.createQueue({ name: 'env' });
    await server.subscribe(topicArn, raw, { raw: true });
    await server.subscribe(topicArn, wrapped, { raw: false });
    // Text with spaces, so decodeBody does not read it as base64.
    const big = (n: number): string => 'y '.repeat(n / 2);
    const payloads: PublishPayload[] = [...mixedPayloads(12), big(100_000), big(100_000), big(100_000), big(SNS_MAX_MESSAGE_BYTES)];
    const results = await new SnsPublisher({ topicArn, endpoint: server.endpoint }).publishBatch(payloads, { subject: 'batch' });
    expect(results.failed.map((f) => f.index)).to.deep.equal([]);
    const ids = messageIds(results);

    const rawMessages = await server.receiveAll(raw, { min: payloads.length });
    expect(rawMessages).to.have.length(payloads.length);
    const envelopes = await server.receiveAll(wrapped, { min: payloads.length });
    for (const message of envelopes) {
      const decoded = decodeBody(message.Body ?? '');
      const index = ids.indexOf(decoded.envelope?.messageId ?? '');
      expect(index).to.be.at.least(0);
      expect(decoded.envelope?.subject).to.equal('batch');
      expect('payload' in decoded && decoded.payload).to.deep.equal(payloads[index]);
    }
  });
});
