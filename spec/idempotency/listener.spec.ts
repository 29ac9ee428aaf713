import { expect } from 'chai';
import { encodePayload } from '../../src/codec/encode.js';
import { DataSubscriber } from '../../src/dispatch/data-subscribers.js';
import { ProcessStatus } from '../../src/dispatch/status.js';
import { MemoryIdempotencyStore } from '../../src/idempotency/memory-store.js';
import type { IdempotencyStore } from '../../src/idempotency/store.js';
import { SqsListener } from '../../src/listener/listener.js';
import { ListenerOptionsError } from '../../src/listener/listener-options.js';
import type { DataObject } from '../../src/protocol/types.js';
import type { TestServer } from '../support/fauxqs.js';
import { listenUntil, sendBodies, sleep, startTestServer, testListener } from '../listener/listener-helpers.js';
import { isEmpty, queueDepth } from '../reliability/support.js';

/** Counts runs per `id`; answers with the body's `status` list, one entry per run. */
class Orders extends DataSubscriber {
  runs = new Map<number, number>();
  pattern = {};
  process(payload: DataObject): ProcessStatus {
    const id = Number(payload['id']);
    const run = (this.runs.get(id) ?? 0) + 1;
    this.runs.set(id, run);
    const statuses = (payload['statuses'] as ProcessStatus[] | undefined) ?? [];
    return statuses[run - 1] ?? ProcessStatus.DONE;
  }
}

/** A store whose claims fail `failures` times first. */
function failingStore(failures: number): IdempotencyStore & { calls: number } {
  const inner = new MemoryIdempotencyStore();
  const store = {
    calls: 0,
    claim(key: string, token: string, ms: number) {
      store.calls += 1;
      return store.calls <= failures ? Promise.reject(new Error('ECONNREFUSED 127.0.0.1:6379')) : inner.claim(key, token, ms);
    },
    complete: (key: string, token: string, ms: number) => inner.complete(key, token, ms),
    release: (key: string, token: string) => inner.release(key, token),
  };
  return store;
}

describe('idempotency: the listener skips duplicates (fauxqs, memory store)', function () {
  this.timeout(20_000);
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });

  it('runs a payload published twice (as JSON and as BSON) once, deletes the duplicate and says so', async () => {
    const queueUrl = await server.createQueue();
    await sendBodies(server, queueUrl, [encodePayload({ id: 1, total: 5 }), encodePayload({ id: 2 })]);
    await sendBodies(server, queueUrl, [encodePayload({ total: 5, id: 1 }, { binaryEncoding: true })]);
    const orders = new Orders();
    const { listener, events, lines } = testListener(server, queueUrl, { idempotency: { store: new MemoryIdempotencyStore(), key: 'payloadHash' } });
    listener.registerSubscriber(orders);
    await listenUntil(listener, () => events.message_deleted.length === 3);
    expect([...orders.runs]).to.have.deep.members([[1, 1], [2, 1]]);
    // Received in one batch, the copies may race: the loser sees the key in progress, then completed.
    const states = events.message_duplicate.map((d) => d.state);
    expect(states.at(-1)).to.equal('completed');
    expect(states.slice(0, -1).every((s) => s === 'in_progress')).to.equal(true);
    expect(new Set(events.message_duplicate.map((d) => d.key)).size).to.equal(1);
    expect(events.message_duplicate[0]?.key).to.match(/^sha256:/);
    expect(lines.some((l) => l.level === 'info' && /duplicate message skipped/.test(l.msg))).to.equal(true);
    expect(isEmpty(await queueDepth(server.sqs, queueUrl))).to.equal(true);
  });

  it('frees the claim of a message left for a retry, so its next delivery runs it', async () => {
    const queueUrl = await server.createQueue();
    await sendBodies(server, queueUrl, [encodePayload({ id: 3, statuses: [ProcessStatus.RETRY_LATER, ProcessStatus.DONE] })]);
    const orders = new Orders();
    const { listener, events } = testListener(server, queueUrl, { retryDelaySeconds: () => 0, idempotency: { store: new MemoryIdempotencyStore() } });
    listener.registerSubscriber(orders);
    await listenUntil(listener, () => events.message_deleted.length === 1);
    expect(orders.runs.get(3)).to.equal(2);
    expect(events.message_duplicate).to.have.length(0);
  });

  it("onStoreError 'retry' (default): a store that cannot answer leaves the message for a retry, never runs it unguarded", async () => {
    const queueUrl = await server.createQueue();
    await sendBodies(server, queueUrl, [encodePayload({ id: 4 })]);
    const orders = new Orders();
    const store = failingStore(1);
    const { listener, events } = testListener(server, queueUrl, { retryDelaySeconds: () => 0, idempotency: { store } });
    listener.registerSubscriber(orders);
    await listenUntil(listener, () => events.message_deleted.length === 1);
    expect(orders.runs.get(4)).to.equal(1);
    expect(store.calls).to.equal(2);
    expect(events.message_retried).to.have.length(1);
    expect(events.error.map((e) => e.stage)).to.deep.equal(['idempotency']);
    expect(events.error[0]?.error.message).to.match(/ECONNREFUSED/);
  });

  it("onStoreError 'process': a store that cannot answer does not hold the message up", async () => {
    const queueUrl = await server.createQueue();
    await sendBodies(server, queueUrl, [encodePayload({ id: 5 })]);
    const orders = new Orders();
    const { listener, events } = testListener(server, queueUrl, { idempotency: { store: failingStore(Infinity), onStoreError: 'process' } });
    listener.registerSubscriber(orders);
    await listenUntil(listener, () => events.message_deleted.length === 1);
    expect(orders.runs.get(5)).to.equal(1);
    expect(events.message_retried).to.have.length(0);
    expect(events.error.map((e) => e.stage)).to.deep.equal(['idempotency']);
  });

  it('frees the claim of a message whose processing timed out', async () => {
    const queueUrl = await server.createQueue();
    await sendBodies(server, queueUrl, [encodePayload({ id: 6 })]);
    let runs = 0;
    class Slow extends DataSubscriber {
      pattern = {};
      async process() {
        runs += 1;
        if (runs === 1) await new Promise((resolve) => setTimeout(resolve, 600));
      }
    }
    const { listener, events } = testListener(server, queueUrl, { handlerTimeoutSeconds: 0.2, retryDelaySeconds: () => 0, idempotency: { store: new MemoryIdempotencyStore() } });
    listener.registerSubscriber(Slow);
    await listenUntil(listener, () => events.message_deleted.length === 1);
    expect(runs).to.equal(2);
    expect(events.error.map((e) => e.stage)).to.deep.equal(['timeout']);
  });

  it('sends the completion first and deletes beside it: the slot is not held for one more store round trip', async () => {
    const queueUrl = await server.createQueue();
    await sendBodies(server, queueUrl, [encodePayload({ id: 7 })]);
    const inner = new MemoryIdempotencyStore();
    let completed = false;
    let answer!: () => void;
    const held = new Promise<void>((resolve) => (answer = resolve));
    const store: IdempotencyStore = {
      claim: (key, token, ms) => inner.claim(key, token, ms),
      // The store has the completion at once; its answer is held back until the message left the queue.
      complete: async (key, token, ms) => {
        await inner.complete(key, token, ms);
        completed = true;
        await held;
      },
      release: (key, token) => inner.release(key, token),
    };
    const { listener, events } = testListener(server, queueUrl, { idempotency: { store } });
    listener.registerSubscriber(new Orders());
    const listening = listener.listen();
    try {
      let gone = false;
      for (let i = 0; i < 80 && !gone; i++) {
        await sleep(50);
        gone = completed && isEmpty(await queueDepth(server.sqs, queueUrl));
      }
      expect(gone, 'deleted while the completion was still unanswered').to.equal(true);
      answer();
      for (let i = 0; i < 40 && events.message_deleted.length === 0; i++) await sleep(50);
      expect(events.message_deleted).to.have.length(1);
      expect(events.error).to.have.length(0);
    } finally {
      answer();
      await listener.stop();
      await listening;
    }
  });

  it('validates the option up front, naming the field', () => {
    const make = (idempotency: unknown, more: object = {}) => () => new SqsListener({ queueUrl: 'http://127.0.0.1:1/000000000000/q', idempotency, ...more } as never);
    expect(make({})).to.throw(ListenerOptionsError, /idempotency\.store: must be an idempotency store/);
    expect(make({ store: new MemoryIdempotencyStore(), key: 'body' })).to.throw(ListenerOptionsError, /idempotency\.key: must be 'messageId', 'payloadHash' or a function/);
    expect(make({ store: new MemoryIdempotencyStore(), ttlSeconds: 0 })).to.throw(ListenerOptionsError, /idempotency\.ttlSeconds/);
    expect(make({ store: new MemoryIdempotencyStore(), onStoreError: 'ignore' })).to.throw(ListenerOptionsError, /idempotency\.onStoreError: must be 'retry' or 'process'/);
    expect(make({ store: new MemoryIdempotencyStore(), inProgressSeconds: 30 }, { handlerTimeoutSeconds: 60 })).to.throw(
      ListenerOptionsError,
      /idempotency\.inProgressSeconds: must be at least handlerTimeoutSeconds \(60\)/,
    );
    expect(make({ store: new MemoryIdempotencyStore(), ttlSeconds: 60, inProgressSeconds: 60 }, { handlerTimeoutSeconds: 60 })).to.not.throw();
  });
});
