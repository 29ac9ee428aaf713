import { expect } from 'chai';
import { silentLogger } from '../../src/aws/logger.js';
import { DataSubscriber } from '../../src/dispatch/data-subscribers.js';
import { ProcessStatus } from '../../src/dispatch/status.js';
import { createLambdaHandler, LambdaOptionsError, MemoryIdempotencyStore } from '../../src/lambda.js';
import type { DataObject } from '../../src/protocol/types.js';
import { allSuccessful, fakeSqs } from '../listener/listener-fakes.js';
import { lambdaContext, sqsEvent, sqsRecord, snsEvent, snsRecord } from '../lambda/fixtures.js';

class Orders extends DataSubscriber {
  seen: number[] = [];
  pattern = {};
  process(payload: DataObject) {
    this.seen.push(Number(payload['id']));
    return payload['retry'] === true && this.seen.length === 1 ? ProcessStatus.RETRY_LATER : ProcessStatus.DONE;
  }
}

function setup(key?: 'messageId' | 'payloadHash') {
  const sqs = fakeSqs({ ChangeMessageVisibilityCommand: () => ({}), ChangeMessageVisibilityBatchCommand: allSuccessful });
  const orders = new Orders();
  const handler = createLambdaHandler({
    subscribers: [orders],
    client: sqs.client,
    logger: silentLogger,
    retryDelaySeconds: () => 0,
    idempotency: { store: new MemoryIdempotencyStore(), ...(key ? { key } : {}) },
  });
  return { orders, handler };
}

describe('idempotency: the Lambda handler skips duplicates (memory store)', () => {
  it('a redelivered record (same message id) is acknowledged without running the subscribers again', async () => {
    const { orders, handler } = setup();
    const first = await handler(sqsEvent(sqsRecord('m-1', '{"id":1}')), lambdaContext(30_000));
    const again = await handler(sqsEvent(sqsRecord('m-1', '{"id":1}', { receiveCount: 2 }), sqsRecord('m-2', '{"id":2}')), lambdaContext(30_000));
    expect(first).to.deep.equal({ batchItemFailures: [] });
    expect(again).to.deep.equal({ batchItemFailures: [] });
    expect(orders.seen).to.deep.equal([1, 2]);
  });

  it('with the payload hash, the same payload published twice runs once, SQS and SNS alike', async () => {
    const { orders, handler } = setup('payloadHash');
    await handler(sqsEvent(sqsRecord('m-1', '{"id":7,"a":1}')), lambdaContext(30_000));
    await handler(sqsEvent(sqsRecord('m-2', '{"a":1,"id":7}')), lambdaContext(30_000));
    await handler(snsEvent(snsRecord('sns-1', '{"id":7,"a":1}')), lambdaContext(30_000));
    expect(orders.seen).to.deep.equal([7]);
  });

  it('a record left for a retry frees its claim: its next delivery runs it', async () => {
    const { orders, handler } = setup();
    const first = await handler(sqsEvent(sqsRecord('m-3', '{"id":3,"retry":true}'), sqsRecord('m-4', '{"id":4}')), lambdaContext(30_000));
    expect(first).to.deep.equal({ batchItemFailures: [{ itemIdentifier: 'm-3' }] });
    const second = await handler(sqsEvent(sqsRecord('m-3', '{"id":3,"retry":true}', { receiveCount: 2 })), lambdaContext(30_000));
    expect(second).to.deep.equal({ batchItemFailures: [] });
    expect(orders.seen).to.deep.equal([3, 4, 3]);
  });

  it('validates the option at cold start', () => {
    expect(() => createLambdaHandler({ subscribers: [Orders], idempotency: { store: {} as never } })).to.throw(LambdaOptionsError, /idempotency\.store/);
    expect(() => createLambdaHandler({ subscribers: [Orders], handlerTimeoutSeconds: 60, idempotency: { store: new MemoryIdempotencyStore(), inProgressSeconds: 10 } })).to.throw(
      LambdaOptionsError,
      /idempotency\.inProgressSeconds/,
    );
  });
});
