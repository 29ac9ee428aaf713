import { SQSClient } from '@aws-sdk/client-sqs';
import { expect } from 'chai';
import { SqsPublisher } from '../../src/publish/publish-sqs.js';
import { TEST_CREDENTIALS, TEST_REGION } from '../support/fauxqs.js';
import { behindFaultProxy, range, recordFigures } from './support.js';

// Publishing under faults: publishBatch through throttling, 5xx, resets and responses cut after SQS
// stored the batch. Every payload must end up either on the queue or reported as failed, never
// silently dropped; a cut response can make a retry store a payload twice, and that is counted.
describe('reliability: publishing under faults', function () {
  this.timeout(60_000);
  const env = behindFaultProxy(11);

  it('publishBatch of 1,000 payloads: every one is on the queue or reported failed', async () => {
    const n = 1_000;
    const queueUrl = await env.server.createQueue({ name: 'publish-faults' });
    env.proxy.inject({ kind: 'throttle', rate: 0.1 });
    env.proxy.inject({ kind: 'server-error', rate: 0.1, status: 503 });
    env.proxy.inject({ kind: 'refuse', rate: 0.03 });
    env.proxy.inject({ kind: 'cut', rate: 0.03 });
    // No SDK retries: the publisher's own per-entry retries have to do the work.
    const client = new SQSClient({ region: TEST_REGION, endpoint: env.proxy.endpoint, credentials: TEST_CREDENTIALS, maxAttempts: 1 });
    const publisher = new SqsPublisher({ queueUrl, client });
    let results;
    try {
      results = await publisher.publishBatch(range(n).map((seq) => ({ seq })));
    } finally {
      client.destroy();
    }
    expect(results).to.have.length(n);
    const failed = new Set(results.failed.map((f) => f.index));
    for (const f of results.failed) expect(f.error).to.be.instanceOf(Error);

    const stored = await env.server.receiveAll(queueUrl, { min: n - failed.size, timeoutMs: 15_000 });
    const counts = new Map<number, number>();
    for (const m of stored) {
      const seq = (JSON.parse(m.Body ?? '{}') as { seq: number }).seq;
      counts.set(seq, (counts.get(seq) ?? 0) + 1);
    }
    // Reported sent means stored; nothing is missing that was not reported failed.
    const missing = range(n).filter((seq) => !counts.has(seq) && !failed.has(seq));
    expect(missing).to.deep.equal([]);
    for (const entry of results) if (entry.ok) expect(counts.has(entry.index), `payload ${entry.index}`).to.equal(true);
    const stats = env.proxy.stats();
    expect(stats.faults).to.be.above(0);
    recordFigures('publish', {
      messagesSent: n,
      requests: stats.requests,
      faultsInjected: stats.faults,
      reportedFailed: failed.size,
      // Reported failed, yet on the queue: the response to the attempt that stored them was lost.
      storedDespiteFailure: [...failed].filter((index) => counts.has(index)).length,
      storedDistinct: counts.size,
      processed: counts.size,
      duplicates: stored.length - counts.size,
      lost: missing.length,
    });
  });
});
