// Random subscribers and payloads for the filter-policy property specs: patterns over a small
// vocabulary, and payloads drawn from the same vocabulary so that many of them match.
import fc from 'fast-check';
import { DataSubscriber, EventSubscriber, PlaintextSubscriber } from '../../src/dispatch/exports.js';
import type { MessageSubscriber } from '../../src/dispatch/subscriber.js';
import { and, any, empty, eq, gt, gte, lt, lte, match, not, oneOf, or } from '../../src/match/dsl.js';
import type { Pattern } from '../../src/match/pattern.js';

export const NAMES = ['item.added', 'item.removed', 'order.placed', 'order.paid', 'user.signed_up', 'item'];
export const DOMAINS = ['shopping_cart', 'orders', 'users', 'shop'];
export const WORDS = ['a', 'ab', 'abc', 'b', 'x.y', '42', ''];
export const KEYS = ['type', 'kind', 'id'];

const word = (pool: readonly string[]) => fc.constantFrom(...pool);
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function stringPattern(pool: readonly string[]): fc.Arbitrary<Pattern> {
  const leaf: fc.Arbitrary<Pattern> = fc.oneof(
    word(pool),
    fc.array(word(pool), { minLength: 1, maxLength: 3 }).map((ws) => oneOf(...(ws as [string]))),
    word(pool).map((w) => match(escape(w.slice(0, 3)))),
    word(pool).map((w) => match(new RegExp(`^${escape(w.slice(0, 2))}`))),
    word(pool).map((w) => match(`${escape(w.slice(0, 1))}.*`)),
    fc.constant(match('[a-z]+\\.')),
    fc.constant(any()),
    fc.constant(not(empty())),
    fc.constant(empty()),
    fc.array(word(pool), { minLength: 1, maxLength: 3 }),
    fc.constant((v: unknown) => typeof v === 'string' && v.length > 3),
    fc.constant(/item/),
    fc.constant(42),
  );
  return fc.oneof(
    { weight: 4, arbitrary: leaf },
    { weight: 1, arbitrary: leaf.map((p) => not(p)) },
    { weight: 1, arbitrary: fc.tuple(leaf, leaf).map(([a, b]) => and(a, b)) },
    { weight: 1, arbitrary: fc.tuple(leaf, leaf).map(([a, b]) => or(a, b)) },
    { weight: 1, arbitrary: leaf.map((p) => eq(p)) },
  );
}

const num = fc.oneof(fc.integer({ min: -1, max: 4 }), fc.constantFrom(1.5, 2.000001, 0.333333, 2e9));

export const numberPattern: fc.Arbitrary<Pattern> = (() => {
  const leaf: fc.Arbitrary<Pattern> = fc.oneof(
    num,
    fc.array(num, { minLength: 1, maxLength: 3 }).map((ns) => oneOf(...(ns as [number]))),
    num.map((n) => gt(n)),
    num.map((n) => gte(n)),
    num.map((n) => lt(n)),
    num.map((n) => lte(n)),
    fc.constant(gt('1.5')),
    fc.constant(2n),
    fc.constant(any()),
    fc.constant('1'),
    fc.constant(new Date('2024-01-01T00:00:00Z')),
  );
  return fc.oneof(
    { weight: 4, arbitrary: leaf },
    { weight: 1, arbitrary: leaf.map((p) => not(p)) },
    { weight: 1, arbitrary: fc.tuple(leaf, leaf).map(([a, b]) => and(a, b)) },
    { weight: 1, arbitrary: fc.tuple(leaf, leaf).map(([a, b]) => or(a, b)) },
  );
})();

const dataLeaf: fc.Arbitrary<Pattern> = fc.oneof(
  stringPattern(WORDS),
  numberPattern,
  fc.boolean(),
  fc.constant(null),
);

export const dataPattern: fc.Arbitrary<Record<string, Pattern>> = fc.letrec<{ obj: Record<string, Pattern> }>((tie) => ({
  obj: fc.dictionary(word(KEYS), fc.oneof({ weight: 3, arbitrary: dataLeaf }, { weight: 1, arbitrary: tie('obj') }), { maxKeys: 2 }),
})).obj;

export interface EventFields {
  [field: string]: Pattern;
}

// Each field set with probability 1/(1 + rarity), so that random payloads often match.
const sometimes = (arb: fc.Arbitrary<Pattern | Record<string, Pattern>>, rarity: number) =>
  fc.oneof({ weight: rarity, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: arb });

const eventFields: fc.Arbitrary<EventFields> = fc
  .record({
    name: sometimes(stringPattern(NAMES), 0),
    eventDomain: sometimes(stringPattern(DOMAINS), 1),
    version: sometimes(numberPattern, 2),
    subject: sometimes(stringPattern(WORDS), 6),
    attributes: sometimes(dataPattern, 6),
    objectType: sometimes(stringPattern(WORDS), 6),
    objectCurrent: sometimes(dataPattern, 8),
  })
  .map((r) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined)) as EventFields);

export type SubscriberSpec = { kind: 'event'; fields: EventFields } | { kind: 'data'; pattern?: Record<string, Pattern> } | { kind: 'text' };

export const subscriberSpec = (withData: boolean): fc.Arbitrary<SubscriberSpec> =>
  fc.oneof(
    { weight: 30, arbitrary: eventFields.map((fields): SubscriberSpec => ({ kind: 'event', fields })) },
    { weight: withData ? 10 : 0, arbitrary: fc.option(dataPattern, { nil: undefined }).map((pattern): SubscriberSpec => ({ kind: 'data', pattern })) },
    { weight: withData ? 1 : 0, arbitrary: fc.constant<SubscriberSpec>({ kind: 'text' }) },
  );

export function instantiate(spec: SubscriberSpec): MessageSubscriber {
  if (spec.kind === 'event') {
    const s = new (class extends EventSubscriber {
      process(): void {}
    })();
    return Object.assign(s, spec.fields);
  }
  if (spec.kind === 'data') {
    const s = new (class extends DataSubscriber {
      process(): void {}
    })();
    return spec.pattern === undefined ? s : Object.assign(s, { pattern: spec.pattern });
  }
  return new (class extends PlaintextSubscriber {
    process(): void {}
  })();
}

const dataValue: fc.Arbitrary<unknown> = fc.oneof(word(WORDS), fc.integer({ min: -1, max: 4 }), fc.constantFrom(1.5, '1.5', '2', true, false, null), fc.array(word(WORDS), { maxLength: 2 }));

export const dataObject: fc.Arbitrary<Record<string, unknown>> = fc.letrec<{ obj: Record<string, unknown> }>((tie) => ({
  obj: fc.dictionary(word(KEYS), fc.oneof({ weight: 3, arbitrary: dataValue }, { weight: 1, arbitrary: tie('obj') }), { maxKeys: 3 }),
})).obj;

/** A MEGA payload in wire form, its fields drawn from the patterns' vocabulary. */
export const megaPayload: fc.Arbitrary<Record<string, unknown>> = fc
  .record({
    name: word(NAMES.concat(['itemized', 'order.paid.late'])),
    domain: fc.option(word(DOMAINS), { nil: undefined }),
    version: fc.option(fc.integer({ min: -1, max: 4 }), { nil: undefined }),
    subject: fc.option(word(WORDS.filter((w) => w !== '')), { nil: undefined }),
    attributes: dataObject,
    object: fc.option(fc.record({ type: fc.option(word(WORDS.filter((w) => w !== '')), { nil: undefined }), current: dataObject }), { nil: undefined }),
  })
  .map(({ object, ...event }) => {
    const clean = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
    const payload: Record<string, unknown> = { protocol: 'mega', version: 1, event: clean({ ...event, timestamp: '2024-01-01T00:00:00Z' }) };
    if (object !== undefined) payload.object = clean(object);
    return payload;
  });
