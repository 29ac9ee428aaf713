import { expect } from 'chai';
import { MegaSchemaError, SqsMegaError } from '../../src/protocol/errors.js';
import { foldEventAttributes, isMegaTagged, parseMegaPayload } from '../../src/protocol/schema.js';

const wire = (overrides: Record<string, unknown> = {}, event: Record<string, unknown> = {}) => ({
  protocol: 'mega',
  version: 1,
  event: { name: 'item.added', timestamp: '2020-05-04T15:53:23.123', ...event },
  ...overrides,
});

function schemaError(value: unknown): MegaSchemaError {
  try {
    parseMegaPayload(value);
  } catch (error) {
    expect(error).to.be.instanceOf(MegaSchemaError).and.instanceOf(SqsMegaError);
    return error as MegaSchemaError;
  }
  expect.fail('expected a MegaSchemaError');
}

describe('protocol/schema', () => {
  it('reads a minimal payload and fills in the defaults', () => {
    const payload = parseMegaPayload(wire());
    expect(payload).to.deep.equal({
      protocol: 'mega',
      version: 1,
      event: { name: 'item.added', timestamp: new Date('2020-05-04T15:53:23.123Z'), version: 1, attributes: {} },
      extra: {},
    });
  });

  it('reads every field', () => {
    const payload = parseMegaPayload(
      wire(
        { object: { current: { a: 1 }, previous: { a: 0 }, type: 'cart', id: '18a3', version: 2 }, extra: { channel: 'web' } },
        { domain: 'shopping_cart', version: 2, subject: '987650', publisher: 'svc', attributes: { quantity: 5 } },
      ),
    );
    expect(payload.event).to.deep.include({ domain: 'shopping_cart', version: 2, subject: '987650', publisher: 'svc', attributes: { quantity: 5 } });
    expect(payload.object).to.deep.equal({ current: { a: 1 }, previous: { a: 0 }, type: 'cart', id: '18a3', version: 2 });
    expect(payload.extra).to.deep.equal({ channel: 'web' });
  });

  it('accepts protocol version 1 as the string "1" and versions as integer strings', () => {
    const payload = parseMegaPayload(wire({ version: '1', object: { current: {}, version: '3' } }, { version: '2' }));
    expect(payload.version).to.equal(1);
    expect(payload.event.version).to.equal(2);
    expect(payload.object?.version).to.equal(3);
  });

  it('folds unknown event keys into attributes, explicit attributes winning', () => {
    const payload = parseMegaPayload(wire({}, { item_id: 'loose', quantity: 5, attributes: { item_id: 'explicit' } }));
    expect(payload.event.attributes).to.deep.equal({ item_id: 'explicit', quantity: 5 });
    expect(payload.event).to.not.have.property('item_id');
  });

  it('folds a loose __proto__ key as data without touching any prototype', () => {
    const event = JSON.parse('{"name":"x","timestamp":"2020-01-01","__proto__":{"polluted":1}}') as Record<string, unknown>;
    const payload = parseMegaPayload({ protocol: 'mega', version: 1, event });
    expect(Object.getPrototypeOf(payload.event.attributes)).to.equal(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(payload.event.attributes, '__proto__')?.value).to.deep.equal({ polluted: 1 });
    expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
    expect(foldEventAttributes({ name: 'x' })).to.deep.equal({ name: 'x' });
  });

  it('reads null optional fields as absent and ignores unknown top-level keys', () => {
    const payload = parseMegaPayload(wire({ object: null, extra: null, other: 1 }, { subject: null, attributes: null }));
    expect(payload).to.not.have.property('object');
    expect(payload).to.not.have.property('other');
    expect(payload.event).to.not.have.property('subject');
    expect(payload.extra).to.deep.equal({});
  });

  it('names the offending field in the message and in path', () => {
    const cases: [unknown, string, RegExp][] = [
      [42, '(payload)', /expected an object, got 42/],
      [wire({ protocol: 'other' }), 'protocol', /expected "mega"/],
      [wire({ version: 2 }), 'version', /expected protocol version 1, got 2/],
      [{ protocol: 'mega', version: 1 }, 'event', /expected an object, got nothing/],
      [wire({}, { name: '' }), 'event.name', /^event\.name: expected a non-empty string/],
      [wire({}, { name: 7 }), 'event.name', /expected a non-empty string, got 7/],
      [wire({}, { timestamp: undefined }), 'event.timestamp', /expected an ISO-8601 timestamp or a Date, got nothing/],
      [wire({}, { timestamp: 'yesterday' }), 'event.timestamp', /expected an ISO-8601 timestamp, got "yesterday"/],
      [wire({}, { version: 1.5 }), 'event.version', /expected an integer/],
      [wire({}, { domain: 5 }), 'event.domain', /expected a string, got 5/],
      [wire({}, { attributes: [1] }), 'event.attributes', /expected an object, got an array/],
      [wire({}, { loose: 1, attributes: 'x' }), 'event.attributes', /expected an object, got "x"/],
      [wire({ object: {} }), 'object.current', /expected an object, got nothing/],
      [wire({ object: { current: 'x' } }), 'object.current', /expected an object/],
      [wire({ object: { current: {}, id: 5 } }), 'object.id', /expected a string/],
      [wire({ object: { current: {}, previous: new Date() } }), 'object.previous', /got a Date/],
      [wire({ extra: 'x' }), 'extra', /expected an object/],
    ];
    for (const [value, path, message] of cases) {
      const error = schemaError(value);
      expect(error.path, JSON.stringify(value)).to.equal(path);
      expect(error.message).to.match(new RegExp(`^${path.replace(/[.()]/g, '\\$&')}: `));
      expect(error.message).to.match(message);
    }
  });

  it('tells MEGA-tagged objects apart', () => {
    expect(isMegaTagged({ protocol: 'mega', version: 1 })).to.equal(true);
    expect(isMegaTagged({ protocol: 'mega', version: '1' })).to.equal(true);
    expect(isMegaTagged({ protocol: 'mega', version: 2 })).to.equal(false);
    expect(isMegaTagged({ protocol: 'MEGA', version: 1 })).to.equal(false);
    expect(isMegaTagged({ version: 1 })).to.equal(false);
  });
});
