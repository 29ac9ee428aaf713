// The dispatcher finds subscribers through its candidate index (and drops checks an exact index hit
// makes certain); whatever it does, it must find exactly what testing every subscriber would.
import { expect } from 'chai';
import fc from 'fast-check';
import type { Decoded } from '../../src/codec/decoded.js';
import { bindSubscriber, evaluate } from '../../src/dispatch/binding.js';
import { DataSubscriber } from '../../src/dispatch/data-subscribers.js';
import { Dispatcher } from '../../src/dispatch/dispatcher.js';
import { EventSubscriber } from '../../src/dispatch/event-subscriber.js';
import type { MessageSubscriber } from '../../src/dispatch/subscriber.js';
import { eq, gt, match, not, oneOf } from '../../src/match/dsl.js';
import type { Pattern } from '../../src/match/pattern.js';
import { TestClient } from '../../src/testing.js';
import { witness } from '../match/witnesses.js';
import { data, mega, megaPayload } from './support.js';

const names = ['a', 'b', 'item.added', '42', 'true'] as const;
const scalar = fc.oneof(fc.constantFrom<unknown>(...names, 42, '42.0', true, false, null, 0, ''), fc.integer({ min: -2, max: 3 }));
const fieldPattern: fc.Arbitrary<Pattern> = fc.oneof(
  fc.constantFrom<Pattern>(...names, true, 42),
  fc.constantFrom(...names).map((n) => eq(n)),
  fc.uniqueArray(fc.constantFrom(...names), { minLength: 1, maxLength: 3 }).map((ns) => oneOf(ns[0] as string, ...ns.slice(1))),
  fc.constant(match('it')),
  fc.constant(not('a')),
  fc.integer({ min: -1, max: 3 }).map((n) => gt(n)),
);
const fields = fc.record(
  {
    name: fieldPattern,
    eventName: fieldPattern,
    domain: fieldPattern,
    version: fieldPattern,
    attributes: fc.dictionary(fc.constantFrom('x', 'y'), fieldPattern, { maxKeys: 2 }),
    objectType: fieldPattern,
  },
  { requiredKeys: [] },
);

function subscribersFor(specs: ReadonlyArray<Record<string, unknown>>, dataSpecs: readonly Pattern[]): MessageSubscriber[] {
  const event = specs.map((spec) => {
    class Generated extends EventSubscriber {
      process(): void {}
    }
    return Object.assign(new Generated(), spec);
  });
  const dataSubs = dataSpecs.map((pattern) => {
    class GeneratedData extends DataSubscriber {
      pattern = pattern;
      process(): void {}
    }
    return new GeneratedData();
  });
  return [...event, ...dataSubs];
}

const decodedArb: fc.Arbitrary<Decoded> = fc.oneof(
  fc
    .record({
      name: fc.oneof(scalar, fc.array(scalar, { maxLength: 2 }), fc.constant(new Date(0))),
      domain: fc.option(fc.oneof(scalar, fc.array(scalar, { maxLength: 2 })), { nil: undefined }),
      version: scalar,
      attributes: fc.dictionary(fc.constantFrom('x', 'y', 'z'), fc.oneof(scalar, fc.array(scalar, { maxLength: 2 })), { maxKeys: 3 }),
      objectType: fc.option(scalar, { nil: undefined }),
    })
    .map(({ objectType, ...event }) => {
      // Hand-built, so that the index also meets values a real decoder would refuse (a numeric name).
      const payload = megaPayload(event as never, objectType === undefined ? undefined : ({ type: objectType, current: {} } as never));
      return mega(payload);
    }),
  fc.dictionary(fc.constantFrom('x', 'y'), scalar, { maxKeys: 2 }).map((d) => data(d)),
);

const attributeKey = fc.constantFrom('x', 'y', 'z');

/** Messages built from the subscribers' own patterns (so most match one), and some from anywhere. */
function messagesFor(specs: ReadonlyArray<Record<string, unknown>>, dataSpecs: readonly Pattern[]): fc.Arbitrary<Decoded> {
  const from = (pattern: unknown, otherwise: fc.Arbitrary<unknown>) => (pattern === undefined ? otherwise : witness(pattern, scalar, attributeKey));
  const events = specs.map((spec) =>
    fc
      .record({
        name: from(spec.eventName ?? spec.name, scalar),
        domain: from(spec.domain, fc.option(scalar, { nil: undefined })),
        version: from(spec.version, scalar),
        attributes: from(spec.attributes, fc.dictionary(attributeKey, scalar, { maxKeys: 2 })),
        objectType: from(spec.objectType, fc.option(scalar, { nil: undefined })),
      })
      .map(({ objectType, ...event }) => mega(megaPayload(event as never, objectType === undefined ? undefined : ({ type: objectType, current: {} } as never)))),
  );
  const datas = dataSpecs.map((pattern) => witness(pattern, scalar, attributeKey).map((d) => data(d as never)));
  const built = [...events, ...datas];
  return built.length === 0 ? decodedArb : fc.oneof({ arbitrary: fc.oneof(...built), weight: 8 }, { arbitrary: decodedArb, weight: 1 });
}

/** Many subscribers on few literals: buckets crowd, so entries get filed under their other fields. */
const literalHeavy = fc.array(
  fc.record(
    { name: fc.constantFrom<Pattern>(...names), domain: fc.constantFrom<Pattern>(...names), version: fc.constantFrom<Pattern>(1, 2, '1') },
    { requiredKeys: ['name'] },
  ),
  { minLength: 1, maxLength: 20 },
);

/** A subscriber of a class of its own (a class registers once), named `name`, with these match fields. */
function subscriber(base: 'event' | 'data', name: string, fields: Record<string, unknown>): MessageSubscriber {
  const Generated =
    base === 'event'
      ? class extends EventSubscriber {
          process(): void {}
        }
      : class extends DataSubscriber {
          process(): void {}
        };
  Object.defineProperty(Generated, 'name', { value: name });
  return Object.assign(new Generated(), fields);
}

describe('dispatch/dispatcher index', () => {
  it('finds a subscriber through a non-enumerable own property, however many others are registered', async () => {
    for (const others of [0, 7, 8, 20]) {
      const subscribers = [
        ...Array.from({ length: others }, (_, i) => subscriber('data', `Other${i}`, { pattern: { [`f${i}`]: i } })),
        subscriber('data', 'Wanted', { pattern: { k: 'x' } }),
      ];
      const input = Object.defineProperty({ f0: 0 }, 'k', { value: 'x', enumerable: false });
      const { matched } = await new TestClient(subscribers).send(input);
      expect(matched, `${others} others`).to.include('Wanted');
    }
  });

  it('drops only the rule that an exact index hit makes certain, on the path it was found at', () => {
    // Three subscribers crowd `name = 'a'`, so the last is filed under `domain = 'a'`: a hit there
    // makes the domain certain, not the name, which holds the same literal.
    const crowd = [1, 2, 3].map((version) => subscriber('event', `Crowd${version}`, { name: 'a', version }));
    const dispatcher = new Dispatcher();
    for (const s of [...crowd, subscriber('event', 'Both', { name: 'a', domain: 'a' })]) dispatcher.register(s);
    expect(dispatcher.match(mega(megaPayload({ name: 'b', domain: 'a' })))).to.deep.equal([]);
    expect(dispatcher.match(mega(megaPayload({ name: 'a', domain: 'a' }))).map((s) => s.constructor.name)).to.deep.equal(['Crowd1', 'Both']);
  });

  it('matches exactly the subscribers a linear scan of their compiled rules matches, for messages built from them (property)', () => {
    let cases = 0;
    let matches = 0;
    const setups = fc.tuple(
      fc.oneof(fc.array(fields, { maxLength: 10 }), literalHeavy as fc.Arbitrary<Array<Record<string, unknown>>>),
      fc.array(fc.dictionary(fc.constantFrom('x', 'y'), fieldPattern, { maxKeys: 2 }), { maxLength: 3 }),
    );
    fc.assert(
      fc.property(
        setups.chain(([specs, dataSpecs]) => fc.tuple(fc.constant(specs), fc.constant(dataSpecs), fc.array(messagesFor(specs, dataSpecs), { minLength: 1, maxLength: 6 }))),
        ([specs, dataSpecs, messages]) => {
          const subscribers = subscribersFor(specs, dataSpecs);
          const dispatcher = new Dispatcher();
          for (const s of subscribers) dispatcher.register(s);
          for (const decoded of messages) {
            const linear = subscribers.filter((s) => evaluate(bindSubscriber(s), decoded) !== undefined);
            expect(dispatcher.match(decoded)).to.deep.equal(linear);
            cases++;
            if (linear.length > 0) matches++;
          }
        },
      ),
      { numRuns: 300 },
    );
    expect(matches / cases).to.be.above(0.5);
  });
});
