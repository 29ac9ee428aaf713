import type { S3Client } from '@aws-sdk/client-s3';
import { expect } from 'chai';
import { SqsPublisher } from '../../src/publish/publish-sqs.js';
import { SnsPublisher } from '../../src/publish/publish-sns.js';
import { DataSubscriber } from '../../src/dispatch/data-subscribers.js';
import { EventSubscriber } from '../../src/dispatch/event-subscriber.js';
import { PayloadBuilder } from '../../src/protocol/builder.js';
import { encodePayload } from '../../src/codec/encode.js';
import type { DataObject, MegaPayload } from '../../src/protocol/types.js';
import type { TestServer } from '../support/fauxqs.js';
import { listenUntil, sendBodies, startTestServer, testListener } from '../listener/listener-helpers.js';
import { bigData, createBucket, putObject, readObject, s3For } from './large-payloads-helpers.js';

const MiB = 1024 * 1024;
const POINTER = /^\["software\.amazon\.payloadoffloading\.PayloadS3Pointer",\{"s3BucketName":"([^"]+)","s3Key":"([^"]+)"\}\]$/;

function collector() {
  const data: DataObject[] = [];
  const events: MegaPayload[] = [];
  class Blobs extends DataSubscriber {
    pattern = { type: 'blob' };
    process(payload: DataObject) {
      data.push(payload);
    }
  }
  class Added extends EventSubscriber {
    name = 'item.added';
    process(payload: MegaPayload) {
      events.push(payload);
    }
  }
  return { data, events, subscribers: [Blobs, Added] };
}

const bigEvent = (bytes: number) =>
  new PayloadBuilder().withEvent({ name: 'item.added', domain: 'cart', item_id: 'x' }).withObject({ id: 'c1', current: { notes: 'n'.repeat(bytes) } }).build();

describe('large payloads through S3, end to end (fauxqs)', function () {
  this.timeout(30_000);
  let server: TestServer;
  let s3: S3Client;
  let bucket: string;
  before(async () => {
    server = await startTestServer();
    s3 = s3For(server.endpoint);
    bucket = await createBucket(s3);
  });

  it('SQS: writes the extended clients’ pointer byte for byte, stores the body, and the listener hands subscribers the payload (JSON and BSON, 2 MiB and 20 MiB)', async () => {
    const queueUrl = await server.createQueue();
    const publisher = new SqsPublisher({ queueUrl, client: server.sqs, largePayloads: { bucket, s3Client: s3, keyPrefix: 'mega/' } });
    const small = { type: 'blob', id: 0, filler: 'small' };
    await publisher.publish(small);
    await publisher.publish(bigData(2 * MiB, 1));
    await publisher.publish(bigData(2 * MiB, 2), { binaryEncoding: true });
    await publisher.publish(bigEvent(20 * MiB));

    const raw = await server.receiveAll(queueUrl, { min: 4, deleteMessages: false });
    expect(raw).to.have.length(4);
    const pointers = raw.filter((m) => POINTER.test(m.Body ?? ''));
    expect(pointers, 'only the large ones are offloaded').to.have.length(3);
    for (const m of pointers) {
      const [, b, key] = POINTER.exec(m.Body ?? '') ?? [];
      expect(b).to.equal(bucket);
      expect(key).to.match(/^mega\/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      const stored = await readObject(s3, bucket, key as string);
      expect(m.MessageAttributes?.ExtendedPayloadSize).to.deep.equal({ DataType: 'Number', StringValue: String(Buffer.byteLength(stored)) });
      expect(stored.length).to.be.greaterThan(2 * MiB);
    }
    expect(raw.find((m) => !POINTER.test(m.Body ?? ''))?.Body).to.equal(encodePayload(small));

    // Consumed from a fresh queue: the raw receive above keeps these hidden.
    const consumeQueue = await server.createQueue();
    const again = new SqsPublisher({ queueUrl: consumeQueue, client: server.sqs, largePayloads: { bucket, s3Client: s3 } });
    await again.publish(small);
    await again.publish(bigData(2 * MiB, 1));
    await again.publish(bigData(2 * MiB, 2), { binaryEncoding: true });
    await again.publish(bigEvent(20 * MiB));
    const seen = collector();
    const { listener, events } = testListener(server, consumeQueue, { largePayloads: { s3Client: s3, allowedBuckets: [bucket] } });
    for (const s of seen.subscribers) listener.registerSubscriber(s);
    await listenUntil(listener, () => events.message_deleted.length === 4, 20_000);
    expect(seen.data.map((d) => d.id).sort()).to.deep.equal([0, 1, 2]);
    expect(seen.data.find((d) => d.id === 2)?.filler).to.have.length(2 * MiB);
    expect(seen.events).to.have.length(1);
    expect((seen.events[0]?.object?.current.notes as string).length).to.equal(20 * MiB);
  });

  for (const raw of [true, false]) {
    it(`SNS ${raw ? 'with raw delivery' : 'with the notification envelope'}: the pointer (inside the envelope or not) is resolved`, async () => {
      const topicArn = await server.createTopic();
      const queueUrl = await server.createQueue();
      await server.subscribe(topicArn, queueUrl, { raw });
      const publisher = new SnsPublisher({ topicArn, client: server.sns, largePayloads: { bucket, s3Client: s3 } });
      await publisher.publish(bigEvent(2 * MiB), { messageAttributes: { tenant: 'acme' } });
      await publisher.publish(bigData(MiB, 7), { binaryEncoding: true });
      const seen = collector();
      const { listener, events } = testListener(server, queueUrl, { largePayloads: { s3Client: s3 } });
      for (const s of seen.subscribers) listener.registerSubscriber(s);
      await listenUntil(listener, () => events.message_deleted.length === 2, 15_000);
      expect(seen.events).to.have.length(1);
      expect((seen.events[0]?.object?.current.notes as string).length).to.equal(2 * MiB);
      expect(seen.data.map((d) => d.id)).to.deep.equal([7]);
    });
  }

  it('publishBatch offloads per entry, within the batch byte limit, and the listener resolves the mix', async () => {
    const queueUrl = await server.createQueue();
    const publisher = new SqsPublisher({ queueUrl, client: server.sqs, largePayloads: { bucket, s3Client: s3 } });
    const payloads = Array.from({ length: 12 }, (_, i) => (i % 3 === 0 ? bigData(2 * MiB, i) : bigData(200 * 1024, i)));
    const results = await publisher.publishBatch(payloads);
    expect(results.failed).to.deep.equal([]);
    const seen = collector();
    const { listener, events } = testListener(server, queueUrl, { largePayloads: { s3Client: s3 } });
    for (const s of seen.subscribers) listener.registerSubscriber(s);
    await listenUntil(listener, () => events.message_deleted.length === 12, 15_000);
    expect(seen.data.map((d) => d.id).sort((a, b) => Number(a) - Number(b))).to.deep.equal(payloads.map((_, i) => i));
  });

  it('reads messages exactly as the Java and Python extended clients write them (legacy names, Python spacing)', async () => {
    const queueUrl = await server.createQueue();
    const payload = JSON.stringify(bigData(300 * 1024, 42));
    await putObject(s3, bucket, 'java-key', payload);
    await putObject(s3, bucket, 'python-key', payload.replace('"id":42', '"id":43'));
    const size = (s: string) => ({ DataType: 'Number', StringValue: String(Buffer.byteLength(s)) });
    // Java SQS extended client defaults: legacy attribute name; older versions the legacy class name.
    await sendBodies(server, queueUrl, [`["com.amazon.sqs.javamessaging.MessageS3Pointer",{"s3BucketName":"${bucket}","s3Key":"java-key"}]`], { SQSLargePayloadSize: size(payload) });
    // Python: json.dumps with its default ", " and ": " separators.
    await sendBodies(server, queueUrl, [`["software.amazon.payloadoffloading.PayloadS3Pointer", {"s3BucketName": "${bucket}", "s3Key": "python-key"}]`], { ExtendedPayloadSize: size(payload) });
    const seen = collector();
    const { listener, events } = testListener(server, queueUrl, { largePayloads: { s3Client: s3 } });
    for (const s of seen.subscribers) listener.registerSubscriber(s);
    await listenUntil(listener, () => events.message_deleted.length === 2);
    expect(seen.data.map((d) => d.id).sort()).to.deep.equal([42, 43]);
  });

  it('a pointer that can never resolve (missing object, bucket not allowed, malformed) is dead-lettered with a reason naming bucket and key', async () => {
    const queueUrl = await server.createQueue();
    const deadLetterQueueUrl = await server.createQueue();
    const attr = { ExtendedPayloadSize: { DataType: 'Number', StringValue: '10' } };
    await sendBodies(server, queueUrl, [
      `["software.amazon.payloadoffloading.PayloadS3Pointer",{"s3BucketName":"${bucket}","s3Key":"no-such-key"}]`,
      `["software.amazon.payloadoffloading.PayloadS3Pointer",{"s3BucketName":"elsewhere","s3Key":"k1"}]`,
      `["software.amazon.payloadoffloading.PayloadS3Pointer",{"s3BucketName":"${bucket}"}]`,
    ], attr);
    const { listener, events, lines } = testListener(server, queueUrl, { deadLetterQueueUrl, largePayloads: { s3Client: s3, allowedBuckets: [bucket] } });
    await listenUntil(listener, () => events.message_deleted.length === 3);
    expect(events.message_dead_lettered).to.have.length(3);
    const reasons = lines.filter((l) => l.msg === 'invalid message body').map((l) => JSON.stringify(l.fields.error));
    expect(reasons.some((r) => r.includes(`s3://${bucket}/no-such-key`))).to.equal(true);
    expect(reasons.some((r) => r.includes('s3://elsewhere/k1') && r.includes('allowedBuckets'))).to.equal(true);
    expect(reasons.some((r) => r.includes('malformed large-payload pointer'))).to.equal(true);
    const copies = await server.receiveAll(deadLetterQueueUrl, { min: 3 });
    expect(copies.map((m) => m.Body).every((b) => b?.startsWith('["software.amazon.payloadoffloading.PayloadS3Pointer"'))).to.equal(true);
  });

  it('deleteAfterConsume removes the object once the message is deleted', async () => {
    const queueUrl = await server.createQueue();
    const publisher = new SqsPublisher({ queueUrl, client: server.sqs, largePayloads: { bucket, s3Client: s3, alwaysOffload: true } });
    await publisher.publish({ type: 'blob', id: 1 });
    const [message] = await server.receiveAll(queueUrl, { deleteMessages: false });
    const key = POINTER.exec(message?.Body ?? '')?.[2] as string;
    const other = await server.createQueue();
    await sendBodies(server, other, [message?.Body ?? ''], { ExtendedPayloadSize: { DataType: 'Number', StringValue: '30' } });
    const { listener, events } = testListener(server, other, { largePayloads: { s3Client: s3, deleteAfterConsume: true } });
    await listenUntil(listener, () => events.message_deleted.length === 1);
    await new Promise((r) => setTimeout(r, 100));
    const gone = await readObject(s3, bucket, key).then(() => false, (e: Error) => e.name === 'NoSuchKey');
    expect(gone).to.equal(true);
  });
});

describe('cli: decode, peek and consume show payloads offloaded to S3', function () {
  this.timeout(20_000);
  it('resolves the pointer and says the payload came from S3', async () => {
    const { cleanEnv, runInProcess } = await import('../cli/run.js');
    const server = await startTestServer();
    const s3 = s3For(server.endpoint);
    const bucket = await createBucket(s3);
    const queueUrl = await server.createQueue();
    const publisher = new SqsPublisher({ queueUrl, client: server.sqs, largePayloads: { bucket, s3Client: s3 } });
    await publisher.publish(bigData(2 * MiB, 77));
    const env = cleanEnv({ AWS_ENDPOINT_URL: server.endpoint });
    const peek = await runInProcess(['peek', queueUrl, '--wait', '0'], { env });
    expect(peek.code, peek.stderr).to.equal(0);
    expect(peek.stdout).to.match(new RegExp(`payload from S3: s3://${bucket}/[0-9a-f-]{36}`));
    expect(peek.stdout).to.contain('"id": 77');
    const [message] = await server.receiveAll(queueUrl);
    const decode = await runInProcess(['decode', '--json', message?.Body ?? ''], { env });
    expect(decode.code, decode.stderr).to.equal(0);
    const view = JSON.parse(decode.stdout) as { kind: string; fromS3: string; payload: { id: number } };
    expect(view.kind).to.equal('data');
    expect(view.fromS3).to.match(new RegExp(`^s3://${bucket}/`));
    expect(view.payload.id).to.equal(77);
  });
});
