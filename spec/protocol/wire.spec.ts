import { expect } from 'chai';
import { PayloadBuilder } from '../../src/protocol/builder.js';
import { parseMegaPayload } from '../../src/protocol/schema.js';
import { toWireObject } from '../../src/protocol/wire.js';

describe('protocol/wire', () => {
  it('writes the timestamp as ISO-8601 UTC and attributes under event.attributes', () => {
    const payload = new PayloadBuilder()
      .withEvent({ name: 'item.added', domain: 'cart', timestamp: '2020-05-04T12:53:27.823-03:00', item_id: 'x' })
      .withObject({ current: { a: 1 }, id: '1' })
      .withExtra({ channel: 'web' })
      .build();
    expect(toWireObject(payload)).to.deep.equal({
      protocol: 'mega',
      version: 1,
      event: { name: 'item.added', timestamp: '2020-05-04T15:53:27.823Z', version: 1, domain: 'cart', attributes: { item_id: 'x' } },
      object: { current: { a: 1 }, id: '1', version: 1 },
      extra: { channel: 'web' },
    });
  });

  it('drops absent and empty optional fields', () => {
    const wire = toWireObject(new PayloadBuilder().withEvent({ name: 'x', timestamp: new Date(0) }).build());
    expect(wire).to.deep.equal({ protocol: 'mega', version: 1, event: { name: 'x', timestamp: '1970-01-01T00:00:00.000Z', version: 1 } });
  });

  it('reads back to the same payload', () => {
    const payload = new PayloadBuilder()
      .withEvent({ name: 'x', subject: 's', publisher: 'p', timestamp: new Date(1_600_000_000_123), quantity: 2 })
      .withObject({ current: { a: 1 }, previous: {}, type: 't', version: 4 })
      .build();
    expect(parseMegaPayload(toWireObject(payload))).to.deep.equal(payload);
  });
});
