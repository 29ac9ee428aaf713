import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { expect } from 'chai';
import { FINAL_FLUSH_MIN_MS } from '../../src/listener/listener-session.js';
import type { MessageContext } from '../../src/dispatch/context.js';
import { DataSubscriber } from '../../src/dispatch/data-subscribers.js';
import type { DataObject } from '../../src/protocol/types.js';
import { FaultProxy, type FaultRule } from '../support/fault-proxy.js';
import { TEST_CREDENTIALS, TEST_REGION, type TestServer } from '../support/fauxqs.js';
import { sendBodies, sleep, startTestServer, testListener } from './listener-helpers.js';

/** Finishes at once, except a message `{ stuck: true }`, which runs until its signal aborts. */
class Work extends DataSubscriber {
  async process(payload: DataObject, context: MessageContext) {
    if (payload.stuck === true) await new Promise((resolve) => context.signal.addEventListener('abort', resolve));
  }
}

// stop() is bounded by shutdownTimeoutMs (+ the final flush's minimum) whatever the deletes do, and
// the flush it ends with deletes what was processed, so that does not come back after a stop.
describe('SqsListener stop deadline end to end (fauxqs, fault proxy)', function () {
  this.timeout(20_000);
  let server: TestServer;
  let proxy: FaultProxy;
  let client: SQSClient;
  before(async () => {
    server = await startTestServer();
  });
  beforeEach(async () => {
    proxy = await FaultProxy.start({ target: server.endpoint });
    client = new SQSClient({ region: TEST_REGION, endpoint: proxy.endpoint, credentials: TEST_CREDENTIALS, maxAttempts: 1 });
  });
  afterEach(async () => {
    client.destroy();
    await proxy.close();
  });

  const bodies = (...values: DataObject[]) => values.map((value) => JSON.stringify(value));

  /** Processes three messages whose deletes meet `fault`, stops, and says how long stop() took. */
  async function stopWithDeletes(fault: FaultRule, shutdownTimeoutMs: number) {
    const queueUrl = await server.createQueue();
    await sendBodies(server, queueUrl, bodies({ n: 1 }, { n: 2 }, { n: 3 }));
    proxy.inject({ ...fault, actions: ['DeleteMessageBatch'] });
    const { listener, events, lines } = testListener(server, queueUrl, { client, shutdownTimeoutMs, visibilityTimeout: 2 });
    listener.registerSubscriber(Work);
    const listening = listener.listen();
    while (events.message_processed.length < 3) await sleep(10);
    const stoppingAt = Date.now();
    await listener.stop();
    await listening;
    return { queueUrl, stopMs: Date.now() - stoppingAt, lines, events };
  }

  for (const [what, fault] of [
    ['refused', { kind: 'refuse' }],
    ['hanging', { kind: 'delay' }],
  ] as const) {
    it(`with deletes ${what}, stop() ends by its deadline and the undeleted messages come back`, async () => {
      const shutdownTimeoutMs = 500;
      const { queueUrl, stopMs, lines } = await stopWithDeletes(fault, shutdownTimeoutMs);
      // Before the fix: 8.4 s with deletes refused, 168 s with deletes hanging.
      expect(stopMs).to.be.below(shutdownTimeoutMs + FINAL_FLUSH_MIN_MS + 1_000);
      const givenUp = lines.find((l) => l.msg.startsWith('stopped before these processed messages were deleted'));
      expect(givenUp?.level).to.equal('warn');
      expect(givenUp?.fields.messageIds).to.have.length(3);
      proxy.clear();
      const back = await server.receiveAll(queueUrl, { min: 3, timeoutMs: 6_000 });
      expect(back.map((m) => m.Body).sort()).to.deep.equal(bodies({ n: 1 }, { n: 2 }, { n: 3 }));
    });
  }

  it('a second signal during a hanging final flush ends it at once', async () => {
    const queueUrl = await server.createQueue();
    await sendBodies(server, queueUrl, bodies({ n: 1 }));
    proxy.inject({ kind: 'delay', actions: ['DeleteMessageBatch'] });
    const signalHandlers = process.listenerCount('SIGTERM');
    const { listener, events, lines } = testListener(server, queueUrl, { client, shutdownTimeoutMs: 100, handleSignals: true });
    listener.registerSubscriber(Work);
    const listening = listener.listen();
    while (events.message_processed.length < 1) await sleep(10);
    process.emit('SIGTERM', 'SIGTERM');
    // The deadline passed with the message's delete hanging: the final flush (at least 1 s) is running.
    while (!lines.some((l) => l.msg.startsWith('shutdown deadline passed'))) await sleep(5);
    const signalledAt = Date.now();
    process.emit('SIGTERM', 'SIGTERM');
    await listening;
    expect(Date.now() - signalledAt).to.be.below(FINAL_FLUSH_MIN_MS / 2);
    expect(lines.some((l) => l.msg.startsWith('stopped before these processed messages were deleted'))).to.equal(true);
    expect(process.listenerCount('SIGTERM')).to.equal(signalHandlers);
  });

  it('deletes what was processed before a stop that hits its deadline: it does not come back', async () => {
    const queueUrl = await server.createQueue();
    await sendBodies(server, queueUrl, bodies({ quick: true }, { stuck: true }));
    // Slow but healthy deletes: the one for the quick message is still on its way at the deadline.
    proxy.inject({ kind: 'delay', delayMs: 600, actions: ['DeleteMessageBatch'] });
    const { listener, events } = testListener(server, queueUrl, { client, shutdownTimeoutMs: 100, visibilityTimeout: 2 });
    listener.registerSubscriber(Work);
    const listening = listener.listen();
    while (events.message_received.length < 2 || events.message_processed.length < 1) await sleep(10);
    await listener.stop();
    await listening;
    client.destroy(); // as if the process exited once listen() resolved: nothing more goes out
    expect(events.message_deleted).to.have.length(1);
    const depth = await server.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
    );
    // Only the stuck message is left (hidden until its visibility timeout); the quick one is gone.
    expect(depth.Attributes).to.deep.include({ ApproximateNumberOfMessages: '0', ApproximateNumberOfMessagesNotVisible: '1' });
    const back = await server.receiveAll(queueUrl, { min: 1, timeoutMs: 5_000 });
    expect(back.map((m) => m.Body)).to.deep.equal(bodies({ stuck: true }));
  });
});
