import { expect } from 'chai';
import { DataSubscriber, PlaintextSubscriber } from '../../src/dispatch/data-subscribers.js';
import { EventSubscriber } from '../../src/dispatch/event-subscriber.js';
import { explain } from '../../src/dispatch/explain.js';
import { gt, match, oneOf } from '../../src/match/dsl.js';
import { PatternError } from '../../src/match/errors.js';
import { data, invalid, mega, megaPayload, plaintext } from './support.js';

class ItemAdded extends EventSubscriber {
  name = 'item.added';
  eventVersion = oneOf(1, 2);
  attributes = { quantity: gt(0) };
  objectType = 'cart';
  process(): void {}
}

describe('dispatch/explain', () => {
  it('reports every field as matched when the subscriber matches', () => {
    const e = explain(new ItemAdded(), mega(megaPayload({ name: 'item.added', attributes: { quantity: 2 } }, { type: 'cart', current: {} })));
    expect(e).to.deep.equal({
      subscriber: 'ItemAdded',
      matched: true,
      fields: [
        { field: 'name', matched: true },
        { field: 'eventVersion', matched: true },
        { field: 'attributes', matched: true },
        { field: 'objectType', matched: true },
      ],
    });
  });

  it('gives the first failing path of each field with expected and actual', () => {
    const e = explain(ItemAdded, mega(megaPayload({ name: 'item.removed', attributes: { quantity: -1 } })));
    expect(e.matched).to.equal(false);
    const byField = Object.fromEntries(e.fields.map((f) => [f.field, f]));
    expect(byField.name?.mismatch).to.include({ path: 'name', actual: 'item.removed' });
    expect(byField.name?.mismatch?.expected).to.contain('item.added');
    expect(byField.eventVersion?.matched).to.equal(true);
    expect(byField.attributes?.mismatch).to.include({ path: 'attributes.quantity', actual: -1 });
    expect(byField.objectType?.mismatch).to.deep.equal({ path: 'objectType', expected: 'a payload with an object', actual: undefined });
  });

  it('says when the payload kind is wrong for the subscriber', () => {
    expect(explain(ItemAdded, data({ name: 'item.added' }))).to.deep.equal({
      subscriber: 'ItemAdded',
      matched: false,
      reason: 'ItemAdded only sees a MEGA event; this message is a data object',
      fields: [],
    });
    expect(explain(ItemAdded, invalid('{')).reason).to.match(/^the message is invalid: /);
  });

  it('explains data and transformed plaintext patterns', () => {
    class Orders extends DataSubscriber {
      pattern = { order: { total: gt(100) } };
      process(): void {}
    }
    expect(explain(Orders, data({ order: {} })).fields).to.deep.equal([
      { field: 'pattern', matched: false, mismatch: { path: 'pattern.order.total', expected: 'present and gt(100)', actual: undefined } },
    ]);
    class Numbers extends PlaintextSubscriber<{ n: number }> {
      pattern = { n: gt(5) };
      override transform(text: string) {
        return /^\d+$/.test(text) ? { n: Number(text) } : undefined;
      }
      process(): void {}
    }
    expect(explain(Numbers, plaintext('7')).matched).to.equal(true);
    expect(explain(Numbers, plaintext('x')).reason).to.contain('transform returned undefined');
    expect(explain(Numbers, plaintext('3')).fields[0]?.mismatch).to.include({ path: 'pattern.n', actual: 3 });
  });

  it('throws PatternError for an unregistered subscriber with a malformed pattern', () => {
    class Broken extends DataSubscriber {
      pattern = { name: match(42 as never) };
      process(): void {}
    }
    expect(() => explain(Broken, data({}))).to.throw(PatternError, /^Broken\.pattern\.name: /);
  });
});
