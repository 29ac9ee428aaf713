// The examples of docs/testing.md, run as part of the suite so the guide cannot drift from the code.
// In a project, the two imports below are `from 'sqs-mega'` and `from 'sqs-mega/testing'`.
import { expect } from 'chai';
import {
  DataSubscriber,
  EventSubscriber,
  PayloadBuilder,
  ProcessStatus,
  RetriableError,
  SqsListener,
  encodePayload,
  explain,
  gt,
  match,
  not,
  empty,
} from '../../src/index.js';
import type { DataObject, MegaPayload, MessageContext } from '../../src/index.js';
import { TestClient } from '../../src/testing.js';

// --- The subscribers under test (what an application would have in src/subscribers.ts) ---

interface Inventory {
  reserve(itemId: string, quantity: number): Promise<'ok' | 'locked'>;
}

class ItemAdded extends EventSubscriber {
  domain = 'shopping_cart';
  name = 'item.added';
  attributes = { item_id: not(empty()), quantity: gt(0) };

  constructor(private readonly inventory: Inventory) {
    super();
  }

  async process(payload: MegaPayload): Promise<ProcessStatus | void> {
    const { item_id, quantity } = payload.event.attributes as { item_id: string; quantity: number };
    const result = await this.inventory.reserve(item_id, quantity);
    if (result === 'locked') return ProcessStatus.RETRY_LATER;
  }
}

class UserNotification extends DataSubscriber {
  pattern = { type: match('user:notification:'), user: { id: gt(0) } };
  sent: DataObject[] = [];

  process(payload: DataObject): void {
    if (payload.template === 'broken') throw new Error('template not found');
    if (payload.template === 'slow') throw new RetriableError('mail server busy');
    this.sent.push(payload);
  }
}

/** A fake that records what it was asked, answering `locked` for the ids it is told to. */
function fakeInventory(locked: string[] = []): Inventory & { calls: [string, number][] } {
  const calls: [string, number][] = [];
  return {
    calls,
    async reserve(itemId, quantity) {
      calls.push([itemId, quantity]);
      return locked.includes(itemId) ? 'locked' : 'ok';
    },
  };
}

const itemAdded = (quantity: number, itemId = 'sku-1'): MegaPayload =>
  new PayloadBuilder().withEvent({ domain: 'shopping_cart', name: 'item.added', item_id: itemId, quantity }).build();

describe('docs/testing.md examples', () => {
  it('1. sends a MEGA payload to the subscribers that match it', async () => {
    const inventory = fakeInventory();
    const client = new TestClient([new ItemAdded(inventory), new UserNotification()]);

    const outcome = await client.send(itemAdded(5));

    expect(outcome.matched).to.deep.equal(['ItemAdded']);
    expect(outcome.statuses).to.deep.equal([ProcessStatus.DONE]);
    expect(outcome.deleted).to.equal(true);
    expect(inventory.calls).to.deep.equal([['sku-1', 5]]);
  });

  it('2. sends the exact body a queue would deliver (here: base64 BSON)', async () => {
    const client = new TestClient([new ItemAdded(fakeInventory())]);
    const body = encodePayload(itemAdded(2), { binaryEncoding: true });

    const outcome = await client.send(body);

    expect(outcome.decoded.kind).to.equal('mega');
    expect(outcome.decoded.encoding).to.equal('bson');
    expect(outcome.matched).to.deep.equal(['ItemAdded']);
  });

  it('3. a plain object is classified like a JSON body: MEGA-shaped objects are events', async () => {
    const client = new TestClient([new ItemAdded(fakeInventory())]);
    const outcome = await client.send({
      protocol: 'mega',
      version: 1,
      event: { domain: 'shopping_cart', name: 'item.added', timestamp: '2020-05-04T15:53:23Z', attributes: { item_id: 'a', quantity: 1 } },
    });
    expect(outcome.matched).to.deep.equal(['ItemAdded']);
  });

  it('4. a message nobody matches is deleted; explain() says why each subscriber passed', async () => {
    const itemSubscriber = new ItemAdded(fakeInventory());
    const client = new TestClient([itemSubscriber]);

    const outcome = await client.send(itemAdded(0));

    expect(outcome.matched).to.deep.equal([]);
    expect(outcome.deleted).to.equal(true);
    expect(outcome.decision.reason).to.equal('unmatched');
    const why = explain(itemSubscriber, outcome.decoded);
    expect(why.matched).to.equal(false);
    const failing = why.fields.find((f) => !f.matched);
    expect(failing?.mismatch).to.deep.include({ path: 'attributes.quantity', expected: 'gt(0)', actual: 0 });
  });

  it('5. RETRY_LATER keeps the message; the context can say it is a redelivery', async () => {
    const client = new TestClient([new ItemAdded(fakeInventory(['sku-busy']))]);

    const first = await client.send(itemAdded(1, 'sku-busy'));
    expect(first.statuses).to.deep.equal([ProcessStatus.RETRY_LATER]);
    expect(first.deleted).to.equal(false);

    // Any context field can be set; the rest is synthetic (fresh id, receiveCount 1...).
    const context: Partial<MessageContext> = { receiveCount: 3, messageAttributes: { source: 'test' } };
    const third = await client.send(itemAdded(1, 'sku-free'), context);
    expect(third.deleted).to.equal(true);
  });

  it('6. thrown errors: FATAL_ERROR deletes (and would dead-letter), RetriableError keeps', async () => {
    const notifications = new UserNotification();
    const client = new TestClient([notifications]);
    const request = (template: string) => ({ type: 'user:notification:email', user: { id: 1 }, template });

    const broken = await client.send(request('broken'));
    expect(broken.statuses).to.deep.equal([ProcessStatus.FATAL_ERROR]);
    expect(broken.results[0]?.error?.message).to.equal('template not found');
    expect(broken.decision).to.deep.include({ action: 'delete', deadLetter: true });

    const slow = await client.send(request('slow'));
    expect(slow.statuses).to.deep.equal([ProcessStatus.RETRIABLE_ERROR]);
    expect(slow.deleted).to.equal(false);

    await client.send(request('welcome'));
    expect(notifications.sent.map((p) => p.template)).to.deep.equal(['welcome']);
  });

  it('7. subscriber classes with no-argument constructors can be passed as classes', async () => {
    const client = new TestClient([UserNotification]);
    const outcome = await client.send({ type: 'user:notification:sms', user: { id: 9 } });
    expect(outcome.matched).to.deep.equal(['UserNotification']);
  });

  it('8. registration errors surface in the test, not in production: a class twice throws', () => {
    expect(() => new TestClient([UserNotification, UserNotification])).to.throw(/already registered/);
  });

  it('9. listener.testClient() runs the subscribers a listener was set up with, without polling', async () => {
    // Nothing is sent to this URL: the listener is only built, never started.
    const listener = new SqsListener({ queueUrl: 'http://127.0.0.1:9/000000000000/orders', region: 'us-east-1' });
    listener.registerSubscriber(new ItemAdded(fakeInventory()));
    listener.registerSubscriber(UserNotification);

    const outcome = await listener.testClient().send(itemAdded(3));
    expect(outcome.matched).to.deep.equal(['ItemAdded']);
  });
});
