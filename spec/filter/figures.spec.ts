import { expect } from 'chai';
import { CheckoutStarted, ItemAdded, PaymentCaptured } from '../../src/cli/demo/subscribers.js';
import { fiftySubscribers, measure } from './figures.js';

const stream = Array.from({ length: 400 }, (_, i) => ({
  protocol: 'mega',
  version: 1,
  event: { name: ['item.added', 'checkout.started', 'orders.created', 'cart.updated', 'users.created'][i % 5], domain: ['shopping_cart', 'cart', 'orders', 'users'][i % 4], version: 1 + (i % 3), timestamp: '2024-01-01T00:00:00Z', attributes: { amount: i % 100 } },
}));

describe('filter policy figures (docs/filter-policies.md)', () => {
  it('the demo and 50 subscribers: no wanted message dropped, at least 90% of unwanted ones dropped', () => {
    for (const subscribers of [[ItemAdded, CheckoutStarted, PaymentCaptured].map((C) => new C()), fiftySubscribers()]) {
      for (const scope of ['MessageAttributes', 'MessageBody'] as const) {
        const f = measure(subscribers, stream, scope);
        expect(f.wantedDropped).to.equal(0);
        expect(f.unwantedDropped).to.be.at.least(0.9);
      }
    }
  });
});
