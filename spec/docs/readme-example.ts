// The README's first example, kept here so that `npm test` type-checks it (readme.spec.ts checks the
// README still shows exactly this code). It is never run: it would listen until SIGTERM.
import { PayloadBuilder, SqsPublisher, SqsListener, EventSubscriber, ProcessStatus, gt, not, empty, oneOf } from 'sqs-mega';
import type { MegaPayload } from 'sqs-mega';

const queueUrl = process.env.QUEUE_URL!;

// Publish
const payload = new PayloadBuilder()
  .withEvent({ domain: 'shopping_cart', name: 'item.added', subject: '987650', item_id: 'x1', quantity: 5 })
  .withObject({ type: 'shopping_cart', id: '18a3', current: { items: 1 } })
  .build();
await new SqsPublisher({ queueUrl }).publish(payload);            // JSON; { binaryEncoding: true } for BSON

// Subscribe
class ItemAdded extends EventSubscriber {
  domain = 'shopping_cart';
  name = 'item.added';
  version = oneOf(1, 2);
  attributes = { item_id: not(empty()), quantity: gt(0) };

  async process(payload: MegaPayload) {
    console.log('added', payload.event.attributes.item_id);
    return ProcessStatus.DONE;                                     // the default when nothing is returned
  }
}

const listener = new SqsListener({ queueUrl });
listener.registerSubscriber(ItemAdded);
await listener.listen();                                           // until stop() or SIGTERM/SIGINT
