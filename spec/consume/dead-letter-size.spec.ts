import { expect } from 'chai';
import { DEAD_LETTER_ATTRIBUTES } from '../../src/consume/dead-letter.js';
import { DataSubscriber } from '../../src/dispatch/data-subscribers.js';
import type { TestServer } from '../support/fauxqs.js';
import { listenUntil, sendBodies, startTestServer, testListener } from '../listener/listener-helpers.js';

describe('dead-lettering a message near 1 MiB (fauxqs, which counts attributes in the size as SQS does)', function () {
  this.timeout(20_000);
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });

  it('a 1,048,499-byte poison message reaches the dead-letter queue and leaves the source queue', async () => {
    const queueUrl = await server.createQueue();
    const deadLetterQueueUrl = await server.createQueue({ name: 'dlq' });
    const prefix = '{"pad":"';
    const body = `${prefix}${'p'.repeat(1_048_499 - prefix.length - 2)}"}`;
    expect(Buffer.byteLength(body)).to.equal(1_048_499);
    class Breaks extends DataSubscriber {
      process() {
        throw new Error('poison');
      }
    }
    await sendBodies(server, queueUrl, [body]);
    const { listener, events } = testListener(server, queueUrl, { deadLetterQueueUrl, visibilityTimeout: 1 });
    listener.registerSubscriber(Breaks);
    await listenUntil(listener, () => events.message_deleted.length === 1 || events.error.some((e) => e.stage === 'dead-letter'));
    expect(events.error.filter((e) => e.stage === 'dead-letter')).to.deep.equal([]);
    const [copy] = await server.receiveAll(deadLetterQueueUrl, { min: 1 });
    expect(copy?.Body).to.equal(body);
    expect(copy?.MessageAttributes?.[DEAD_LETTER_ATTRIBUTES.reason]?.StringValue).to.equal('fatal');
    expect(await server.receiveAll(queueUrl, { min: 0, timeoutMs: 300 })).to.have.length(0);
  });
});
