import { expect } from 'chai';
import { encodePayload } from '../../src/codec/encode.js';
import { DataSubscriber } from '../../src/dispatch/data-subscribers.js';
import { RedisIdempotencyStore } from '../../src/idempotency/redis-store.js';
import type { TestServer } from '../support/fauxqs.js';
import { startRedis, type TestRedis } from '../support/redis.js';
import { sendBodies, startTestServer, testListener } from '../listener/listener-helpers.js';
import { isEmpty, queueDepth, waitFor } from '../reliability/support.js';

describe('idempotency: two listeners given the same message at the same moment (fauxqs, real Redis)', function () {
  this.timeout(20_000);
  let server: TestServer;
  let redis: TestRedis;
  before(async () => {
    server = await startTestServer();
    redis = await startRedis();
  });
  after(() => redis.stop());

  it('one runs it; the other sees it in progress, retries later, finds it completed and deletes it', async () => {
    const queueUrl = await server.createQueue();
    const started: string[] = [];
    let runs = 0;
    let bothHeld!: () => void;
    const bothReceived = new Promise<void>((resolve) => (bothHeld = resolve));
    class Slow extends DataSubscriber {
      pattern = {};
      async process() {
        runs += 1;
        await bothReceived; // keeps the claim until the other listener has tried its copy
      }
    }
    const store = new RedisIdempotencyStore({ client: redis.client });
    // One message at a time each, so each listener holds one copy.
    const make = (name: string) => {
      const made = testListener(server, queueUrl, { maxNumberOfMessages: 1, maxInFlight: 1, retryDelaySeconds: () => 0, idempotency: { store, key: 'payloadHash' } });
      made.listener.registerSubscriber(new Slow());
      made.listener.on('message_received', () => void started.push(name));
      return made;
    };
    const a = make('a');
    const b = make('b');
    const listening = [a.listener.listen(), b.listener.listen()];
    try {
      await sendBodies(server, queueUrl, [encodePayload({ order: 42 }), encodePayload({ order: 42 })]);
      await waitFor('both listeners to hold a copy', () => started.includes('a') && started.includes('b'), 10_000, 10);
      await waitFor('the loser to see the key in progress', () => [...a.events.message_duplicate, ...b.events.message_duplicate].length > 0, 10_000, 10);
      bothHeld();
      await waitFor('both copies deleted', () => a.events.message_deleted.length + b.events.message_deleted.length === 2, 10_000, 20);
    } finally {
      bothHeld();
      await Promise.all([a.listener.stop(), b.listener.stop()]);
      await Promise.all(listening);
    }
    expect(runs).to.equal(1);
    const states = [...a.events.message_duplicate, ...b.events.message_duplicate].map((d) => d.state);
    expect(states[0]).to.equal('in_progress');
    expect(states.at(-1)).to.equal('completed');
    expect(isEmpty(await queueDepth(server.sqs, queueUrl))).to.equal(true);
  });
});
