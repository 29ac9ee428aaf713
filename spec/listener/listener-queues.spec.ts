import { DeleteQueueCommand, SendMessageBatchCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { expect } from 'chai';
import { SqsListener } from '../../src/listener/listener.js';
import { ListenerOptionsError } from '../../src/listener/listener-options.js';
import type { MessageContext } from '../../src/dispatch/context.js';
import { DataSubscriber } from '../../src/dispatch/data-subscribers.js';
import { ProcessStatus } from '../../src/dispatch/status.js';
import { DEAD_LETTER_ATTRIBUTES } from '../../src/consume/dead-letter.js';
import type { DataObject } from '../../src/protocol/types.js';
import type { TestServer } from '../support/fauxqs.js';
import { listenUntil, memoryLogger, recordEvents, sendBodies, sleep, startTestServer } from './listener-helpers.js';

const body = (o: Record<string, unknown>) => JSON.stringify(o);

describe('SqsListener over several queues (fauxqs)', function () {
  this.timeout(20_000);
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });

  function listenerOn(queues: ConstructorParameters<typeof SqsListener>[0]['queues'], options: Partial<ConstructorParameters<typeof SqsListener>[0]> = {}) {
    const { logger, lines } = memoryLogger();
    const listener = new SqsListener({ queues, client: server.sqs, waitTimeSeconds: 1, handleSignals: false, logger, ...options });
    return { listener, lines, events: recordEvents(listener) };
  }

  it('takes queueUrl or queues, exactly one, and checks each queue', () => {
    const q = 'http://127.0.0.1:1/000000000000/a';
    expect(() => new SqsListener({ queueUrl: q, queues: [{ queueUrl: q }] })).to.throw(ListenerOptionsError, /not both/);
    expect(() => new SqsListener({ queues: [] })).to.throw(ListenerOptionsError, /queues/);
    expect(() => new SqsListener({ queues: [{ queueUrl: q }, { queueUrl: q }] })).to.throw(ListenerOptionsError, /once/);
    expect(() => new SqsListener({ queues: [{ queueUrl: q, deadLetterQueueUrl: q }] })).to.throw(ListenerOptionsError, /deadLetterQueueUrl/);
    expect(() => new SqsListener({ queues: [{ queueUrl: q, weight: 2 }], polling: 'strict' })).to.throw(ListenerOptionsError, /weight/);
    expect(() => new SqsListener({ queueUrl: q, polling: 'strict' })).to.throw(ListenerOptionsError, /polling/);
    expect(() => new SqsListener({ queues: [{ queueUrl: q, waitTimeSeconds: 30 }] })).to.throw(ListenerOptionsError, /queues\.0\.waitTimeSeconds/);
  });

  it('routes deletes, retries and dead-letter copies to the queue each message came from, FIFO and standard mixed, and says which queue', async () => {
    const standard = await server.createQueue();
    const fifo = await server.createQueue({ attributes: { FifoQueue: 'true', ContentBasedDeduplication: 'true' } });
    const [standardDlq, fifoDlq] = [await server.createQueue(), await server.createQueue()];
    const seen: { id: unknown; queueUrl: string | undefined }[] = [];
    const tries = new Map<unknown, number>();
    class Work extends DataSubscriber {
      process(payload: DataObject, context: MessageContext) {
        seen.push({ id: payload.id, queueUrl: context.queueUrl });
        tries.set(payload.id, (tries.get(payload.id) ?? 0) + 1);
        if (payload.action === 'fail') return ProcessStatus.FATAL_ERROR;
        if (payload.action === 'retry' && tries.get(payload.id) === 1) return ProcessStatus.RETRY_LATER;
        return ProcessStatus.DONE;
      }
    }
    const { listener, events, lines } = listenerOn([
      { queueUrl: standard, deadLetterQueueUrl: standardDlq, retryDelaySeconds: () => 0 },
      { queueUrl: fifo, deadLetterQueueUrl: fifoDlq, retryDelaySeconds: () => 0, visibilityTimeout: 5 },
    ]);
    listener.registerSubscriber(Work);
    await sendBodies(server, standard, [body({ id: 's-ok' }), body({ id: 's-fail', action: 'fail' }), body({ id: 's-retry', action: 'retry' })]);
    for (const m of [{ id: 'f-ok' }, { id: 'f-fail', action: 'fail' }, { id: 'f-retry', action: 'retry' }]) {
      await server.sqs.send(new SendMessageCommand({ QueueUrl: fifo, MessageBody: body(m), MessageGroupId: m.id }));
    }
    await listenUntil(listener, () => events.message_deleted.length === 6);

    const queueOf = Object.fromEntries(seen.map((s) => [s.id, s.queueUrl]));
    expect(queueOf).to.deep.equal({ 's-ok': standard, 's-fail': standard, 's-retry': standard, 'f-ok': fifo, 'f-fail': fifo, 'f-retry': fifo });
    expect(events.message_retried.map((e) => [e.messageId !== undefined, e.queueUrl]).sort()).to.deep.equal([[true, fifo], [true, standard]].sort());
    expect(new Set(events.message_deleted.map((e) => e.queueUrl))).to.deep.equal(new Set([standard, fifo]));
    expect(events.started.map((e) => e.queueUrl)).to.deep.equal([standard, fifo]);
    for (const [queue, dlq, id] of [[standard, standardDlq, 's-fail'], [fifo, fifoDlq, 'f-fail']] as const) {
      const copies = await server.receiveAll(dlq);
      expect(copies.map((m) => JSON.parse(m.Body ?? '{}').id)).to.deep.equal([id]);
      expect(copies[0]?.MessageAttributes?.[DEAD_LETTER_ATTRIBUTES.sourceQueue]?.StringValue).to.equal(queue);
      expect(await server.receiveAll(queue, { min: 0, timeoutMs: 100 })).to.deep.equal([]);
    }
    const retryLine = lines.find((l) => l.msg === 'message left for a retry' && l.fields.queueUrl === fifo);
    expect(retryLine, 'log lines name their queue').to.not.equal(undefined);
  });

  it('keeps FIFO order within each group of each queue', async () => {
    const [a, b] = [await server.createQueue({ attributes: { FifoQueue: 'true', ContentBasedDeduplication: 'true' } }), await server.createQueue({ attributes: { FifoQueue: 'true', ContentBasedDeduplication: 'true' } })];
    for (const queueUrl of [a, b]) {
      for (let i = 0; i < 20; i += 10) {
        await server.sqs.send(new SendMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: Array.from({ length: 10 }, (_, j) => ({ Id: String(j), MessageBody: body({ n: i + j, g: (i + j) % 2 }), MessageGroupId: String((i + j) % 2) })),
        }));
      }
    }
    const order = new Map<string, number[]>();
    class Ordered extends DataSubscriber {
      async process(payload: DataObject, context: MessageContext) {
        const key = `${context.queueUrl}/${String(payload.g)}`;
        order.set(key, [...(order.get(key) ?? []), payload.n as number]);
        await sleep(Number(payload.n) % 3);
      }
    }
    const { listener, events } = listenerOn([{ queueUrl: a }, { queueUrl: b, weight: 2 }], { maxInFlight: 6 });
    listener.registerSubscriber(Ordered);
    await listenUntil(listener, () => events.message_deleted.length === 40);
    for (const [key, ns] of order) expect(ns, key).to.deep.equal([...ns].sort((x, y) => x - y));
    expect(order.size).to.equal(4);
  });

  it('holds at most maxInFlight messages across all queues', async () => {
    const queues = [await server.createQueue(), await server.createQueue()];
    for (const q of queues) await sendBodies(server, q, Array.from({ length: 15 }, (_, i) => body({ i })));
    let running = 0;
    let most = 0;
    class Slow extends DataSubscriber {
      async process() {
        running += 1;
        most = Math.max(most, running);
        await sleep(10);
        running -= 1;
      }
    }
    const { listener, events } = listenerOn(queues.map((queueUrl) => ({ queueUrl })), { maxInFlight: 4, concurrency: 2 });
    listener.registerSubscriber(Slow);
    await listenUntil(listener, () => events.message_deleted.length === 30);
    expect(most).to.be.at.most(4).and.at.least(2);
    expect(new Set(events.message_deleted.map((e) => e.queueUrl)).size).to.equal(2);
  });

  it('strict: picks up work on the high queue within about a poll while the low one is flooded', async () => {
    const [high, low] = [await server.createQueue(), await server.createQueue()];
    await sendBodies(server, low, Array.from({ length: 150 }, (_, i) => body({ q: 'low', i })));
    const done: string[] = [];
    class Work extends DataSubscriber {
      async process(payload: DataObject) {
        await sleep(2);
        done.push(String(payload.q));
      }
    }
    const { listener } = listenerOn([{ queueUrl: high, waitTimeSeconds: 20 }, { queueUrl: low }], { polling: 'strict', maxInFlight: 5 });
    listener.registerSubscriber(Work);
    const listening = listener.listen();
    while (done.length < 10) await sleep(10);
    await sendBodies(server, high, Array.from({ length: 5 }, (_, i) => body({ q: 'high', i })));
    const sentAt = done.length;
    while (done.filter((q) => q === 'high').length < 5) await sleep(10);
    await listener.stop();
    await listening;
    // Within about one poll: at most what was in flight (5) and a batch received meanwhile went first.
    const lastHigh = done.lastIndexOf('high');
    expect(lastHigh - sentAt).to.be.below(30);
    expect(done.filter((q) => q === 'low').length).to.be.below(150);
  });

  it('stops every queue together, leaving nothing hidden', async () => {
    const queues = [await server.createQueue(), await server.createQueue()];
    for (const q of queues) await sendBodies(server, q, Array.from({ length: 10 }, (_, i) => body({ i })));
    let started = 0;
    class Slow extends DataSubscriber {
      async process() {
        started += 1;
        await sleep(200);
      }
    }
    const { listener, events } = listenerOn(queues.map((queueUrl) => ({ queueUrl, visibilityTimeout: 30 })), { maxInFlight: 6 });
    listener.registerSubscriber(Slow);
    const listening = listener.listen();
    while (started < 4) await sleep(10);
    await listener.stop();
    await listening;
    const deleted = events.message_deleted.length;
    expect(deleted).to.be.at.least(4);
    expect(events.stopped.map((e) => e.queueUrl)).to.deep.equal(queues);
    // What was not processed is visible again at once, on its own queue.
    const left = (await Promise.all(queues.map((q) => server.receiveAll(q, { min: 0, timeoutMs: 300 })))).flat();
    expect(left.length + deleted).to.equal(20);
  });

  it('goes on with the other queues when one is deleted while listening', async () => {
    const [gone, kept] = [await server.createQueue(), await server.createQueue()];
    let processed = 0;
    class Work extends DataSubscriber {
      process() {
        processed += 1;
      }
    }
    const { listener, events } = listenerOn([{ queueUrl: gone }, { queueUrl: kept }], { polling: 'strict' });
    listener.registerSubscriber(Work);
    const listening = listener.listen();
    await sleep(100);
    await server.sqs.send(new DeleteQueueCommand({ QueueUrl: gone }));
    await sleep(1_200); // the poll in flight on the deleted queue returns, the next one fails
    await sendBodies(server, kept, [body({ a: 1 }), body({ a: 2 })]);
    const deadline = Date.now() + 8_000;
    while (processed < 2 && Date.now() < deadline) await sleep(20);
    await listener.stop();
    await listening;
    expect(processed).to.equal(2);
    expect(events.error.some((e) => e.stage === 'receive' && e.queueUrl === gone)).to.equal(true);
  });
});
