import { expect } from 'chai';
import { encodePayload } from '../../src/codec/encode.js';
import { DataSubscriber, PlaintextSubscriber } from '../../src/dispatch/data-subscribers.js';
import { Dispatcher } from '../../src/dispatch/dispatcher.js';
import { RetriableError } from '../../src/dispatch/errors.js';
import { EventSubscriber } from '../../src/dispatch/event-subscriber.js';
import { ProcessStatus } from '../../src/dispatch/status.js';
import type { MessageContext } from '../../src/dispatch/context.js';
import { gt, not, empty, oneOf } from '../../src/match/dsl.js';
import { PayloadBuilder } from '../../src/protocol/builder.js';
import type { DataObject, MegaPayload } from '../../src/protocol/types.js';
import { TestClient } from '../../src/testing.js';

class ItemAdded extends EventSubscriber {
  domain = 'shopping_cart';
  name = 'item.added';
  version = oneOf(1, 2);
  attributes = { item_id: not(empty()), quantity: gt(0) };
  contexts: MessageContext[] = [];
  process(_payload: MegaPayload, context: MessageContext): void {
    this.contexts.push(context);
  }
}

/** Takes a repository through its constructor, so it is registered as an instance. */
class Restock extends EventSubscriber {
  name = 'item.added';
  constructor(private readonly stock: Map<string, number>) {
    super();
  }
  process(payload: MegaPayload): ProcessStatus {
    const id = String(payload.event.attributes.item_id);
    if (!this.stock.has(id)) return ProcessStatus.RETRY_LATER;
    this.stock.set(id, (this.stock.get(id) ?? 0) - Number(payload.event.attributes.quantity));
    return ProcessStatus.DONE;
  }
}

class Orders extends DataSubscriber {
  pattern = { type: 'order' };
  process(payload: DataObject): void {
    if (payload.total === undefined) throw new RetriableError('totals service down');
  }
}

const itemAdded = (quantity: number, item_id = 'sku-1'): MegaPayload =>
  new PayloadBuilder().withEvent({ name: 'item.added', domain: 'shopping_cart', version: 2, item_id, quantity }).build();

describe('dispatch/test-client', () => {
  it('runs classes and instances on a MEGA payload', async () => {
    const stock = new Map([['sku-1', 10]]);
    const client = new TestClient([ItemAdded, new Restock(stock)]);
    const outcome = await client.send(itemAdded(3));
    expect(outcome.matched).to.deep.equal(['ItemAdded', 'Restock']);
    expect(outcome.statuses).to.deep.equal([ProcessStatus.DONE, ProcessStatus.DONE]);
    expect(outcome.deleted).to.equal(true);
    expect(outcome.decoded.kind).to.equal('mega');
    expect(stock.get('sku-1')).to.equal(7);
  });

  it('keeps a message one subscriber wants to retry', async () => {
    const client = new TestClient([ItemAdded, new Restock(new Map())]);
    const outcome = await client.send(itemAdded(1, 'unknown'));
    expect(outcome.statuses).to.deep.equal([ProcessStatus.DONE, ProcessStatus.RETRY_LATER]);
    expect(outcome.deleted).to.equal(false);
    expect(outcome.decision.reason).to.equal('retry');
  });

  it('classifies a plain object like a decoded JSON body (MEGA-shaped with string timestamps is MEGA)', async () => {
    const client = new TestClient([ItemAdded, Orders]);
    const wire = {
      protocol: 'mega',
      version: 1,
      event: { name: 'item.added', domain: 'shopping_cart', timestamp: '2020-05-04T15:53:23.123', item_id: 'x', quantity: 5 },
    };
    const outcome = await client.send(wire);
    expect(outcome.decoded.kind).to.equal('mega');
    expect(outcome.matched).to.deep.equal(['ItemAdded']);
    expect((await client.send({ type: 'order', total: 5 })).matched).to.deep.equal(['Orders']);
  });

  it('decodes a raw body string as the listener would', async () => {
    const client = new TestClient([ItemAdded, Orders]);
    expect((await client.send(encodePayload(itemAdded(2)))).matched).to.deep.equal(['ItemAdded']);
    expect((await client.send(encodePayload(itemAdded(2), { binaryEncoding: true }))).matched).to.deep.equal(['ItemAdded']);
    const retried = await client.send('{"type":"order"}');
    expect(retried.statuses).to.deep.equal([ProcessStatus.RETRIABLE_ERROR]);
    expect(retried.results[0]?.error).to.be.instanceOf(RetriableError);
    expect(retried.deleted).to.equal(false);
  });

  it('deletes unmatched plaintext, and dead-letters an invalid MEGA body', async () => {
    const client = new TestClient([ItemAdded]);
    const text = await client.send('hello there');
    expect(text).to.include({ deleted: true });
    expect(text.matched).to.deep.equal([]);
    expect(text.decision.reason).to.equal('unmatched');
    const bad = await client.send('{"protocol":"mega","version":1,"event":{}}');
    expect(bad.decoded.kind).to.equal('invalid');
    expect(bad.decision).to.deep.equal({ action: 'delete', deadLetter: true, reason: 'invalid' });
  });

  it('sends bytes as a binary payload and plaintext to its subscriber', async () => {
    class Shout extends PlaintextSubscriber {
      process(text: string): ProcessStatus {
        return text === text.toUpperCase() ? ProcessStatus.DONE : ProcessStatus.FATAL_ERROR;
      }
    }
    const client = new TestClient([Shout]);
    expect((await client.send('HEY')).statuses).to.deep.equal([ProcessStatus.DONE]);
    expect((await client.send('hey')).decision.reason).to.equal('fatal');
    const bytes = await client.send(Uint8Array.of(0, 1, 2));
    expect(bytes.decoded.kind).to.equal('binary');
    expect(bytes.matched).to.deep.equal([]);
  });

  it('gives each message a synthetic context, which a test may override', async () => {
    const client = new TestClient([ItemAdded]);
    await client.send(itemAdded(1));
    await client.send(itemAdded(1), { receiveCount: 4, messageAttributes: { tenant: 'a' } });
    const [first, second] = (client.dispatcher.subscribers[0] as ItemAdded).contexts;
    expect(first).to.include({ messageId: 'test-message-1', receiveCount: 1 });
    expect(first?.signal.aborted).to.equal(false);
    expect(first?.decoded.kind).to.equal('mega');
    expect(second).to.include({ messageId: 'test-message-2', receiveCount: 4 });
    expect(second?.messageAttributes).to.deep.equal({ tenant: 'a' });
  });

  it('wraps an existing Dispatcher and its retriable errors', async () => {
    class Timeout extends Error {}
    class Slow extends DataSubscriber {
      process(): void {
        throw new Timeout('slow');
      }
    }
    const dispatcher = new Dispatcher({ retriableErrors: [Timeout] });
    dispatcher.register(Slow);
    expect((await new TestClient(dispatcher).send({ a: 1 })).statuses).to.deep.equal([ProcessStatus.RETRIABLE_ERROR]);
    expect((await new TestClient([Slow]).send({ a: 1 })).statuses).to.deep.equal([ProcessStatus.FATAL_ERROR]);
    expect((await new TestClient([Slow], { retriableErrors: [Timeout] }).send({ a: 1 })).statuses).to.deep.equal([
      ProcessStatus.RETRIABLE_ERROR,
    ]);
  });
});
