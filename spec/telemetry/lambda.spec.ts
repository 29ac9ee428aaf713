// The Lambda handler gets the same CONSUMER span as the listener (one per-message path): parented
// by the producer context in an SQS record's messageAttributes or an SNS record's, X-Ray linked.
import { context, propagation, ROOT_CONTEXT, SpanKind, trace } from '@opentelemetry/api';
import { expect } from 'chai';
import type { SendMessageCommand } from '@aws-sdk/client-sqs';
import sinon from 'sinon';
import { telemetryLog } from '../../src/telemetry/publish-trace.js';
import { silentLogger } from '../../src/aws/logger.js';
import { DataSubscriber } from '../../src/dispatch/data-subscribers.js';
import { createLambdaHandler } from '../../src/lambda.js';
import { SqsPublisher } from '../../src/publish/publish-sqs.js';
import { fakeSqs } from '../listener/listener-fakes.js';
import { QUEUE_URL, snsEvent, snsRecord, sqsEvent, sqsRecord } from '../lambda/fixtures.js';
import { installOtel, parentOf, type TestOtel } from './otel-sdk.js';

class Done extends DataSubscriber {
  pattern = {};
  process() {}
}

const XRAY_TRACE = '5759e988bd862e3fe1be46a994272793';
const XRAY_HEADER = `Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1`;

describe('telemetry/lambda (OpenTelemetry SDK)', () => {
  let otel: TestOtel;
  before(() => {
    otel = installOtel();
  });
  after(async () => otel.uninstall());
  beforeEach(() => otel.exporter.reset());

  function producerContext() {
    const producer = trace.getTracer('spec').startSpan('producer', { kind: SpanKind.PRODUCER });
    producer.end();
    const carrier: Record<string, string> = {};
    propagation.inject(trace.setSpan(ROOT_CONTEXT, producer), carrier);
    return { producer: producer.spanContext(), traceparent: carrier['traceparent'] as string };
  }

  it('an SQS record: process span parented by messageAttributes.traceparent, its AWSTraceHeader a link', async () => {
    const { producer, traceparent } = producerContext();
    const record = sqsRecord('m-1', JSON.stringify({ n: 1 }), { attributes: { traceparent: { stringValue: traceparent, dataType: 'String', stringListValues: [], binaryListValues: [] } } });
    record.attributes.AWSTraceHeader = XRAY_HEADER;
    const handler = createLambdaHandler({ subscribers: [Done], client: fakeSqs({}).client, logger: silentLogger });
    expect(await handler(sqsEvent(record))).to.deep.equal({ batchItemFailures: [] });

    const [span] = otel.spans('process my-queue');
    expect(span?.kind).to.equal(SpanKind.CONSUMER);
    expect(span?.spanContext().traceId).to.equal(producer.traceId);
    expect(parentOf(span as NonNullable<typeof span>)).to.equal(producer.spanId);
    expect(span?.attributes).to.include({
      'messaging.system': 'aws_sqs',
      'aws.sqs.queue.url': QUEUE_URL,
      'messaging.message.id': 'm-1',
      'sqs_mega.message.kind': 'data',
      'sqs_mega.decision': 'processed',
      'sqs_mega.verdict': 'delete',
    });
    expect(span?.links.map((l) => [l.context.traceId, l.context.spanId])).to.deep.equal([[XRAY_TRACE, '53995c3f42cd8ad8']]);
    expect(otel.spans('Done')).to.have.length(1);
  });

  it('an SNS record: the context in the notification MessageAttributes; an invocation span active around it is linked', async () => {
    const { producer, traceparent } = producerContext();
    const handler = createLambdaHandler({ subscribers: [Done], client: fakeSqs({}).client, logger: silentLogger });
    const invocation = trace.getTracer('spec').startSpan('invocation');
    await context.with(trace.setSpan(context.active(), invocation), () => handler(snsEvent(snsRecord('n-1', JSON.stringify({ n: 2 }), { traceparent: { Type: 'String', Value: traceparent } }))));
    invocation.end();
    const [span] = otel.spans('process sns-lambda');
    expect(span?.spanContext().traceId).to.equal(producer.traceId);
    expect(span?.attributes).to.include({ 'messaging.system': 'aws.sns', 'sqs_mega.verdict': 'delete' });
    expect(span?.links.map((l) => l.context.spanId)).to.deep.equal([invocation.spanContext().spanId]);
  });

  it('an SQS publish with no attribute left sends the context as the AWSTraceHeader system attribute (X-Ray format)', async () => {
    const sqs = fakeSqs({ SendMessageCommand: () => ({ MessageId: 'sent-1' }) });
    const publisher = new SqsPublisher({ queueUrl: QUEUE_URL, client: sqs.client });
    const attributes = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`a${i}`, 'v']));
    const warn = sinon.stub(telemetryLog.logger, 'warn');
    await publisher.publish({ n: 3 }, { messageAttributes: attributes }).finally(() => warn.restore());
    const input = sqs.of('SendMessageCommand')[0]?.input as SendMessageCommand['input'];
    expect(Object.keys(input.MessageAttributes ?? {})).to.deep.equal(Object.keys(attributes));
    const [send] = otel.spans('send my-queue');
    const { traceId, spanId } = send?.spanContext() ?? { traceId: '', spanId: '' };
    expect(input.MessageSystemAttributes?.AWSTraceHeader?.StringValue).to.equal(`Root=1-${traceId.slice(0, 8)}-${traceId.slice(8)};Parent=${spanId};Sampled=1`);
  });
});
