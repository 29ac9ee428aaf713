import { expect } from 'chai';
import fc from 'fast-check';
import { parseCanonical } from '../../src/protocol/canonical.js';
import type { MegaSchemaError } from '../../src/protocol/errors.js';
import { parseMegaPayload, parseMegaPayloadWithSchema } from '../../src/protocol/schema.js';

describe('protocol/canonical', () => {
  it('takes the common wire form without zod', () => {
    const payload = parseCanonical({ protocol: 'mega', version: 1, event: { name: 'x', timestamp: '2020-01-01T00:00:00Z' } });
    expect(payload?.event.timestamp.toISOString()).to.equal('2020-01-01T00:00:00.000Z');
  });

  it('leaves loose keys, nulls and version strings to the schema', () => {
    const event = { name: 'x', timestamp: '2020-01-01' };
    expect(parseCanonical({ protocol: 'mega', version: 1, event: { ...event, loose: 1 } })).to.equal(undefined);
    expect(parseCanonical({ protocol: 'mega', version: 1, event: { ...event, subject: null } })).to.equal(undefined);
    expect(parseCanonical({ protocol: 'mega', version: 1, event: { ...event, version: '2' } })).to.equal(undefined);
  });

  it('gives the same result through the fast path and through the zod schema', () => {
    const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
    const data = fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 });
    const candidate = fc.record(
      {
        protocol: fc.constantFrom('mega', 'x'),
        version: fc.constantFrom(1, '1', 2),
        event: fc.record(
          {
            name: fc.oneof(fc.string({ maxLength: 4 }), fc.integer()),
            timestamp: fc.oneof(fc.date({ min: new Date(0), max: new Date(4e12), noInvalidDate: true }).map((d) => d.toISOString()), fc.date(), fc.constant('bad')),
            version: fc.oneof(fc.integer(), fc.constant('2'), fc.double(), fc.constant(null)),
            domain: fc.oneof(fc.string(), fc.constant(null), fc.integer()),
            subject: fc.string(),
            attributes: fc.oneof(data, fc.constant([])),
            loose_key: fc.string(),
          },
          { requiredKeys: ['name'] },
        ),
        object: optional(fc.record({ current: fc.oneof(data, fc.constant(null)), previous: data, id: fc.oneof(fc.string(), fc.integer()), version: fc.integer() }, { requiredKeys: [] })),
        extra: optional(fc.oneof(data, fc.constant('x'))),
      },
      { requiredKeys: ['protocol', 'version', 'event'] },
    );
    const outcome = (parse: (v: unknown) => unknown, value: unknown) => {
      try {
        return { ok: parse(value) };
      } catch (error) {
        return { error: (error as MegaSchemaError).message };
      }
    };
    fc.assert(
      fc.property(candidate, (value) => {
        expect(outcome(parseMegaPayload, value)).to.deep.equal(outcome(parseMegaPayloadWithSchema, value));
      }),
      { numRuns: 500 },
    );
  });
});
