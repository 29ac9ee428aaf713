// The filter policy's one promise, checked on random subscriber sets and payloads drawn from their
// patterns: whenever a subscriber matches a message, SNS (as documented, sns-evaluator.ts) delivers it.
import { expect } from 'chai';
import fc from 'fast-check';
import type { AttributeValue } from '../../src/aws/attribute-size.js';
import { NO_ATTRIBUTES, withRoutingAttributes } from '../../src/publish/publish-attributes.js';
import { decodeBody } from '../../src/codec/body.js';
import { encodePayload } from '../../src/codec/encode.js';
import { Dispatcher } from '../../src/dispatch/dispatcher.js';
import { filterPolicyFor, lambdaFilterCriteriaFor } from '../../src/filter/exports.js';
import { dataObject, instantiate, megaPayload, subscriberSpec } from './arbitraries.js';
import { snsPasses, type Scope } from './sns-evaluator.js';

interface Published {
  body: string;
  attributes?: Record<string, AttributeValue>;
}

const published = (scope: Scope): fc.Arbitrary<Published> =>
  fc.oneof(
    fc.tuple(megaPayload, fc.boolean(), fc.constantFrom('routing', 'legacy')).map(([p, bson, how]) => {
      const body = encodePayload(p, { binaryEncoding: bson && scope === 'MessageAttributes' });
      // A publisher without routing attributes still sends some attribute (see `requires`).
      const attributes = how === 'routing' ? withRoutingAttributes(p, NO_ATTRIBUTES).values : { trace: { DataType: 'String', StringValue: 't-1' } };
      return { body, attributes };
    }),
    dataObject.map((d) => ({ body: encodePayload(d), attributes: { trace: { DataType: 'String', StringValue: 't-1' } } })),
  );

function check(scope: Scope, withData: boolean): void {
  let matched = 0;
  let dropped = 0;
  fc.assert(
    fc.property(fc.array(subscriberSpec(withData), { minLength: 1, maxLength: 6 }), fc.array(published(scope), { minLength: 1, maxLength: 15 }), (specs, messages) => {
      const subscribers = specs.map(instantiate);
      const dispatcher = new Dispatcher();
      for (const s of subscribers) dispatcher.register(s);
      const { policy } = filterPolicyFor(subscribers, { scope });
      for (const m of messages) {
        const wanted = dispatcher.match(decodeBody(m.body)).length > 0;
        const passes = snsPasses(policy, scope, m);
        if (wanted) {
          matched++;
          if (!passes) throw new Error(`dropped a wanted message\npolicy ${JSON.stringify(policy)}\nbody ${m.body}\nattributes ${JSON.stringify(m.attributes)}`);
        } else if (!passes) dropped++;
      }
    }),
    { numRuns: 300 },
  );
  // The generators must produce both wanted messages and messages the policy drops.
  expect(matched, 'wanted messages generated').to.be.greaterThan(300);
  expect(dropped, 'unwanted messages the policy dropped').to.be.greaterThan(50);
}

describe('filter policies never drop a wanted message (fast-check, SNS semantics)', () => {
  it('MessageAttributes scope: routing attributes, legacy publishers, JSON and BSON bodies', () => check('MessageAttributes', false));
  it('MessageBody scope: event and data subscribers over JSON bodies', () => check('MessageBody', true));
  it('Lambda FilterCriteria keeps the same wanted messages (as SNS policies, filter by filter)', () => {
    fc.assert(
      fc.property(fc.array(subscriberSpec(false), { minLength: 1, maxLength: 8 }), fc.array(published('MessageBody'), { minLength: 1, maxLength: 10 }), (specs, messages) => {
        const subscribers = specs.map(instantiate);
        const dispatcher = new Dispatcher();
        for (const s of subscribers) dispatcher.register(s);
        const { policy } = lambdaFilterCriteriaFor(subscribers, { scope: 'MessageBody' });
        const filters = (policy.Filters ?? []).map((f) => (JSON.parse(f.Pattern) as { body: Record<string, unknown> }).body);
        for (const m of messages) {
          if (dispatcher.match(decodeBody(m.body)).length === 0) continue;
          const passes = filters.length === 0 || filters.some((f) => snsPasses(f, 'MessageBody', m));
          expect(passes, `${JSON.stringify(filters)} / ${m.body}`).to.equal(true);
        }
      }),
      { numRuns: 150 },
    );
  });
});
