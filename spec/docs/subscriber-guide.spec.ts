// The subscriber classes shown in docs/subscribers.md and docs/getting-started.md, checked against
// the real dispatcher so the guide's examples compile and do what the text says.
import { expect } from 'chai';
import { z } from 'zod';
import {
  DataSubscriber,
  EventSubscriber,
  PayloadBuilder,
  PlaintextSubscriber,
  ProcessStatus,
  empty,
  gt,
  match,
  not,
  oneOf,
} from '../../src/index.js';
import type { DataObject, EventPatterns, EventPayload, MegaPayload } from '../../src/index.js';
import { TestClient } from '../../src/testing.js';

class ItemAdded extends EventSubscriber implements EventPatterns {
  domain = 'shopping_cart';
  name = 'item.added';
  version = oneOf(1, 2);
  attributes = { item_id: not(empty()), quantity: gt(0) };
  reserved: [string, number][] = [];

  async process(payload: MegaPayload): Promise<ProcessStatus | void> {
    const { item_id, quantity } = payload.event.attributes as { item_id: string; quantity: number };
    if (item_id === 'locked') return ProcessStatus.RETRY_LATER;
    this.reserved.push([item_id, quantity]);
  }
}

class UserNotification extends DataSubscriber {
  pattern = {
    type: match('user:notification:'),
    notification_type: oneOf('email', 'sms', 'push'),
    user: { id: gt(0), email: not(match('test@')) },
  };
  process(_payload: DataObject): void {}
}

const Added = z.object({ item_id: z.string(), quantity: z.number().int().positive() });

class TypedItemAdded extends EventSubscriber<typeof Added> {
  name = 'item.added';
  attributesSchema = Added;
  quantities: number[] = [];
  process(payload: EventPayload<typeof Added>): void {
    this.quantities.push(payload.event.attributes.quantity);
  }
}

class LegacyCsvOrder extends PlaintextSubscriber<{ id: string; total: string }> {
  pattern = { id: match('ORD-') };
  orders: { id: string; total: string }[] = [];
  override transform(text: string) {
    const [id, total] = text.split(';');
    return id !== undefined && total !== undefined ? { id, total } : undefined;
  }
  process(order: { id: string; total: string }): void {
    this.orders.push(order);
  }
}

const event = (attributes: DataObject, version = 1) =>
  new PayloadBuilder().withEvent({ domain: 'shopping_cart', name: 'item.added', version, ...attributes }).build();

describe('docs/subscribers.md examples', () => {
  it('ItemAdded: versions 1 and 2, a non-empty item id and a positive quantity', async () => {
    const itemAdded = new ItemAdded();
    const client = new TestClient([itemAdded]);
    expect((await client.send(event({ item_id: 'a', quantity: 5 }, 2))).matched).to.deep.equal(['ItemAdded']);
    expect((await client.send(event({ item_id: 'a', quantity: 5 }, 3))).matched).to.deep.equal([]);
    expect((await client.send(event({ item_id: '', quantity: 5 }))).matched).to.deep.equal([]);
    expect((await client.send(event({ item_id: 'locked', quantity: 1 }))).deleted).to.equal(false);
    expect(itemAdded.reserved).to.deep.equal([['a', 5]]);
  });

  it('UserNotification: partial match of a nested data object, test addresses excluded', async () => {
    const client = new TestClient([UserNotification]);
    const request = (email: string) => ({ type: 'user:notification:email', notification_type: 'email', user: { id: 1, email }, extra: true });
    expect((await client.send(request('jane@example.com'))).matched).to.deep.equal(['UserNotification']);
    expect((await client.send(request('test@example.com'))).matched).to.deep.equal([]);
    expect((await client.send({ type: 'user:notification:email' })).matched).to.deep.equal([]);
  });

  it('TypedItemAdded: process gets the schema output; a payload failing the schema is FATAL_ERROR', async () => {
    const typed = new TypedItemAdded();
    const client = new TestClient([typed]);
    expect((await client.send(event({ item_id: 'a', quantity: 2 }))).statuses).to.deep.equal([ProcessStatus.DONE]);
    const bad = await client.send(event({ item_id: 'a', quantity: 1.5 }));
    expect(bad.statuses).to.deep.equal([ProcessStatus.FATAL_ERROR]);
    expect(bad.results[0]?.error?.name).to.equal('PayloadSchemaError');
    expect(typed.quantities).to.deep.equal([2]);
  });

  it('LegacyCsvOrder: transform turns text into an object the pattern matches; undefined means not mine', async () => {
    const csv = new LegacyCsvOrder();
    const client = new TestClient([csv]);
    expect((await client.send('ORD-1;19.99')).matched).to.deep.equal(['LegacyCsvOrder']);
    expect((await client.send('INV-1;19.99')).matched).to.deep.equal([]);
    expect((await client.send('no separator here')).matched).to.deep.equal([]);
    expect(csv.orders).to.deep.equal([{ id: 'ORD-1', total: '19.99' }]);
  });

  it('a message goes to every matching subscriber and stays when any of them asks to retry', async () => {
    class Audit extends EventSubscriber {
      process(): void {}
    }
    const client = new TestClient([new ItemAdded(), Audit]);
    const outcome = await client.send(event({ item_id: 'locked', quantity: 1 }));
    expect(outcome.matched).to.deep.equal(['ItemAdded', 'Audit']);
    expect(outcome.statuses).to.deep.equal([ProcessStatus.RETRY_LATER, ProcessStatus.DONE]);
    expect(outcome.deleted).to.equal(false);
  });

  it('a field of another kind of subscriber is refused at registration, not ignored', () => {
    class Confused extends EventSubscriber {
      pattern = { name: 'item.added' };
      process(): void {}
    }
    expect(() => new TestClient([Confused])).to.throw(/Confused: EventSubscriber matches with its event fields/);
  });
});
