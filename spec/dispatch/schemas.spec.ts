// Zod schemas on subscribers: runtime validation (a failing payload is FATAL_ERROR naming the path)
// and the payload types `process` receives (compile-time assertions, checked by `tsc`).
import { expect } from 'chai';
import { z } from 'zod';
import { DataSubscriber, type DataPayload } from '../../src/dispatch/data-subscribers.js';
import { Dispatcher } from '../../src/dispatch/dispatcher.js';
import { PayloadSchemaError, SubscriberRegistrationError } from '../../src/dispatch/errors.js';
import { EventSubscriber, type EventPayload } from '../../src/dispatch/event-subscriber.js';
import { ProcessStatus } from '../../src/dispatch/status.js';
import type { DataObject, MegaPayload } from '../../src/protocol/types.js';
import { TestClient } from '../../src/testing.js';
import { megaPayload } from './support.js';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function assertType<T extends true>(): T | undefined {
  return undefined;
}

const ItemAttributes = z.object({ item_id: z.string().min(1), quantity: z.coerce.number().int().positive() });

class ItemAdded extends EventSubscriber<typeof ItemAttributes> {
  name = 'item.added';
  attributesSchema = ItemAttributes;
  received: Array<EventPayload<typeof ItemAttributes>> = [];
  process(payload: EventPayload<typeof ItemAttributes>): void {
    const quantity: number = payload.event.attributes.quantity;
    void quantity;
    this.received.push(payload);
  }
}

const Order = z.object({ id: z.string(), lines: z.array(z.object({ sku: z.string(), qty: z.number() })) });

class Orders extends DataSubscriber<typeof Order> {
  schema = Order;
  pattern = { id: (v: unknown) => typeof v === 'string' };
  totals: number[] = [];
  process(order: DataPayload<typeof Order>): void {
    this.totals.push(order.lines.reduce((sum, line) => sum + line.qty, 0));
  }
}

describe('dispatch/schemas', () => {
  describe('types', () => {
    it('give process the schema output where a schema is given, the plain payload otherwise', () => {
      assertType<Equal<EventPayload<typeof ItemAttributes>['event']['attributes'], { item_id: string; quantity: number }>>();
      assertType<Equal<EventPayload<typeof ItemAttributes>['event']['name'], string>>();
      assertType<Equal<EventPayload, MegaPayload>>();
      assertType<Equal<DataPayload<typeof Order>, { id: string; lines: Array<{ sku: string; qty: number }> }>>();
      assertType<Equal<DataPayload, DataObject>>();
      assertType<Equal<Parameters<ItemAdded['process']>[0]['event']['attributes']['quantity'], number>>();
      assertType<Equal<Parameters<Orders['process']>[0]['lines'][number]['sku'], string>>();
      const check = (p: EventPayload<typeof ItemAttributes>) => {
        // @ts-expect-error: the schema's output has no such attribute
        return p.event.attributes.colour;
      };
      expect(check).to.be.a('function');
    });
  });

  describe('runtime', () => {
    it('hands process the schema output (coerced) without changing the payload other subscribers see', async () => {
      class Raw extends EventSubscriber {
        seen: MegaPayload[] = [];
        process(payload: MegaPayload): void {
          this.seen.push(payload);
        }
      }
      const client = new TestClient([ItemAdded, Raw]);
      const payload = megaPayload({ name: 'item.added', attributes: { item_id: 'a', quantity: '3', note: 'x' } });
      const outcome = await client.send(payload);
      expect(outcome.statuses).to.deep.equal([ProcessStatus.DONE, ProcessStatus.DONE]);
      const [typed, raw] = client.dispatcher.subscribers as [ItemAdded, Raw];
      expect(typed.received[0]?.event.attributes).to.deep.equal({ item_id: 'a', quantity: 3 });
      expect(typed.received[0]?.event.name).to.equal('item.added');
      expect(raw.seen[0]?.event.attributes).to.deep.equal({ item_id: 'a', quantity: '3', note: 'x' });
    });

    it('makes a failing payload FATAL_ERROR with an error naming the path, without calling process', async () => {
      const client = new TestClient([ItemAdded]);
      const outcome = await client.send(megaPayload({ name: 'item.added', attributes: { item_id: 'a', quantity: -2 } }));
      expect(outcome.statuses).to.deep.equal([ProcessStatus.FATAL_ERROR]);
      expect(outcome.decision).to.deep.equal({ action: 'delete', deadLetter: true, reason: 'fatal' });
      const error = outcome.results[0]?.error;
      expect(error).to.be.instanceOf(PayloadSchemaError);
      expect(error).to.include({ subscriber: 'ItemAdded', path: 'event.attributes.quantity' });
      expect(error?.message).to.match(/^ItemAdded: payload does not fit its schema at event\.attributes\.quantity: /);
      expect((client.dispatcher.subscribers[0] as ItemAdded).received).to.have.length(0);
    });

    it('validates data payloads, naming nested paths', async () => {
      const client = new TestClient([Orders]);
      const good = await client.send({ id: 'o1', lines: [{ sku: 'a', qty: 2 }, { sku: 'b', qty: 3 }] });
      expect(good.statuses).to.deep.equal([ProcessStatus.DONE]);
      expect((client.dispatcher.subscribers[0] as Orders).totals).to.deep.equal([5]);
      const bad = await client.send({ id: 'o2', lines: [{ sku: 'a', qty: 'two' }] });
      expect(bad.statuses).to.deep.equal([ProcessStatus.FATAL_ERROR]);
      expect(bad.results[0]?.error).to.include({ path: 'lines.0.qty' });
    });

    it('stays FATAL_ERROR even when every error is listed as retriable', async () => {
      const client = new TestClient([Orders], { retriableErrors: [Error] });
      expect((await client.send({ id: 'o3' })).statuses).to.deep.equal([ProcessStatus.FATAL_ERROR]);
    });

    it('refuses a schema field that is not a zod schema at registration', () => {
      class Wrong extends DataSubscriber {
        schema = { parse: () => ({}) };
        process(): void {}
      }
      expect(() => new Dispatcher().register(Wrong)).to.throw(SubscriberRegistrationError, /Wrong: schema must be a zod schema/);
    });
  });
});
