// The demo's example subscribers. They also work on their own:
//   sqs-mega match src/cli/demo/subscribers.ts event.json
//   sqs-mega listen src/cli/demo/subscribers.ts $QUEUE_URL
import {
  DataSubscriber,
  EventSubscriber,
  PlaintextSubscriber,
  ProcessStatus,
  RetriableError,
  any,
  empty,
  gt,
  match,
  not,
  oneOf,
} from '../../index.js';
import type { DataObject, MegaPayload, MessageContext } from '../../index.js';

/** Where a subscriber says what it did; the demo groups it by message, otherwise it goes to stdout. */
export type Say = (context: MessageContext, subscriber: string, text: string) => void;

const defaultSay: Say = (context, subscriber, text) => console.log(`${context.messageId} ${subscriber}: ${text}`);

/** An item was added to a shopping cart: version 1 or 2, with an item id and a positive quantity. */
export class ItemAdded extends EventSubscriber {
  domain = 'shopping_cart';
  name = 'item.added';
  version = oneOf(1, 2);
  attributes = { item_id: not(empty()), quantity: gt(0) };

  constructor(private readonly say: Say = defaultSay) {
    super();
  }

  process(payload: MegaPayload, context: MessageContext): void {
    const { item_id, quantity } = payload.event.attributes;
    this.say(context, 'ItemAdded', `cart ${payload.object?.id ?? payload.event.subject ?? '?'}: +${String(quantity)} of item ${String(item_id)} (${context.decoded.encoding})`);
  }
}

/**
 * A checkout: the first delivery finds the cart "locked" and asks to be retried later; the retry
 * goes through. Shows RETRY_LATER keeping a message on the queue.
 */
export class CheckoutStarted extends EventSubscriber {
  domain = 'shopping_cart';
  name = 'checkout.started';

  constructor(private readonly say: Say = defaultSay) {
    super();
  }

  process(payload: MegaPayload, context: MessageContext): ProcessStatus {
    if (context.receiveCount === 1) {
      this.say(context, 'CheckoutStarted', `cart ${payload.event.subject ?? '?'} is locked; RETRY_LATER (receive ${context.receiveCount})`);
      return ProcessStatus.RETRY_LATER;
    }
    this.say(context, 'CheckoutStarted', `cart ${payload.event.subject ?? '?'} checked out on receive ${context.receiveCount}`);
    return ProcessStatus.DONE;
  }
}

/** Payment events whose processor is down: a RetriableError would retry; here a bad amount is fatal. */
export class PaymentCaptured extends EventSubscriber {
  domain = 'payments';
  name = 'payment.captured';
  attributes = { amount: any() };

  constructor(private readonly say: Say = defaultSay) {
    super();
  }

  process(payload: MegaPayload, context: MessageContext): void {
    const amount = Number(payload.event.attributes.amount);
    if (!Number.isFinite(amount) || amount <= 0) {
      this.say(context, 'PaymentCaptured', `amount ${JSON.stringify(payload.event.attributes.amount)} is not a positive number; throwing (FATAL_ERROR)`);
      throw new Error(`invalid amount ${String(payload.event.attributes.amount)}`);
    }
    if (amount > 10_000) throw new RetriableError('fraud check unavailable');
    this.say(context, 'PaymentCaptured', `captured ${amount.toFixed(2)}`);
  }
}

/** A notification request as plain data (not a MEGA event): type `user:notification:<channel>`. */
export class UserNotification extends DataSubscriber {
  pattern = {
    type: match('user:notification:'),
    notification_type: oneOf('email', 'sms', 'push'),
    user: { id: gt(0), email: not(match('test@')) },
  };

  constructor(private readonly say: Say = defaultSay) {
    super();
  }

  process(payload: DataObject, context: MessageContext): void {
    const user = payload.user as { id: number; email: string };
    this.say(context, 'UserNotification', `${String(payload.notification_type)} to user ${user.id} <${user.email}> (${context.decoded.encoding})`);
  }
}

/** Plain text bodies starting with PING, e.g. from a health probe that writes to the queue. */
export class Ping extends PlaintextSubscriber {
  pattern = match('PING');

  constructor(private readonly say: Say = defaultSay) {
    super();
  }

  process(text: string, context: MessageContext): void {
    this.say(context, 'Ping', `got ${JSON.stringify(text)}`);
  }
}

/** Every subscriber of the demo, as the `listen` command would load them from this module. */
export const demoSubscribers = [ItemAdded, CheckoutStarted, PaymentCaptured, UserNotification, Ping] as const;
