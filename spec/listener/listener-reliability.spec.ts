import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { expect } from 'chai';
import { DEAD_LETTER_ATTRIBUTES } from '../../src/consume/dead-letter.js';
import type { MessageContext } from '../../src/dispatch/context.js';
import { DataSubscriber } from '../../src/dispatch/data-subscribers.js';
import type { DataObject } from '../../src/protocol/types.js';
import type { TestServer } from '../support/fauxqs.js';
import { listenUntil, sendBodies, sleep, startTestServer, testListener } from './listener-helpers.js';

describe('SqsListener reliability end to end (fauxqs)', function () {
  this.timeout(20_000);
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });

  it('copies FATAL_ERROR and invalid messages to the dead-letter queue with the error as attributes, then deletes them', async () => {
    const queueUrl = await server.createQueue();
    const deadLetterQueueUrl = await server.createQueue({ name: 'dlq' });
    class Breaks extends DataSubscriber {
      process() {
        throw new TypeError('cannot read the order');
      }
    }
    const invalid = JSON.stringify({ protocol: 'mega', version: 1, event: { name: 'x', timestamp: 'not a date' } });
    await sendBodies(server, queueUrl, [JSON.stringify({ order: 1 }), invalid], { tenant: { DataType: 'String', StringValue: 'acme' } });
    const { listener, events } = testListener(server, queueUrl, { deadLetterQueueUrl });
    listener.registerSubscriber(Breaks);
    await listenUntil(listener, () => events.message_deleted.length === 2);

    expect(events.message_dead_lettered.map((e) => e.reason).sort()).to.deep.equal(['fatal', 'invalid']);
    const copies = await server.receiveAll(deadLetterQueueUrl, { min: 2 });
    expect(copies.map((m) => m.Body).sort()).to.deep.equal([JSON.stringify({ order: 1 }), invalid].sort());
    const fatal = copies.find((m) => m.Body === JSON.stringify({ order: 1 }))?.MessageAttributes ?? {};
    expect(fatal[DEAD_LETTER_ATTRIBUTES.reason]?.StringValue).to.equal('fatal');
    expect(fatal[DEAD_LETTER_ATTRIBUTES.error]?.StringValue).to.equal('TypeError: cannot read the order');
    expect(fatal[DEAD_LETTER_ATTRIBUTES.sourceQueue]?.StringValue).to.equal(queueUrl);
    expect(fatal[DEAD_LETTER_ATTRIBUTES.subscribers]?.StringValue).to.equal('Breaks:FATAL_ERROR');
    expect(fatal.tenant?.StringValue).to.equal('acme');
    const bad = copies.find((m) => m.Body === invalid)?.MessageAttributes ?? {};
    expect(bad[DEAD_LETTER_ATTRIBUTES.reason]?.StringValue).to.equal('invalid');
    expect(bad[DEAD_LETTER_ATTRIBUTES.error]?.StringValue).to.match(/timestamp/);
    expect(await server.receiveAll(queueUrl, { min: 0, timeoutMs: 300 })).to.have.length(0);
  });

  it('keeps a message on the queue when its dead-letter copy fails', async () => {
    const queueUrl = await server.createQueue();
    class Breaks extends DataSubscriber {
      process() {
        throw new Error('fatal');
      }
    }
    await sendBodies(server, queueUrl, [JSON.stringify({ order: 2 })]);
    const { listener, events } = testListener(server, queueUrl, { deadLetterQueueUrl: `${queueUrl}-missing`, visibilityTimeout: 1 });
    listener.registerSubscriber(Breaks);
    await listenUntil(listener, () => events.error.some((e) => e.stage === 'dead-letter'));
    expect(events.message_deleted).to.have.length(0);
    const back = await server.receiveAll(queueUrl, { min: 1, timeoutMs: 4_000 });
    expect(back.map((m) => m.Body)).to.deep.equal([JSON.stringify({ order: 2 })]);
    expect(Number(back[0]?.Attributes?.ApproximateReceiveCount)).to.be.at.least(2);
  });

  it('heartbeat: with a 2 s visibility timeout, a 5 s handler keeps its message, which another consumer never sees', async () => {
    const queueUrl = await server.createQueue();
    const runs: number[] = [];
    class Slow extends DataSubscriber {
      async process(_p: DataObject, context: MessageContext) {
        runs.push(context.receiveCount);
        await sleep(5_000);
      }
    }
    await sendBodies(server, queueUrl, [JSON.stringify({ slow: true })]);
    const { listener, events } = testListener(server, queueUrl, { visibilityTimeout: 2 });
    listener.registerSubscriber(Slow);
    const listening = listener.listen();
    while (events.message_received.length === 0) await sleep(10);
    // Once the listener holds the message, a second consumer polls the same queue for its whole run.
    const stolen: string[] = [];
    while (events.message_deleted.length === 0) {
      const out = await server.sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 1, VisibilityTimeout: 30 }));
      for (const m of out.Messages ?? []) stolen.push(m.MessageId ?? '');
    }
    await listener.stop();
    await listening;
    expect(runs).to.deep.equal([1]);
    expect(stolen).to.deep.equal([]);
    expect(events.message_processed[0]?.durationMs).to.be.at.least(4_900);
  });

  it('never holds more messages than maxInFlight, across parallel receive loops', async () => {
    const queueUrl = await server.createQueue();
    let running = 0;
    let peak = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    class Blocked extends DataSubscriber {
      async process() {
        running += 1;
        peak = Math.max(peak, running);
        await gate;
        running -= 1;
      }
    }
    await sendBodies(server, queueUrl, Array.from({ length: 12 }, (_, i) => JSON.stringify({ i })));
    const { listener, events } = testListener(server, queueUrl, { concurrency: 2, maxInFlight: 3 });
    listener.registerSubscriber(Blocked);
    const listening = listener.listen();
    await sleep(600);
    expect(running).to.equal(3);
    release();
    while (events.message_deleted.length < 12) await sleep(20);
    await listener.stop();
    await listening;
    expect(peak).to.equal(3);
  });

  it('logs and retries SQS errors with growing backoff, without dying or spinning', async () => {
    const missing = `${await server.createQueue()}-does-not-exist`;
    const { listener, events, lines } = testListener(server, missing);
    const listening = listener.listen();
    await sleep(1_500);
    await listener.stop();
    await listening;
    const receiveErrors = events.error.filter((e) => e.stage === 'receive');
    // 200 ms doubling with jitter: a handful of attempts in 1.5 s, not hundreds.
    expect(receiveErrors.length).to.be.within(2, 6);
    const waits = lines.filter((l) => l.msg.startsWith('ReceiveMessage failed')).map((l) => Number(l.fields.retryInMs));
    expect(waits[1]).to.be.greaterThan(waits[0] ?? Infinity);
  });

  it('stop() lets the long poll in flight return, releases what it brought, lets the running handler finish and deletes its message', async () => {
    const queueUrl = await server.createQueue();
    let finished = 0;
    class Busy extends DataSubscriber {
      async process() {
        await sleep(400);
        finished += 1;
      }
    }
    await sendBodies(server, queueUrl, [JSON.stringify({ busy: 1 })]);
    const { listener, events } = testListener(server, queueUrl, { waitTimeSeconds: 20 });
    listener.registerSubscriber(Busy);
    const listening = listener.listen();
    while (events.message_received.length === 0) await sleep(10);
    await sleep(100); // the next 20 s long poll is waiting on the server
    const stopping = listener.stop();
    // Sent after stop(): the waiting poll gets it, and it goes straight back to the queue.
    await sendBodies(server, queueUrl, [JSON.stringify({ late: 1 })]);
    await stopping;
    await listening;
    expect(finished).to.equal(1);
    expect(events.message_deleted).to.have.length(1);
    expect(events.message_released).to.have.length(1);
    expect(listener.listening).to.equal(false);
    const back = await server.receiveAll(queueUrl, { min: 1, timeoutMs: 2_000 });
    expect(back.map((m) => m.Body)).to.deep.equal([JSON.stringify({ late: 1 })]);
  });

  it('after the shutdown deadline, aborts handlers and leaves their messages for redelivery', async () => {
    const queueUrl = await server.createQueue();
    let aborted: unknown;
    class Stuck extends DataSubscriber {
      async process(_p: DataObject, context: MessageContext) {
        await new Promise<void>((resolve) => context.signal.addEventListener('abort', () => resolve()));
        aborted = context.signal.reason;
      }
    }
    await sendBodies(server, queueUrl, [JSON.stringify({ stuck: 1 })]);
    const { listener, events } = testListener(server, queueUrl, { shutdownTimeoutMs: 200, visibilityTimeout: 1 });
    listener.registerSubscriber(Stuck);
    const listening = listener.listen();
    while (events.message_received.length === 0) await sleep(10);
    await listener.stop();
    await listening;
    await sleep(50);
    expect((aborted as Error).name).to.equal('ListenerShutdownError');
    expect(events.stopped).to.deep.equal([{ queueUrl, unfinished: 1 }]);
    expect(events.message_deleted).to.have.length(0);
    const back = await server.receiveAll(queueUrl, { min: 1, timeoutMs: 4_000 });
    expect(back.map((m) => m.Body)).to.deep.equal([JSON.stringify({ stuck: 1 })]);
  });
});
