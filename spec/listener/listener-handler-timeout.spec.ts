import { expect } from 'chai';
import { HandlerTimeoutError } from '../../src/consume/handler-timeout.js';
import type { MessageContext } from '../../src/dispatch/context.js';
import { DataSubscriber } from '../../src/dispatch/data-subscribers.js';
import type { DataObject } from '../../src/protocol/types.js';
import type { TestServer } from '../support/fauxqs.js';
import { listenUntil, sendBodies, startTestServer, testListener } from './listener-helpers.js';

// handlerTimeoutSeconds end to end: handlers that never return must not stall the listener, even
// when there are as many of them as maxInFlight, and their messages come back instead of being deleted.
describe('SqsListener handlerTimeoutSeconds end to end (fauxqs)', function () {
  this.timeout(15_000);
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });

  it('gives up handlers that hang (as many as maxInFlight) as retries, and the rest of the queue keeps flowing', async () => {
    const queueUrl = await server.createQueue();
    const good = Array.from({ length: 8 }, (_, i) => JSON.stringify({ n: i }));
    const hanging = [JSON.stringify({ hang: 1 }), JSON.stringify({ hang: 2 })];
    await sendBodies(server, queueUrl, [...hanging, ...good]);
    class Hangs extends DataSubscriber {
      pattern = { hang: (v: unknown) => v !== undefined };
      process(): Promise<void> {
        return new Promise(() => {}); // never settles and ignores the signal
      }
    }
    class Counts extends DataSubscriber {
      process() {}
    }
    // visibilityTimeout 1 s: the heartbeat extends the hung messages until the timeout, then must stop.
    const { listener, events, lines } = testListener(server, queueUrl, {
      maxInFlight: 2,
      maxNumberOfMessages: 2,
      visibilityTimeout: 1,
      handlerTimeoutSeconds: 1,
      retryDelaySeconds: () => 2,
    });
    listener.registerSubscriber(Hangs);
    listener.registerSubscriber(Counts);
    const order: string[] = [];
    listener.on('message_deleted', () => order.push('deleted'));
    listener.on('error', (e) => e.stage === 'timeout' && order.push('timeout'));
    const timeouts = () => events.error.filter((e) => e.stage === 'timeout');
    await listenUntil(listener, () => events.message_deleted.length === good.length && timeouts().length === 2, 10_000);

    // Both slots were held by hung handlers before any good message went through.
    expect(order.slice(0, 2)).to.deep.equal(['timeout', 'timeout']);
    for (const { error } of timeouts()) {
      expect(error).to.be.instanceOf(HandlerTimeoutError);
      expect((error as HandlerTimeoutError).stillRunning).to.deep.equal(['Hangs']);
    }
    const hungIds = timeouts().map((e) => e.messageId);
    expect(events.message_retried.map((e) => e.messageId).sort()).to.deep.equal([...hungIds].sort());
    expect(events.message_retried.every((e) => e.delaySeconds === 2)).to.equal(true);
    expect(events.message_deleted.map((e) => e.messageId)).to.not.include.members(hungIds as string[]);
    expect(lines.filter((l) => l.level === 'error' && l.msg.startsWith('message processing timed out'))).to.have.length(2);

    // Not deleted and no longer extended: both come back after the retry delay, received a second time.
    const back = await server.receiveAll(queueUrl, { min: 2, timeoutMs: 6_000 });
    expect(back.map((m) => m.Body).sort()).to.deep.equal([...hanging].sort());
    expect(back.every((m) => Number(m.Attributes?.ApproximateReceiveCount) >= 2)).to.equal(true);
  });

  it('aborts the signal of a handler that honours it: it ends cleanly, its late result ignored, its message retried', async () => {
    const queueUrl = await server.createQueue();
    await sendBodies(server, queueUrl, [JSON.stringify({ job: 'slow' })]);
    const reasons: unknown[] = [];
    class Polite extends DataSubscriber {
      async process(_payload: DataObject, context: MessageContext): Promise<void> {
        await new Promise((resolve) => context.signal.addEventListener('abort', resolve, { once: true }));
        reasons.push(context.signal.reason);
        throw context.signal.reason; // would be FATAL_ERROR (delete) if it were not ignored
      }
    }
    // visibilityTimeout 2 s: a receive cut short by stop() may still take the message back on the server.
    const { listener, events, lines } = testListener(server, queueUrl, { handlerTimeoutSeconds: 1, visibilityTimeout: 2, retryDelaySeconds: () => 1 });
    listener.registerSubscriber(Polite);
    await listenUntil(listener, () => events.message_retried.length === 1 && lines.some((l) => l.msg.includes('timed out has ended; its result is ignored')));

    expect(reasons).to.have.length(1);
    expect(reasons[0]).to.be.instanceOf(HandlerTimeoutError);
    expect(events.error.map((e) => e.stage)).to.deep.equal(['timeout']);
    expect(events.message_retried).to.have.length(1);
    expect(events.message_processed).to.have.length(0);
    expect(events.message_deleted).to.have.length(0);
    const back = await server.receiveAll(queueUrl, { min: 1, timeoutMs: 5_000 });
    expect(back.map((m) => m.Body)).to.deep.equal([JSON.stringify({ job: 'slow' })]);
  });
});
