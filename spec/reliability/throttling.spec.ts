import { expect } from 'chai';
import { countingListener } from './in-process.js';
import { behindFaultProxy, isEmpty, queueDepth, range, recordFigures, sendNumbered, waitFor } from './support.js';

// Faults on a share of all requests while a queue drains: every message must still be processed and
// deleted. The SDK's own retries are off, so every fault reaches the listener.
describe('reliability: throttling, 5xx and broken connections during a drain', function () {
  this.timeout(60_000);
  const env = behindFaultProxy(20);

  async function drain(scenario: string, n: number, extra: Record<string, number> = {}): Promise<void> {
    const seqs = range(n);
    const queueUrl = await env.server.createQueue({ name: scenario });
    await sendNumbered(env.server.sqs, queueUrl, scenario, seqs);
    env.proxy.resetStats();
    const consumer = countingListener(queueUrl, env.proxy.endpoint, {
      workMs: 2,
      visibilityTimeout: 3,
      concurrency: 2,
      maxNumberOfMessages: 5,
      // No SDK retries: every injected fault reaches the listener, which has to cope on its own.
      sdkMaxAttempts: 1,
    });
    const { listener, client, tally } = consumer;
    const listening = listener.listen();
    try {
      await waitFor(
        'every message processed and the queue empty',
        async () => tally.distinct === n && isEmpty(await queueDepth(env.server.sqs, queueUrl)),
        45_000,
        100,
      );
    } finally {
      await listener.stop();
      await listening;
      client.destroy();
    }
    const stats = env.proxy.stats();
    expect(stats.faults, 'faults were injected').to.be.above(0);
    expect(consumer.errors, 'faults reached the listener, which reported them').to.be.above(0);
    expect(tally.missing(seqs)).to.deep.equal([]);
    recordFigures(scenario, {
      messagesSent: n,
      requests: stats.requests,
      faultsInjected: stats.faults,
      faultShare: Math.round((stats.faults / stats.requests) * 1000) / 1000,
      ...Object.fromEntries(Object.entries(stats.faultsByKind).filter(([, count]) => count > 0)),
      listenerErrorEvents: consumer.errors,
      sdkRetries: 'off',
      processed: tally.distinct,
      duplicates: tally.duplicates,
      lost: tally.missing(seqs).length,
      ...extra,
    });
  }

  it('throttling and 5xx on 20 percent of requests: every message processed and deleted', async () => {
    env.proxy.inject({ kind: 'throttle', rate: 0.1 });
    // 0.1 + 0.9 * (1/9) = 0.2 of all requests in total.
    env.proxy.inject({ kind: 'server-error', rate: 1 / 9, status: 503 });
    await drain('throttling-5xx', 1000);
  });

  it('connections reset, responses cut after the server acted, requests delayed past the client timeout', async () => {
    env.proxy.inject({ kind: 'refuse', rate: 0.05 });
    env.proxy.inject({ kind: 'cut', rate: 0.05 });
    env.proxy.inject({ kind: 'delay', rate: 0.02, delayMs: 8_000 });
    await drain('network-faults', 600, { clientTimeoutMs: 3_000 });
  });
});
