import { expect } from 'chai';
import type { S3Client } from '@aws-sdk/client-s3';
import { SqsPublisher } from '../../src/publish/publish-sqs.js';
import { DataSubscriber } from '../../src/dispatch/data-subscribers.js';
import { LargePayloadError } from '../../src/large-payloads/errors.js';
import { createLambdaHandler, LambdaBatchError } from '../../src/lambda/handler.js';
import type { DataObject } from '../../src/protocol/types.js';
import type { TestServer } from '../support/fauxqs.js';
import { FaultProxy } from '../support/fault-proxy.js';
import { listenUntil, startTestServer, testListener } from '../listener/listener-helpers.js';
import { bigData, createBucket, s3For } from './large-payloads-helpers.js';

const MiB = 1024 * 1024;

describe('large payloads when S3 fails (fauxqs behind a fault proxy)', function () {
  this.timeout(30_000);
  let server: TestServer;
  let s3: S3Client;
  let bucket: string;
  let proxy: FaultProxy;
  let faultyS3: S3Client;
  before(async () => {
    server = await startTestServer();
    s3 = s3For(server.endpoint);
    bucket = await createBucket(s3);
    proxy = await FaultProxy.start({ target: server.endpoint });
    faultyS3 = s3For(proxy.endpoint, 1);
  });
  after(async () => proxy.close());

  it('publishing: a failed upload sends nothing and says which object; in a batch only the large entries fail', async () => {
    const queueUrl = await server.createQueue();
    const fault = proxy.inject({ kind: 'refuse' });
    try {
      const publisher = new SqsPublisher({ queueUrl, client: server.sqs, largePayloads: { bucket, s3Client: faultyS3 } });
      const error = await publisher.publish(bigData(2 * MiB, 1)).then(() => undefined, (e: unknown) => e);
      expect(error).to.be.instanceOf(LargePayloadError);
      expect((error as LargePayloadError).message).to.include(`could not store the large payload in s3://${bucket}/`);
      expect((error as LargePayloadError).transient).to.equal(true);
      const results = await publisher.publishBatch([bigData(10, 0), bigData(2 * MiB, 1), bigData(10, 2)], { maxAttempts: 2, retryDelayMs: 1 });
      expect(results.map((r) => r.ok)).to.deep.equal([true, false, true]);
      expect(results.failed[0]?.error.message).to.include(`s3://${bucket}/`);
    } finally {
      fault.remove();
    }
    const arrived = await server.receiveAll(queueUrl, { min: 2 });
    expect(arrived.map((m) => JSON.parse(m.Body ?? '{}').id)).to.deep.equal([0, 2]);
  });

  it('consuming: S3 unreachable leaves the message for a retry with a clear error; once S3 is back it is consumed', async () => {
    const queueUrl = await server.createQueue();
    const publisher = new SqsPublisher({ queueUrl, client: server.sqs, largePayloads: { bucket, s3Client: s3 } });
    await publisher.publish(bigData(2 * MiB, 9));
    const got: DataObject[] = [];
    class Blobs extends DataSubscriber {
      process(payload: DataObject) {
        got.push(payload);
      }
    }
    const fault = proxy.inject({ kind: 'server-error', status: 503 });
    const { listener, events } = testListener(server, queueUrl, { largePayloads: { s3Client: faultyS3 }, retryDelaySeconds: () => 0 });
    listener.registerSubscriber(Blobs);
    await listenUntil(listener, () => events.message_retried.length >= 2);
    fault.remove();
    expect(got).to.deep.equal([]);
    expect(events.message_deleted).to.deep.equal([]);
    const reported = events.error.map((e) => e.error.message);
    expect(reported.some((m) => m.includes(`could not read the large payload in s3://${bucket}/`) && m.includes('503'))).to.equal(true);
    const second = testListener(server, queueUrl, { largePayloads: { s3Client: faultyS3 } });
    second.listener.registerSubscriber(Blobs);
    await listenUntil(second.listener, () => second.events.message_deleted.length === 1);
    expect(got.map((d) => d.id)).to.deep.equal([9]);
  });

  it('the Lambda handler resolves pointers through the same path, and reports the record failed while S3 is down', async () => {
    const queueUrl = await server.createQueue();
    const publisher = new SqsPublisher({ queueUrl, client: server.sqs, largePayloads: { bucket, s3Client: s3 } });
    await publisher.publish(bigData(MiB, 5));
    const [message] = await server.receiveAll(queueUrl);
    const got: DataObject[] = [];
    class Blobs extends DataSubscriber {
      process(payload: DataObject) {
        got.push(payload);
      }
    }
    const record = {
      messageId: message?.MessageId ?? 'm',
      receiptHandle: message?.ReceiptHandle ?? 'r',
      body: message?.Body ?? '',
      attributes: { ApproximateReceiveCount: '1', SentTimestamp: String(Date.now()) },
      messageAttributes: { ExtendedPayloadSize: { dataType: 'Number', stringValue: message?.MessageAttributes?.ExtendedPayloadSize?.StringValue } },
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:q',
      awsRegion: 'us-east-1',
    };
    const fault = proxy.inject({ kind: 'refuse' });
    const down = createLambdaHandler({ subscribers: [Blobs], client: server.sqs, largePayloads: { s3Client: faultyS3 }, logger: quiet });
    // Every record of the batch failed: the handler throws so Lambda retries the batch; nothing is lost.
    const failed = await down({ Records: [record] } as never, undefined as never).then(() => undefined, (e: unknown) => e);
    fault.remove();
    expect(failed).to.be.instanceOf(LambdaBatchError);
    const handler = createLambdaHandler({ subscribers: [Blobs], client: server.sqs, largePayloads: { s3Client: s3 }, logger: quiet });
    const out = await handler({ Records: [record] } as never, undefined as never);
    expect(out?.batchItemFailures ?? []).to.deep.equal([]);
    expect(got.map((d) => d.id)).to.deep.equal([5]);
  });
});

const quiet = { debug() {}, info() {}, warn() {}, error() {} };
