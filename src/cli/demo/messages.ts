import { PayloadBuilder } from '../../protocol/builder.js';
import type { DataObject, MegaPayload } from '../../protocol/types.js';

/** How a demo message travels: straight to the queue, or through a topic (enveloped or raw). */
export type Route = 'queue' | 'events-topic (SNS envelope)' | 'data-topic (raw delivery)';

export interface DemoMessage {
  label: string;
  route: Route;
  payload: MegaPayload | DataObject | string;
  bson: boolean;
}

const cartId = '18a3f92e-1fbf-45eb-8769-d836d0a1be55';
const event = (name: string, domain: string, attributes: DataObject, subject = cartId): MegaPayload =>
  new PayloadBuilder().withEvent({ name, domain, subject, publisher: 'sqs-mega-demo', ...attributes }).build();

/** The mix the demo publishes: MEGA events and data, JSON and BSON, raw and enveloped, text and junk. */
export function demoMessages(): DemoMessage[] {
  const itemAdded = new PayloadBuilder()
    .withEvent({ name: 'item.added', domain: 'shopping_cart', version: 2, subject: cartId, publisher: 'cart-service', item_id: '61fcc874', quantity: 5 })
    .withObject({ type: 'shopping_cart', id: cartId, version: 2, current: { items: [{ id: '61fcc874', quantity: 5 }], currency: 'USD' } })
    .withExtra({ channel: 'web/desktop' })
    .build();
  return [
    { label: 'item.added, JSON', route: 'events-topic (SNS envelope)', payload: itemAdded, bson: false },
    { label: 'item.added, BSON', route: 'queue', payload: event('item.added', 'shopping_cart', { item_id: '3c7f8798', quantity: 1 }), bson: true },
    { label: 'item.added with quantity 0', route: 'events-topic (SNS envelope)', payload: event('item.added', 'shopping_cart', { item_id: 'bba76edc', quantity: 0 }), bson: false },
    { label: 'checkout.started', route: 'queue', payload: event('checkout.started', 'shopping_cart', {}), bson: false },
    { label: 'payment.captured, bad amount', route: 'events-topic (SNS envelope)', payload: event('payment.captured', 'payments', { amount: 'lots' }), bson: true },
    {
      label: 'email notification, JSON data',
      route: 'data-topic (raw delivery)',
      payload: { type: 'user:notification:email', notification_type: 'email', user: { id: 987650, email: 'johndoe_86@example.com' } },
      bson: false,
    },
    {
      label: 'sms notification, BSON data',
      route: 'data-topic (raw delivery)',
      payload: { type: 'user:notification:sms', notification_type: 'sms', user: { id: 1234, email: 'jane@example.com' } },
      bson: true,
    },
    { label: 'plaintext PING', route: 'queue', payload: 'PING from the demo', bson: false },
    { label: 'invalid MEGA body (no event name)', route: 'queue', payload: '{"protocol":"mega","version":1,"event":{"timestamp":"2020-05-04T15:53:23Z"}}', bson: false },
  ];
}
