// Traces and metrics end to end on fauxqs with the real OpenTelemetry SDK: publisher -> (SNS) -> SQS
// -> listener, the consumer's span in the publisher's trace, and attributes that leave no room.
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { expect } from 'chai';
import sinon from 'sinon';
import type { MessageContext } from '../../src/dispatch/context.js';
import { DataSubscriber } from '../../src/dispatch/data-subscribers.js';
import { EventSubscriber } from '../../src/dispatch/event-subscriber.js';
import type { MessageSubscriber } from '../../src/dispatch/subscriber.js';
import { SnsPublisher } from '../../src/publish/publish-sns.js';
import { SqsPublisher } from '../../src/publish/publish-sqs.js';
import type { DataObject, MegaPayload } from '../../src/protocol/types.js';
import { telemetryLog } from '../../src/telemetry/publish-trace.js';
import { listenUntil, testListener } from '../listener/listener-helpers.js';
import { startTestServer, type TestServer } from '../support/fauxqs.js';
import { installOtel, parentOf, type TestOtel } from './otel-sdk.js';

const mega = (subject: string): MegaPayload => ({ protocol: 'mega', version: 1, event: { name: 'order.placed', timestamp: new Date('2026-01-01T00:00:00Z'), subject, attributes: { total: 5 } } }) as unknown as MegaPayload;
const nameOf = (queueUrl: string) => queueUrl.slice(queueUrl.lastIndexOf('/') + 1);
const tracer = () => trace.getTracer('spec');

class Orders extends EventSubscriber {
  name = 'order.placed';
  readonly seen: MessageContext[] = [];
  process(_payload: MegaPayload, context: MessageContext) {
    this.seen.push(context);
    // A span of the subscriber's own work joins the message's trace.
    tracer().startSpan('inside the subscriber').end();
    if (context.messageAttributes['fail'] === 'yes') throw new Error('order rejected');
  }
}

class AnyData extends DataSubscriber {
  pattern = {};
  readonly seen: { payload: DataObject; context: MessageContext }[] = [];
  process(payload: DataObject, context: MessageContext) {
    this.seen.push({ payload, context });
  }
}

/** Request span around `work`: what a web handler that publishes would have. */
async function inRequest<T>(work: () => Promise<T>): Promise<{ result: T; request: ReadableSpan['spanContext'] extends () => infer C ? C : never }> {
  return tracer().startActiveSpan('request', async (span) => {
    const result = await work();
    span.end();
    return { result, request: span.spanContext() };
  });
}

describe('telemetry/end-to-end (OpenTelemetry SDK on fauxqs)', function () {
  this.timeout(20_000);
  let server: TestServer;
  let otel: TestOtel;

  before(async () => {
    server = await startTestServer();
    otel = installOtel();
  });
  after(async () => otel.uninstall());
  beforeEach(() => otel.exporter.reset());

  async function consume(queueUrl: string, subscriber: MessageSubscriber, count: number, options = {}) {
    const { listener } = testListener(server, queueUrl, options);
    listener.registerSubscriber(subscriber);
    await listenUntil(listener, () => otel.spans(`process ${nameOf(queueUrl)}`).length >= count);
    return otel.spans(`process ${nameOf(queueUrl)}`);
  }

  it('SQS direct: the process span is a child of the send span, in the caller trace, with its subscriber and the subscriber own spans below it', async () => {
    const queueUrl = await server.createQueue({ name: 'otel-direct' });
    const publisher = new SqsPublisher({ queueUrl, client: server.sqs });
    const { result, request } = await inRequest(() => publisher.publish(mega('one')));
    const subscriber = new Orders();
    const [processed] = await consume(queueUrl, subscriber, 1);

    const [send] = otel.spans(`send ${nameOf(queueUrl)}`);
    expect(send?.kind).to.equal(SpanKind.PRODUCER);
    expect(send?.spanContext().traceId).to.equal(request.traceId);
    expect(parentOf(send as ReadableSpan)).to.equal(request.spanId);
    expect(send?.attributes).to.include({
      'messaging.system': 'aws_sqs',
      'messaging.destination.name': nameOf(queueUrl),
      'messaging.operation.type': 'send',
      'messaging.message.id': result.messageId,
      'aws.sqs.queue.url': queueUrl,
      'sqs_mega.trace.propagation': 'attributes',
    });

    expect(processed?.kind).to.equal(SpanKind.CONSUMER);
    expect(processed?.spanContext().traceId).to.equal(request.traceId);
    expect(parentOf(processed as ReadableSpan)).to.equal(send?.spanContext().spanId);
    expect(processed?.attributes).to.include({
      'messaging.system': 'aws_sqs',
      'messaging.operation.type': 'process',
      'messaging.message.id': result.messageId,
      'sqs_mega.message.receive_count': 1,
      'sqs_mega.message.kind': 'mega',
      'sqs_mega.decision': 'processed',
      'sqs_mega.verdict': 'delete',
    });
    expect(processed?.status.code).to.equal(SpanStatusCode.UNSET);

    const [sub] = otel.spans('Orders');
    expect(parentOf(sub as ReadableSpan)).to.equal(processed?.spanContext().spanId);
    expect(sub?.attributes).to.include({ 'sqs_mega.subscriber.name': 'Orders', 'sqs_mega.subscriber.status': 'DONE' });
    const [inside] = otel.spans('inside the subscriber');
    expect(parentOf(inside as ReadableSpan)).to.equal(processed?.spanContext().spanId);
    // The routing attributes and the user's view are unchanged beside the trace context.
    expect(subscriber.seen[0]?.messageAttributes).to.include({ 'mega.name': 'order.placed' });

    const messages = await otel.points('sqs_mega.consumer.messages');
    expect(messages.some((p) => p.attributes['sqs_mega.decision'] === 'processed' && p.attributes['sqs_mega.verdict'] === 'delete' && Number(p.value) >= 1)).to.equal(true);
    expect((await otel.points('messaging.client.sent.messages')).some((p) => Number(p.value) >= 1 && p.attributes['error.type'] === undefined)).to.equal(true);
    for (const name of ['sqs_mega.consumer.queue_time', 'messaging.process.duration', 'sqs_mega.subscriber.duration', 'messaging.client.operation.duration']) {
      const [point] = await otel.points(name);
      expect((point?.value as { count?: number } | undefined)?.count, name).to.be.greaterThan(0);
    }
    const inFlight = await otel.points('sqs_mega.consumer.in_flight');
    expect(inFlight.map((p) => p.value)).to.deep.equal([0]);
  });

  it('SNS enveloped and raw: each queue consumer span is a child of the topic send span', async () => {
    const topicArn = await server.createTopic('otel-topic');
    const raw = await server.createQueue({ name: 'otel-raw' });
    const enveloped = await server.createQueue({ name: 'otel-enveloped' });
    await server.subscribe(topicArn, raw, { raw: true });
    await server.subscribe(topicArn, enveloped, { raw: false });
    const publisher = new SnsPublisher({ topicArn, client: server.sns });
    const { result, request } = await inRequest(() => publisher.publish(mega('fan-out')));
    const [send] = otel.spans(`send ${topicArn.slice(topicArn.lastIndexOf(':') + 1)}`);
    expect(send?.attributes).to.include({ 'messaging.system': 'aws.sns', 'aws.sns.topic.arn': topicArn, 'messaging.message.id': result.messageId });

    for (const queueUrl of [raw, enveloped]) {
      const [processed] = await consume(queueUrl, new Orders(), 1);
      expect(processed?.spanContext().traceId, queueUrl).to.equal(request.traceId);
      expect(parentOf(processed as ReadableSpan), queueUrl).to.equal(send?.spanContext().spanId);
      expect(processed?.attributes['sqs_mega.message.kind']).to.equal('mega');
    }
    const [envelopedSpan] = otel.spans(`process ${nameOf(enveloped)}`);
    expect(envelopedSpan?.attributes).to.include({ 'aws.sns.topic.arn': topicArn, 'sqs_mega.sns.message_id': result.messageId });
  });

  it('batch publishing: a send span for the call, a create span per message, each consumer span the child of its own', async () => {
    const queueUrl = await server.createQueue({ name: 'otel-batch' });
    const publisher = new SqsPublisher({ queueUrl, client: server.sqs });
    const { result, request } = await inRequest(() => publisher.publishBatch([mega('a'), mega('b'), mega('c')]));
    expect(result.failed).to.have.length(0);
    const [send] = otel.spans(`send ${nameOf(queueUrl)}`);
    expect(send?.attributes).to.include({ 'messaging.batch.message_count': 3 });
    const creates = otel.spans(`create ${nameOf(queueUrl)}`);
    expect(creates).to.have.length(3);
    for (const create of creates) {
      expect(create.kind).to.equal(SpanKind.PRODUCER);
      expect(parentOf(create)).to.equal(send?.spanContext().spanId);
    }
    const ids = result.map((entry) => (entry.ok ? entry.messageId : ''));
    expect(creates.map((c) => c.attributes['messaging.message.id']).sort()).to.deep.equal([...ids].sort());

    const processed = await consume(queueUrl, new Orders(), 3);
    expect(processed.map((p) => p.spanContext().traceId)).to.deep.equal([request.traceId, request.traceId, request.traceId]);
    expect(processed.map((p) => parentOf(p)).sort()).to.deep.equal(creates.map((c) => c.spanContext().spanId).sort());
  });

  it('a message whose attributes fill all 10 slots is delivered intact; the context goes to AWSTraceHeader (SQS) or nowhere (SNS), said once', async () => {
    telemetryLog.told.clear();
    const warn = sinon.stub(telemetryLog.logger, 'warn');
    try {
      const attributes = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`attr${i}`, `value ${i}`]));
      const queueUrl = await server.createQueue({ name: 'otel-full' });
      const sqsPublisher = new SqsPublisher({ queueUrl, client: server.sqs });
      await sqsPublisher.publish({ order: 1 }, { messageAttributes: attributes });
      await sqsPublisher.publish({ order: 2 }, { messageAttributes: attributes });
      expect(otel.spans(`send ${nameOf(queueUrl)}`).map((s) => s.attributes['sqs_mega.trace.propagation'])).to.deep.equal(['xray', 'xray']);

      // SNS, raw delivery: 8 of the caller's own and the routing attributes of a MEGA payload (no domain: mega.name, mega.version).
      const topicArn = await server.createTopic('otel-full-topic');
      const raw = await server.createQueue({ name: 'otel-full-raw' });
      await server.subscribe(topicArn, raw, { raw: true });
      const eight = Object.fromEntries(Object.entries(attributes).slice(0, 8));
      await new SnsPublisher({ topicArn, client: server.sns }).publish(mega('full'), { messageAttributes: eight });
      expect(warn.callCount).to.equal(2);
      expect(warn.args.map((a) => (a[1] as { reason: string }).reason)).to.deep.equal(['xray', 'none']);

      const data = new AnyData();
      await consume(queueUrl, data, 2);
      expect(data.seen.map((s) => s.payload)).to.deep.equal([{ order: 1 }, { order: 2 }]);
      for (const seen of data.seen) expect(seen.context.messageAttributes).to.deep.equal(attributes);

      const orders = new Orders();
      await consume(raw, orders, 1);
      expect(orders.seen[0]?.messageAttributes).to.deep.equal({ ...eight, 'mega.name': 'order.placed', 'mega.version': '1' });
    } finally {
      warn.restore();
    }
  });

  it('a failing subscriber: error status and exception on its span and the message span, counted as a dead letter', async () => {
    const queueUrl = await server.createQueue({ name: 'otel-fail' });
    await new SqsPublisher({ queueUrl, client: server.sqs }).publish(mega('bad'), { messageAttributes: { fail: 'yes' } });
    const [processed] = await consume(queueUrl, new Orders(), 1);
    expect(processed?.status.code).to.equal(SpanStatusCode.ERROR);
    expect(processed?.attributes).to.include({ 'sqs_mega.decision': 'fatal', 'sqs_mega.verdict': 'delete', 'error.type': 'Error' });
    const [sub] = otel.spans('Orders');
    expect(sub?.status.code).to.equal(SpanStatusCode.ERROR);
    expect(sub?.events.map((e) => e.name)).to.include('exception');
    const dead = await otel.points('sqs_mega.consumer.dead_letters');
    expect(dead.some((p) => p.attributes['messaging.destination.name'] === nameOf(queueUrl) && p.value === 1)).to.equal(true);
  });
});
