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

describe('dispatch/dispatcher index', () => {
  it('matches exactly the subscribers a linear scan of their compiled rules matches (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fields, { maxLength: 10 }),
        fc.array(fc.dictionary(fc.constantFrom('x', 'y'), fieldPattern, { maxKeys: 2 }), { maxLength: 3 }),
        fc.array(decodedArb, { minLength: 1, maxLength: 6 }),
        (specs, dataSpecs, messages) => {
          const subscribers = subscribersFor(specs, dataSpecs);
          const dispatcher = new Dispatcher();
          for (const s of subscribers) dispatcher.register(s);
          for (const decoded of messages) {
            const linear = subscribers.filter((s) => evaluate(bindSubscriber(s), decoded) !== undefined);
            expect(dispatcher.match(decoded)).to.deep.equal(linear);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
