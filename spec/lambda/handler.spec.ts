import { expect } from 'chai';
import { silentLogger } from '../../src/aws/logger.js';
import { encodePayload } from '../../src/codec/encode.js';
import type { MessageContext } from '../../src/dispatch/context.js';
import { DataSubscriber, PlaintextSubscriber } from '../../src/dispatch/data-subscribers.js';
import { EventSubscriber } from '../../src/dispatch/event-subscriber.js';
import { RetriableError } from '../../src/dispatch/errors.js';
import { ProcessStatus } from '../../src/dispatch/status.js';
import { createLambdaHandler, LambdaBatchError, LambdaEventError, LambdaOptionsError } from '../../src/lambda/exports.js';
import type { LambdaHandlerOptions } from '../../src/lambda/lambda-options.js';
import { gt } from '../../src/match/dsl.js';
import { PayloadBuilder } from '../../src/protocol/builder.js';
import type { DataObject, MegaPayload } from '../../src/protocol/types.js';
import { allSuccessful, fakeSqs } from '../listener/listener-fakes.js';
import { lambdaContext, QUEUE_URL, snsEvent, snsRecord, sqsEvent, sqsRecord } from './fixtures.js';

const itemAdded = (quantity: number) => encodePayload(new PayloadBuilder().withEvent({ domain: 'cart', name: 'item.added', subject: '1', quantity }).build());

/** DONE, RETRY_LATER or FATAL_ERROR by the body's `status` field; records what it saw. */
class ByStatus extends DataSubscriber {
  seen: { payload: DataObject; context: MessageContext }[] = [];
  pattern = {};
  async process(payload: DataObject, context: MessageContext) {
    this.seen.push({ payload, context });
    if (payload['wait'] !== undefined) await new Promise((resolve) => setTimeout(resolve, Number(payload['wait'])));
    if (payload['throw'] === 'retriable') throw new RetriableError('try again');
    if (payload['throw'] === 'fatal') throw new Error('broken');
    return (payload['status'] as ProcessStatus | undefined) ?? ProcessStatus.DONE;
  }
}

function setup(options: Partial<LambdaHandlerOptions> = {}) {
  const sqs = fakeSqs({ ChangeMessageVisibilityCommand: () => ({}), SendMessageCommand: () => ({ MessageId: 'dlq-1' }), ChangeMessageVisibilityBatchCommand: allSuccessful });
  const subscriber = new ByStatus();
  const handler = createLambdaHandler({ subscribers: [subscriber], client: sqs.client, logger: silentLogger, retryDelaySeconds: (n) => 10 * n, ...options });
  return { sqs, subscriber, handler };
}

const body = (fields: DataObject) => JSON.stringify(fields);
/** MEGA-shaped but without the event's timestamp: decodes as invalid. */
const INVALID_MEGA = '{"protocol":"mega","version":1,"event":{"name":"x"}}';

describe('lambda/handler: SQS events', () => {
  it('reports exactly the records that must come back and sets their retry delay on the queue the ARN names', async () => {
    const { sqs, handler } = setup();
    const result = await handler(
      sqsEvent(
        sqsRecord('done', body({ id: 1 })),
        sqsRecord('later', body({ status: ProcessStatus.RETRY_LATER }), { receiveCount: 3 }),
        sqsRecord('retriable', body({ throw: 'retriable' })),
        sqsRecord('fatal', body({ throw: 'fatal' })),
      ),
      lambdaContext(30_000),
    );
    expect(result).to.deep.equal({ batchItemFailures: [{ itemIdentifier: 'later' }, { itemIdentifier: 'retriable' }] });
    const changes = sqs.of('ChangeMessageVisibilityCommand').map((c) => c.input);
    expect(changes).to.have.deep.members([
      { QueueUrl: QUEUE_URL, ReceiptHandle: sqsRecord('later', '').receiptHandle, VisibilityTimeout: 30 },
      { QueueUrl: QUEUE_URL, ReceiptHandle: sqsRecord('retriable', '').receiptHandle, VisibilityTimeout: 10 },
    ]);
    expect(sqs.of('DeleteMessageBatchCommand'), 'the event source mapping deletes, not the handler').to.be.empty;
  });

  it('returns an empty list when every record succeeded, and for an empty batch', async () => {
    const { handler } = setup();
    expect(await handler(sqsEvent(sqsRecord('a', body({})), sqsRecord('b', itemAdded(1))), lambdaContext(30_000))).to.deep.equal({ batchItemFailures: [] });
    expect(await handler(sqsEvent(), lambdaContext(30_000))).to.deep.equal({ batchItemFailures: [] });
  });

  it('copies FATAL_ERROR and invalid records to the dead-letter queue, then counts them as done', async () => {
    const { sqs, handler } = setup({ deadLetterQueueUrl: 'https://sqs.us-east-2.amazonaws.com/123456789012/dlq' });
    const result = await handler(sqsEvent(sqsRecord('fatal', body({ throw: 'fatal' })), sqsRecord('invalid', INVALID_MEGA), sqsRecord('ok', body({}))), lambdaContext(30_000));
    expect(result).to.deep.equal({ batchItemFailures: [] });
    const copies = sqs.of('SendMessageCommand').map((c) => c.input as { MessageBody: string; MessageAttributes: Record<string, { StringValue?: string }> });
    expect(copies.map((c) => c.MessageBody)).to.have.members([body({ throw: 'fatal' }), INVALID_MEGA]);
    expect(copies.map((c) => c.MessageAttributes['sqs-mega.source-queue']?.StringValue)).to.deep.equal([QUEUE_URL, QUEUE_URL]);
  });

  it('reports a record whose dead-letter copy failed, so it comes back', async () => {
    const sqs = fakeSqs({
      ChangeMessageVisibilityCommand: () => ({}),
      SendMessageCommand: () => {
        throw Object.assign(new Error('denied'), { name: 'AccessDenied' });
      },
    });
    const handler = createLambdaHandler({ subscribers: [ByStatus], client: sqs.client, logger: silentLogger, deadLetterQueueUrl: 'https://sqs.us-east-2.amazonaws.com/123456789012/dlq' });
    const result = await handler(sqsEvent(sqsRecord('fatal', body({ throw: 'fatal' })), sqsRecord('ok', body({}))), lambdaContext(30_000));
    expect(result).to.deep.equal({ batchItemFailures: [{ itemIdentifier: 'fatal' }] });
  });

  it('throws when every record failed (the safe default), or reports them all with fullBatchFailure: report', async () => {
    const event = sqsEvent(sqsRecord('a', body({ status: ProcessStatus.RETRY_LATER })), sqsRecord('b', body({ throw: 'retriable' })));
    const thrown = await setup().handler(event, lambdaContext(30_000)).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(thrown).to.be.instanceOf(LambdaBatchError);
    expect((thrown as LambdaBatchError).failedMessageIds).to.deep.equal(['a', 'b']);
    expect(await setup({ fullBatchFailure: 'report' }).handler(event, lambdaContext(30_000))).to.deep.equal({
      batchItemFailures: [{ itemIdentifier: 'a' }, { itemIdentifier: 'b' }],
    });
  });

  it('gives the record context its attributes, receive count and send time, and decodes SNS envelopes and BSON', async () => {
    const { subscriber, handler } = setup();
    const envelope = JSON.stringify({
      Type: 'Notification',
      MessageId: 'e1',
      TopicArn: 'arn:aws:sns:us-east-2:123456789012:t',
      Message: body({ id: 'wrapped' }),
      Timestamp: '2019-01-02T12:45:07.000Z',
      SignatureVersion: '1',
      Signature: 'x',
      SigningCertURL: 'https://sns.us-east-2.amazonaws.com/cert.pem',
      UnsubscribeURL: 'https://sns.us-east-2.amazonaws.com/?Action=Unsubscribe',
      MessageAttributes: { tenant: { Type: 'String', Value: 'wrapped-tenant' } },
    });
    await handler(
      sqsEvent(
        sqsRecord('raw', body({ id: 'raw' }), { receiveCount: 4, attributes: { tenant: { stringValue: 'acme', stringListValues: [], binaryListValues: [], dataType: 'String' } } }),
        sqsRecord('sns', envelope),
        sqsRecord('bson', encodePayload({ id: 'bson' }, { binaryEncoding: true })),
      ),
      lambdaContext(30_000),
    );
    const byId = Object.fromEntries(subscriber.seen.map((s) => [s.context.messageId, s]));
    expect(byId['raw']?.payload).to.deep.equal({ id: 'raw' });
    expect(byId['raw']?.context.receiveCount).to.equal(4);
    expect(byId['raw']?.context.sentAt?.getTime()).to.equal(1545082649183);
    expect(byId['raw']?.context.messageAttributes).to.deep.equal({ tenant: 'acme' });
    expect(byId['sns']?.payload).to.deep.equal({ id: 'wrapped' });
    expect(byId['sns']?.context.messageAttributes).to.deep.equal({ tenant: 'wrapped-tenant' });
    expect(byId['bson']?.payload).to.deep.equal({ id: 'bson' });
  });

  it('runs event subscribers on MEGA payloads with their patterns, as the listener does', async () => {
    const seen: number[] = [];
    class ItemAdded extends EventSubscriber {
      domain = 'cart';
      name = 'item.added';
      attributes = { quantity: gt(1) };
      process(payload: MegaPayload) {
        seen.push(payload.event.attributes['quantity'] as number);
      }
    }
    const handler = createLambdaHandler({ subscribers: [ItemAdded], client: fakeSqs().client, logger: silentLogger });
    expect(await handler(sqsEvent(sqsRecord('a', itemAdded(1)), sqsRecord('b', itemAdded(5))), lambdaContext(30_000))).to.deep.equal({ batchItemFailures: [] });
    expect(seen).to.deep.equal([5]);
  });

  it('keeps each FIFO group in order: after a failure the rest of its group is reported without running; other groups go on', async () => {
    const { subscriber, handler } = setup({ fullBatchFailure: 'report' });
    const result = await handler(
      sqsEvent(
        sqsRecord('a1', body({ n: 'a1' }), { group: 'a' }),
        sqsRecord('b1', body({ n: 'b1', status: ProcessStatus.RETRY_LATER }), { group: 'b' }),
        sqsRecord('a2', body({ n: 'a2', wait: 5 }), { group: 'a' }),
        sqsRecord('b2', body({ n: 'b2' }), { group: 'b' }),
        sqsRecord('a3', body({ n: 'a3' }), { group: 'a' }),
        sqsRecord('b3', body({ n: 'b3' }), { group: 'b' }),
      ),
      lambdaContext(30_000),
    );
    expect(result).to.deep.equal({ batchItemFailures: [{ itemIdentifier: 'b1' }, { itemIdentifier: 'b2' }, { itemIdentifier: 'b3' }] });
    const ran = subscriber.seen.map((s) => s.payload['n']);
    expect(ran.filter((n) => String(n).startsWith('a'))).to.deep.equal(['a1', 'a2', 'a3']);
    expect(ran).to.not.include.members(['b2', 'b3']);
  });

  it('runs one FIFO group one record at a time, and standard records up to `concurrency` at once', async () => {
    let running = 0;
    let peak = 0;
    class Slow extends PlaintextSubscriber {
      async process() {
        running += 1;
        peak = Math.max(peak, running);
        await new Promise((resolve) => setTimeout(resolve, 10));
        running -= 1;
      }
    }
    const fifo = createLambdaHandler({ subscribers: [Slow], client: fakeSqs().client, logger: silentLogger });
    await fifo(sqsEvent(...['1', '2', '3', '4'].map((id) => sqsRecord(id, `text ${id}`, { group: 'g' }))), lambdaContext(30_000));
    expect(peak).to.equal(1);
    peak = 0;
    const standard = createLambdaHandler({ subscribers: [Slow], client: fakeSqs().client, logger: silentLogger, concurrency: 3 });
    await standard(sqsEvent(...Array.from({ length: 9 }, (_, i) => sqsRecord(String(i), `text ${i}`))), lambdaContext(30_000));
    expect(peak).to.equal(3);
    peak = 0;
    const all = createLambdaHandler({ subscribers: [Slow], client: fakeSqs().client, logger: silentLogger });
    await all(sqsEvent(...Array.from({ length: 9 }, (_, i) => sqsRecord(String(i), `text ${i}`))), lambdaContext(30_000));
    expect(peak, 'default: every record of a standard batch at once').to.equal(9);
  });

  it('at the deadline margin aborts running handlers and reports them and the unstarted records, with time to set retry delays', async () => {
    const signals: AbortSignal[] = [];
    class Hangs extends DataSubscriber {
      pattern = { hang: true };
      process(_payload: DataObject, context: MessageContext) {
        signals.push(context.signal);
        return new Promise<void>(() => {});
      }
    }
    const sqs = fakeSqs({ ChangeMessageVisibilityCommand: () => ({}) });
    const handler = createLambdaHandler({ subscribers: [Hangs, ByStatus], client: sqs.client, logger: silentLogger, deadlineMarginMs: 100, concurrency: 1, fullBatchFailure: 'report' });
    const started = Date.now();
    const result = await handler(sqsEvent(sqsRecord('ok', body({})), sqsRecord('hang', body({ hang: true })), sqsRecord('never', body({}))), lambdaContext(300));
    const took = Date.now() - started;
    expect(result).to.deep.equal({ batchItemFailures: [{ itemIdentifier: 'hang' }, { itemIdentifier: 'never' }] });
    expect(signals[0]?.aborted).to.equal(true);
    expect(took, 'returned within the function timeout').to.be.below(300);
    expect(sqs.of('ChangeMessageVisibilityCommand').map((c) => c.input.ReceiptHandle)).to.deep.equal([sqsRecord('hang', '').receiptHandle]);
  });

  it('reports a record even when its retry delay cannot be set (it comes back sooner)', async () => {
    const sqs = fakeSqs({
      ChangeMessageVisibilityCommand: () => {
        throw new Error('ReceiptHandle is invalid');
      },
    });
    const handler = createLambdaHandler({ subscribers: [ByStatus], client: sqs.client, logger: silentLogger });
    expect(await handler(sqsEvent(sqsRecord('later', body({ status: ProcessStatus.RETRY_LATER })), sqsRecord('ok', body({}))), lambdaContext(30_000))).to.deep.equal({
      batchItemFailures: [{ itemIdentifier: 'later' }],
    });
  });

  it('takes the queue URL from the options when given (a string or a function of the ARN)', async () => {
    for (const queueUrl of ['http://127.0.0.1:4566/000000000000/my-queue', (arn: string) => `http://127.0.0.1:4566/000000000000/${arn.split(':').pop()}`]) {
      const { sqs, handler } = setup({ queueUrl, fullBatchFailure: 'report' });
      await handler(sqsEvent(sqsRecord('later', body({ status: ProcessStatus.RETRY_LATER }))), lambdaContext(30_000));
      expect(sqs.of('ChangeMessageVisibilityCommand')[0]?.input.QueueUrl).to.equal('http://127.0.0.1:4566/000000000000/my-queue');
    }
  });
});

describe('lambda/handler: SNS events', () => {
  it('runs the subscribers on the published body with its attributes, and returns nothing when all is done', async () => {
    const { subscriber, handler } = setup();
    expect(await handler(snsEvent(snsRecord('s1', body({ id: 1 }), { tenant: { Type: 'String', Value: 'acme' } })), lambdaContext(30_000))).to.equal(undefined);
    expect(subscriber.seen[0]?.payload).to.deep.equal({ id: 1 });
    expect(subscriber.seen[0]?.context.messageAttributes).to.deep.equal({ tenant: 'acme' });
    expect(subscriber.seen[0]?.context.sentAt?.toISOString()).to.equal('2019-01-02T12:45:07.000Z');
  });

  it('fails the invocation when a subscriber wants a retry (Lambda retries SNS deliveries itself)', async () => {
    const { sqs, handler } = setup();
    const error = await handler(snsEvent(snsRecord('s1', body({ status: ProcessStatus.RETRY_LATER }))), lambdaContext(30_000)).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(LambdaBatchError);
    expect((error as LambdaBatchError).failedMessageIds).to.deep.equal(['s1']);
    expect(sqs.sent, 'nothing to acknowledge on SQS').to.be.empty;
  });
});

describe('lambda/handler: bad input', () => {
  it('refuses events that are neither SQS nor SNS, or mix them', async () => {
    const { handler } = setup();
    for (const event of [{}, { Records: 'x' }, { Records: [{ eventSource: 'aws:kinesis' }] }, { Records: [sqsRecord('a', '{}'), snsRecord('b', '{}')] }]) {
      const error = await handler(event as never, lambdaContext(30_000)).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error, JSON.stringify(event).slice(0, 60)).to.be.instanceOf(LambdaEventError);
    }
  });

  it('validates its options and subscribers at creation, naming each problem', () => {
    expect(() => createLambdaHandler({ subscribers: [] })).to.throw(LambdaOptionsError, /subscribers: must name at least one subscriber/);
    expect(() => createLambdaHandler({ subscribers: [ByStatus], concurrency: 0 })).to.throw(LambdaOptionsError, /concurrency/);
    expect(() => createLambdaHandler({ subscribers: [ByStatus], deadlineMarginMs: -1 })).to.throw(LambdaOptionsError, /deadlineMarginMs/);
    expect(() => createLambdaHandler({ subscribers: [ByStatus], fullBatchFailure: 'never' as 'throw' })).to.throw(LambdaOptionsError, /fullBatchFailure/);
    expect(() => createLambdaHandler({ subscribers: [ByStatus], queueUrl: 'not a url' })).to.throw(LambdaOptionsError, /queueUrl/);
    expect(() => createLambdaHandler({ subscribers: [ByStatus], visibilityTimeout: 3 } as never)).to.throw(LambdaOptionsError, /unknown option\(s\) visibilityTimeout/);
    class NoProcess {}
    expect(() => createLambdaHandler({ subscribers: [NoProcess as never] })).to.throw(/NoProcess/);
  });
});
