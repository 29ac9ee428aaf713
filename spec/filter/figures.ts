// The filter-policy figure of docs/filter-policies.md: for a subscriber set and a stream of events,
// the share of unwanted messages SNS drops and of wanted ones it drops (must be 0), judged with the
// documented SNS semantics (sns-evaluator.ts) and the Dispatcher. Run: npx tsx spec/filter/figures.ts
import { NO_ATTRIBUTES, withRoutingAttributes } from '../../src/publish/publish-attributes.js';
import { CheckoutStarted, ItemAdded, PaymentCaptured, UserNotification } from '../../src/cli/demo/subscribers.js';
import { decodeBody } from '../../src/codec/body.js';
import { encodePayload } from '../../src/codec/encode.js';
import { Dispatcher } from '../../src/dispatch/dispatcher.js';
import { EventSubscriber } from '../../src/dispatch/event-subscriber.js';
import type { MessageSubscriber } from '../../src/dispatch/subscriber.js';
import { filterPolicyFor } from '../../src/filter/exports.js';
import { gte, match, not, oneOf } from '../../src/match/dsl.js';
import { snsPasses, type Scope } from './sns-evaluator.js';

export interface Figure {
  unwantedDropped: number;
  wantedDropped: number;
  messages: number;
}

export function measure(subscribers: readonly MessageSubscriber[], messages: readonly Record<string, unknown>[], scope: Scope): Figure {
  const { policy } = filterPolicyFor(subscribers, { scope });
  const dispatcher = new Dispatcher();
  for (const s of subscribers) dispatcher.register(s);
  let wanted = 0, wantedDropped = 0, unwanted = 0, unwantedDropped = 0;
  for (const payload of messages) {
    const body = encodePayload(payload);
    const passes = snsPasses(policy, scope, { body, attributes: withRoutingAttributes(payload, NO_ATTRIBUTES).values });
    if (dispatcher.match(decodeBody(body)).length > 0) {
      wanted++;
      if (!passes) wantedDropped++;
    } else {
      unwanted++;
      if (!passes) unwantedDropped++;
    }
  }
  return { unwantedDropped: unwanted === 0 ? 0 : unwantedDropped / unwanted, wantedDropped: wanted === 0 ? 0 : wantedDropped / wanted, messages: messages.length };
}

// A seeded generator, so the figure is the same on every run.
function random(seed: number): () => number {
  let s = seed;
  return () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
}

const DOMAINS = ['cart', 'orders', 'payments', 'users', 'shipping'];
const TYPES = DOMAINS.flatMap((d) => ['created', 'updated', 'cancelled', 'completed'].map((v) => ({ domain: d, name: `${d}.${v}` }))); // 20 event types

function event(rand: () => number, i: number): Record<string, unknown> {
  const t = TYPES[Math.floor(rand() * TYPES.length)] as { domain: string; name: string };
  return { protocol: 'mega', version: 1, event: { ...t, version: 1 + Math.floor(rand() * 3), timestamp: '2024-01-01T00:00:00Z', subject: `s${i}`, attributes: { amount: Math.floor(rand() * 100) } } };
}

/** 50 subscribers over the 20 event types: by name, some by version, some by prefix or exclusion. */
export function fiftySubscribers(): MessageSubscriber[] {
  const rand = random(7);
  return Array.from({ length: 50 }, (_, i) => {
    const t = TYPES[Math.floor(rand() * 12)] as { domain: string; name: string }; // the topic carries 8 types nobody here wants
    const s = new (class extends EventSubscriber {
      process(): void {}
    })() as unknown as EventSubscriber & Record<string, unknown>;
    if (i % 10 === 0) s.name = oneOf(t.name, `${t.domain}.completed`);
    else if (i % 10 === 1) s.name = match(`${t.domain}\\.c`);
    else s.name = t.name;
    s.domain = i % 7 === 0 ? not('users') : t.domain;
    if (i % 4 === 0) s.version = gte(2);
    if (i % 3 === 0) s.attributes = { amount: gte(50) };
    return s;
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const rand = random(42);
  const stream = Array.from({ length: 10_000 }, (_, i) => event(rand, i));
  const demoStream = stream.map((p, i) =>
    i % 5 === 0 ? { ...p, event: { ...(p.event as object), domain: 'shopping_cart', name: ['item.added', 'checkout.started'][i % 2] } } : p,
  );
  const demo = [ItemAdded, CheckoutStarted, PaymentCaptured].map((C) => new C());
  const rows: [string, MessageSubscriber[], Record<string, unknown>[], Scope][] = [
    ['demo event subscribers, attributes', demo, demoStream, 'MessageAttributes'],
    ['demo event + data subscribers, body', [...demo, new UserNotification()], demoStream, 'MessageBody'],
    ['50 subscribers / 20 types, attributes', fiftySubscribers(), stream, 'MessageAttributes'],
    ['50 subscribers / 20 types, body', fiftySubscribers(), stream, 'MessageBody'],
  ];
  for (const [label, subs, msgs, scope] of rows) {
    const f = measure(subs, msgs, scope);
    console.log(`${label}: unwanted dropped ${(f.unwantedDropped * 100).toFixed(1)}%, wanted dropped ${(f.wantedDropped * 100).toFixed(1)}% (${f.messages} messages)`);
  }
}
