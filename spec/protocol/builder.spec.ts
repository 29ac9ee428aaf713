import { expect } from 'chai';
import { PayloadBuilder } from '../../src/protocol/builder.js';
import { MegaSchemaError } from '../../src/protocol/errors.js';

describe('protocol/builder', () => {
  const event = { name: 'item.added', domain: 'shopping_cart', version: 1, subject: '987650', publisher: 'cart-service' };

  it('builds the payload from the README example', () => {
    const timestamp = new Date('2020-05-04T15:53:23.123Z');
    const payload = new PayloadBuilder()
      .withEvent({ ...event, timestamp, item_id: 'x', quantity: 5 })
      .withObject({ type: 'shopping_cart', id: '18a3', version: 2, current: { items: 1 }, previous: { items: 0 } })
      .withExtra({ channel: 'web/desktop' })
      .build();
    expect(payload).to.deep.equal({
      protocol: 'mega',
      version: 1,
      event: { ...event, timestamp, attributes: { item_id: 'x', quantity: 5 } },
      object: { type: 'shopping_cart', id: '18a3', version: 2, current: { items: 1 }, previous: { items: 0 } },
      extra: { channel: 'web/desktop' },
    });
  });

  it('defaults the timestamp to now and the versions to 1', () => {
    const before = Date.now();
    const payload = new PayloadBuilder().withEvent({ name: 'x' }).withObject({ current: {} }).build();
    expect(payload.event.timestamp.getTime()).to.be.within(before, Date.now());
    expect(payload.event.version).to.equal(1);
    expect(payload.object?.version).to.equal(1);
    expect(payload.extra).to.deep.equal({});
  });

  it('reads string timestamps as UTC and keeps explicit attributes over loose keys', () => {
    const payload = new PayloadBuilder()
      .withEvent({ name: 'x', timestamp: '2020-05-04T15:53:27.823000', item_id: 'loose', attributes: { item_id: 'explicit' } })
      .build();
    expect(payload.event.timestamp.toISOString()).to.equal('2020-05-04T15:53:27.823Z');
    expect(payload.event.attributes).to.deep.equal({ item_id: 'explicit' });
  });

  it('merges successive extras', () => {
    const payload = new PayloadBuilder().withEvent({ name: 'x' }).withExtra({ a: 1, b: 1 }).withExtra({ b: 2 }).build();
    expect(payload.extra).to.deep.equal({ a: 1, b: 2 });
  });

  it('copies __proto__ keys of its inputs as data, never as prototypes', () => {
    const hostile = JSON.parse('{"__proto__":{"polluted":1}}') as Record<string, unknown>;
    const payload = new PayloadBuilder().withEvent({ name: 'x', ...hostile }).withExtra(hostile).build();
    expect(Object.getOwnPropertyDescriptor(payload.extra, '__proto__')?.value).to.deep.equal({ polluted: 1 });
    expect(Object.getOwnPropertyDescriptor(payload.event.attributes, '__proto__')?.value).to.deep.equal({ polluted: 1 });
    expect(Object.getPrototypeOf(payload.extra)).to.equal(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
  });

  it('throws a MegaSchemaError naming the field', () => {
    const attempts: [() => unknown, string][] = [
      [() => new PayloadBuilder().build(), 'event'],
      [() => new PayloadBuilder().withEvent({ name: '' }).build(), 'event.name'],
      [() => new PayloadBuilder().withEvent({ name: 'x', timestamp: 'soon' }).build(), 'event.timestamp'],
      [() => new PayloadBuilder().withEvent({ name: 'x', version: 1.5 }).build(), 'event.version'],
      [() => new PayloadBuilder().withEvent({ name: 'x' }).withObject({} as never).build(), 'object.current'],
      [() => new PayloadBuilder().withEvent({ name: 'x' }).withObject({ current: {}, type: 3 } as never).build(), 'object.type'],
      [() => new PayloadBuilder().withExtra([] as never), 'extra'],
      [() => new PayloadBuilder().withEvent(null as never), 'event'],
    ];
    for (const [attempt, path] of attempts) {
      expect(attempt).to.throw(MegaSchemaError, new RegExp(`^${path.replace('.', '\\.')}: `)).with.property('path', path);
    }
  });

  it('does not share state with the objects it was given', () => {
    const input = { name: 'x', timestamp: new Date(0) };
    const builder = new PayloadBuilder().withEvent(input);
    input.name = 'changed';
    expect(builder.build().event.name).to.equal('x');
  });
});
