// The Python README's subscriber examples, ported, plus every EventSubscriber field and alias.
import { expect } from 'chai';
import type { Decoded } from '../../src/codec/decoded.js';
import { BinarySubscriber, DataSubscriber, PlaintextSubscriber } from '../../src/dispatch/data-subscribers.js';
import { Dispatcher } from '../../src/dispatch/dispatcher.js';
import { EventSubscriber } from '../../src/dispatch/event-subscriber.js';
import { MessageSubscriber } from '../../src/dispatch/subscriber.js';
import { and, any_, empty, gt, gte, match, not, not_, one_of } from '../../src/match/dsl.js';
import { parseMegaPayload } from '../../src/protocol/schema.js';
import type { DataObject } from '../../src/protocol/types.js';
import { binary, data, mega, megaPayload, plaintext } from './support.js';

function matchedBy(subscribers: Array<MessageSubscriber | (new () => MessageSubscriber)>, decoded: Decoded): string[] {
  const d = new Dispatcher();
  for (const s of subscribers) d.register(s);
  return d.match(decoded).map((s) => s.constructor.name);
}

class ShoppingCartItemAdded extends EventSubscriber {
  domain = 'shopping_cart';
  name = 'item.added';
  version = one_of(1, 2);
  attributes = { item_id: not_(empty()), quantity: gt(0) };
  process(): void {}
}
class ShoppingCartItemRemoved extends EventSubscriber {
  domain = 'shopping_cart';
  name = 'item.removed';
  process(): void {}
}
class ShoppingCartCheckout extends EventSubscriber {
  domain = 'shopping_cart';
  name = 'checkout';
  process(): void {}
}

// The README's wire form: loose event keys are attributes.
const itemAddedWire = {
  protocol: 'mega',
  version: 1,
  event: {
    domain: 'shopping_cart',
    name: 'item.added',
    version: 2,
    timestamp: '2020-05-04T15:53:23.123',
    subject: '987650',
    publisher: 'shopping-cart-service',
    item_id: '61fcc874-624e-40f8-8fd7-0e663c7837e8',
    quantity: 5,
  },
  object: { current: { id: '987650' } },
  extra: {},
};

class UserLogin extends EventSubscriber {
  domain = 'user';
  name = match('user:login:(.*)');
  version = any_();
  subject = match('^\\d+$');
  attributes = { success: true, attempts: gt(2) };
  objectType = 'user';
  objectVersion = one_of(1, 2, 3);
  objectCurrent = {
    email: not_(empty()),
    username: not_(['test', 'synthetic']),
    created_at: gte(new Date('2020-01-01T00:00:00Z')),
  };
  process(): void {}
}

const userLoginWire = {
  protocol: 'mega',
  version: '1',
  event: {
    domain: 'user',
    name: 'user:login:web',
    version: 1,
    timestamp: '2020-06-12T17:29:58.000',
    subject: '987650',
    publisher: 'login-api',
    attributes: { email: 'johndoe_86@example.com', success: true, attempts: 4 },
  },
  object: {
    type: 'user',
    id: '987650',
    version: 2,
    current: {
      id: 987650,
      username: 'john-doe',
      email: 'johndoe_86@example.com',
      created_at: '2020-03-28T15:23:01',
      updated_at: '2020-05-18T16:12:59',
      last_login: '2020-06-02T05:38:43',
    },
  },
  extra: { ip_address: '2804:14c:5ba9:b067:70cc:9baa:5287:19b3' },
};

const templates = new Set(['password_changed']);
class UserNotification extends DataSubscriber {
  pattern = {
    type: match('user:notification:(.*)'),
    notification_type: one_of('email', 'sms', 'push'),
    user: {
      id: gt(0),
      email: not_(match('test@(.*)')),
      template: (lhs: unknown) => typeof lhs === 'string' && templates.has(lhs),
    },
  };
  process(): void {}
}

const notification: DataObject = {
  type: 'user:notification:email',
  notification_type: 'email',
  ts: 1592163068,
  user: { id: 987650, first_name: 'John', email: 'johndoe_86@example.com', template: 'password_changed' },
  meta: { generated_by: 'user_service', ip_address: '177.182.215.204' },
};

/** A deep copy of `value` with `change` applied (the README payloads stay untouched). */
function altered<T>(value: T, change: (copy: T) => void): T {
  const copy = structuredClone(value);
  change(copy);
  return copy;
}
const megaOf = (wire: unknown) => mega(parseMegaPayload(wire));

describe('dispatch/subscribers', () => {
  describe('README: shopping cart', () => {
    const all = [ShoppingCartItemAdded, ShoppingCartItemRemoved, ShoppingCartCheckout];

    it('routes item.added (attributes written as loose event keys) to ShoppingCartItemAdded only', () => {
      expect(matchedBy(all, megaOf(itemAddedWire))).to.deep.equal(['ShoppingCartItemAdded']);
    });

    it('routes each event name to its subscriber', () => {
      const named = (name: string) => megaOf(altered(itemAddedWire, (w) => (w.event.name = name)));
      expect(matchedBy(all, named('item.removed'))).to.deep.equal(['ShoppingCartItemRemoved']);
      expect(matchedBy(all, named('checkout'))).to.deep.equal(['ShoppingCartCheckout']);
      expect(matchedBy(all, named('item.updated'))).to.deep.equal([]);
    });

    it('does not match a version, quantity or item id outside the pattern', () => {
      expect(matchedBy(all, megaOf(altered(itemAddedWire, (w) => (w.event.version = 3))))).to.deep.equal([]);
      expect(matchedBy(all, megaOf(altered(itemAddedWire, (w) => (w.event.quantity = 0))))).to.deep.equal([]);
      expect(matchedBy(all, megaOf(altered(itemAddedWire, (w) => (w.event.item_id = ''))))).to.deep.equal([]);
      expect(matchedBy(all, megaOf(altered(itemAddedWire, (w) => (w.event.domain = 'wishlist'))))).to.deep.equal([]);
    });
  });

  describe('README: UserLogin', () => {
    it('matches the README payload', () => {
      expect(matchedBy([UserLogin], megaOf(userLoginWire))).to.deep.equal(['UserLogin']);
    });

    const misses: Array<[string, (w: typeof userLoginWire) => void]> = [
      ['a failed login', (w) => (w.event.attributes.success = false)],
      ['too few attempts', (w) => (w.event.attributes.attempts = 2)],
      ['a non-numeric subject', (w) => (w.event.subject = 'john')],
      ['another event name', (w) => (w.event.name = 'user:logout:web')],
      ['a name matching only past the start', (w) => (w.event.name = 'admin:user:login:web')],
      ['another object type', (w) => (w.object.type = 'admin')],
      ['object version 4', (w) => (w.object.version = 4)],
      ['a synthetic user', (w) => (w.object.current.username = 'synthetic')],
      ['an empty email', (w) => (w.object.current.email = '')],
      ['a user created before 2020', (w) => (w.object.current.created_at = '2019-12-31T23:59:59')],
    ];
    for (const [what, change] of misses) {
      it(`does not match ${what}`, () => {
        expect(matchedBy([UserLogin], megaOf(altered(userLoginWire, change)))).to.deep.equal([]);
      });
    }

    it('does not match an event without an object when it names object fields', () => {
      const wire = altered(userLoginWire, (w) => delete (w as { object?: unknown }).object);
      expect(matchedBy([UserLogin], megaOf(wire))).to.deep.equal([]);
    });
  });

  describe('README: UserNotification (data)', () => {
    it('matches the README object and ignores its extra keys', () => {
      expect(matchedBy([UserNotification], data(notification))).to.deep.equal(['UserNotification']);
    });

    it('does not match an object missing keys the pattern names', () => {
      expect(matchedBy([UserNotification], data({ type: 'user:notification:email', notification_type: 'email' }))).to.deep.equal([]);
    });

    it('does not match a test address, an unknown template, or a MEGA event', () => {
      expect(matchedBy([UserNotification], data(altered(notification, (n) => ((n.user as DataObject).email = 'test@example.com'))))).to.deep.equal([]);
      expect(matchedBy([UserNotification], data(altered(notification, (n) => ((n.user as DataObject).template = 'nope'))))).to.deep.equal([]);
      expect(matchedBy([UserNotification], megaOf(userLoginWire))).to.deep.equal([]);
    });

    it('without a pattern matches every data object and nothing else', () => {
      class AllData extends DataSubscriber {
        process(): void {}
      }
      expect(matchedBy([AllData], data({}))).to.deep.equal(['AllData']);
      expect(matchedBy([AllData], megaOf(userLoginWire))).to.deep.equal([]);
      expect(matchedBy([AllData], plaintext('hi'))).to.deep.equal([]);
    });
  });

  describe('EventSubscriber fields', () => {
    const payload = megaPayload(
      {
        name: 'n',
        domain: 'd',
        version: 3,
        subject: 's',
        publisher: 'p',
        timestamp: new Date('2021-01-01T00:00:00Z'),
        attributes: { a: 1 },
      },
      { type: 't', id: 'i', version: 4, current: { c: 1 }, previous: { c: 0 } },
    );
    const cases: Array<[full: string, alias: string | undefined, hit: unknown, miss: unknown]> = [
      ['eventName', 'name', 'n', 'x'],
      ['eventDomain', 'domain', 'd', 'x'],
      ['eventVersion', 'version', 3, 2],
      ['eventTimestamp', 'timestamp', new Date('2021-01-01T00:00:00Z'), gt(new Date('2021-01-01T00:00:00Z'))],
      ['eventSubject', 'subject', 's', 'x'],
      ['eventPublisher', 'publisher', 'p', 'x'],
      ['eventAttributes', 'attributes', { a: 1 }, { a: 2 }],
      ['objectType', undefined, 't', 'x'],
      ['objectVersion', undefined, 4, 1],
      ['objectId', undefined, 'i', 'x'],
      ['objectCurrent', 'currentObject', { c: 1 }, { c: 2 }],
      ['objectPrevious', 'previousObject', { c: 0 }, { c: 2 }],
    ];
    const subscriberWith = (fields: Record<string, unknown>): MessageSubscriber => {
      class WithFields extends EventSubscriber {
        process(): void {}
      }
      return Object.assign(new WithFields(), fields);
    };
    for (const [full, alias, hit, miss] of cases) {
      it(`${full}${alias === undefined ? '' : ` and its alias ${alias}`} select the right part of the payload`, () => {
        for (const field of alias === undefined ? [full] : [full, alias]) {
          expect(matchedBy([subscriberWith({ [field]: hit })], mega(payload)), `${field} = hit`).to.have.length(1);
          expect(matchedBy([subscriberWith({ [field]: miss })], mega(payload)), `${field} = miss`).to.have.length(0);
        }
        if (alias !== undefined) {
          // The full name wins over its alias.
          expect(matchedBy([subscriberWith({ [full]: hit, [alias]: miss })], mega(payload))).to.have.length(1);
          expect(matchedBy([subscriberWith({ [full]: miss, [alias]: hit })], mega(payload))).to.have.length(0);
        }
      });
    }

    it('with no field matches every MEGA event and nothing else', () => {
      const s = subscriberWith({});
      expect(matchedBy([s], mega(megaPayload({ name: 'anything' })))).to.have.length(1);
      expect(matchedBy([subscriberWith({})], data({ protocol: 'other' }))).to.have.length(0);
    });

    it('objectPrevious does not match an object without a previous state', () => {
      const noPrevious = megaPayload({ name: 'n' }, { current: {} });
      expect(matchedBy([subscriberWith({ objectPrevious: {} })], mega(noPrevious))).to.have.length(0);
      expect(matchedBy([subscriberWith({ objectCurrent: {} })], mega(noPrevious))).to.have.length(1);
    });

    it('README: and(gt(5), not(gt(10))) on an attribute matches 7, not 2 or 13', () => {
      const s = () => subscriberWith({ attributes: { quantity: and(gt(5), not(gt(10))) } });
      const q = (quantity: number) => mega(megaPayload({ name: 'n', attributes: { quantity } }));
      expect([7, 2, 13].map((n) => matchedBy([s()], q(n)).length)).to.deep.equal([1, 0, 0]);
    });
  });

  describe('plaintext and binary subscribers', () => {
    class Ping extends PlaintextSubscriber {
      pattern = match('^PING');
      process(): void {}
    }
    class CsvRow extends PlaintextSubscriber<{ sku: string; qty: number }> {
      pattern = { qty: gt(0) };
      override transform(text: string): { sku: string; qty: number } | undefined {
        const [sku, qty] = text.split(',');
        if (sku === undefined || qty === undefined || !/^\d+$/.test(qty)) return undefined;
        return { sku, qty: Number(qty) };
      }
      process(): void {}
    }
    class Gzip extends BinarySubscriber {
      override transform(bytes: Uint8Array): Uint8Array | undefined {
        return bytes[0] === 0x1f && bytes[1] === 0x8b ? bytes : undefined;
      }
      process(): void {}
    }
    class AnyBytes extends BinarySubscriber {
      process(): void {}
    }

    it('match the raw text with a pattern', () => {
      expect(matchedBy([Ping, CsvRow], plaintext('PING 1'))).to.deep.equal(['Ping']);
      expect(matchedBy([Ping], plaintext('a PING'))).to.deep.equal([]);
    });

    it('match the transformed object, and ignore what transform declines', () => {
      expect(matchedBy([Ping, CsvRow], plaintext('abc,3'))).to.deep.equal(['CsvRow']);
      expect(matchedBy([CsvRow], plaintext('abc,0'))).to.deep.equal([]);
      expect(matchedBy([CsvRow], plaintext('hello'))).to.deep.equal([]);
    });

    it('see only their own payload kind', () => {
      expect(matchedBy([Gzip, AnyBytes, Ping], binary(Uint8Array.of(0x1f, 0x8b, 8)))).to.deep.equal(['Gzip', 'AnyBytes']);
      expect(matchedBy([Gzip, AnyBytes], binary(Uint8Array.of(1, 2)))).to.deep.equal(['AnyBytes']);
      expect(matchedBy([AnyBytes, Ping], data({ a: 'PING' }))).to.deep.equal([]);
    });
  });

  it('several subscribers may match one message, in registration order', () => {
    class Audit extends EventSubscriber {
      process(): void {}
    }
    class BigOrders extends EventSubscriber {
      name = 'item.added';
      attributes = { quantity: gt(3) };
      process(): void {}
    }
    expect(matchedBy([Audit, ShoppingCartItemAdded, BigOrders, ShoppingCartCheckout], megaOf(itemAddedWire))).to.deep.equal([
      'Audit',
      'ShoppingCartItemAdded',
      'BigOrders',
    ]);
    expect(matchedBy([BigOrders, Audit], megaOf(itemAddedWire))).to.deep.equal(['BigOrders', 'Audit']);
  });

  it('a direct MessageSubscriber subclass sees every valid message its accepts() takes', () => {
    class Firehose extends MessageSubscriber<unknown> {
      override accepts(decoded: Decoded): boolean {
        return decoded.kind !== 'binary';
      }
      process(): void {}
    }
    for (const decoded of [data({}), plaintext('x'), mega(megaPayload({ name: 'n' }))]) {
      expect(matchedBy([Firehose], decoded)).to.deep.equal(['Firehose']);
    }
    expect(matchedBy([Firehose], binary(Uint8Array.of(1)))).to.deep.equal([]);
  });
});
