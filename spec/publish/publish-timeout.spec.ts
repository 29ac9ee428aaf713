import { expect } from 'chai';
import { PublishError, PublisherOptionsError } from '../../src/publish/publish-errors.js';
import { SnsPublisher } from '../../src/publish/publish-sns.js';
import { SqsPublisher } from '../../src/publish/publish-sqs.js';
import { PublishTimeoutError } from '../../src/publish/publish-timeout.js';
import { FaultProxy } from '../support/fault-proxy.js';
import { TEST_CREDENTIALS, TEST_REGION, startTestServer, type TestServer } from '../support/fauxqs.js';

const TIMEOUT_MS = 300;

// A held connection (the proxy never answers) must not hang a producer: each request is abandoned
// after requestTimeoutMs, publish rejects with a typed error and publishBatch retries.
describe('publisher requestTimeoutMs (fauxqs, fault proxy)', function () {
  this.timeout(15_000);
  let server: TestServer;
  let proxy: FaultProxy;
  before(async () => {
    server = await startTestServer();
  });
  beforeEach(async () => {
    proxy = await FaultProxy.start({ target: server.endpoint });
  });
  afterEach(() => proxy.close());

  const aws = () => ({ endpoint: proxy.endpoint, region: TEST_REGION, credentials: TEST_CREDENTIALS, requestTimeoutMs: TIMEOUT_MS });
  const requests = (action: string) => proxy.stats().byAction[action]?.requests ?? 0;

  async function timedRejection(promise: Promise<unknown>): Promise<{ error: unknown; ms: number }> {
    const started = Date.now();
    try {
      await promise;
    } catch (error) {
      return { error, ms: Date.now() - started };
    }
    throw new Error('expected a rejection');
  }

  function expectTimeout(error: unknown, action: string): void {
    expect(error).to.be.instanceOf(PublishTimeoutError).and.instanceOf(PublishError);
    const timeout = error as PublishTimeoutError;
    expect(timeout.code).to.equal('RequestTimeout');
    expect(timeout.timeoutMs).to.equal(TIMEOUT_MS);
    expect(timeout.senderFault).to.equal(false);
    expect(timeout.message).to.include(action);
  }

  it('SqsPublisher.publish rejects with PublishTimeoutError once requestTimeoutMs has passed', async () => {
    const queueUrl = await server.createQueue();
    proxy.inject({ kind: 'delay', actions: ['SendMessage'] });
    const { error, ms } = await timedRejection(new SqsPublisher({ queueUrl, ...aws() }).publish({ n: 1 }));
    expectTimeout(error, 'SendMessage');
    expect(ms).to.be.within(TIMEOUT_MS - 50, TIMEOUT_MS + 2_000);
  });

  it('SnsPublisher.publish rejects with PublishTimeoutError once requestTimeoutMs has passed', async () => {
    const topicArn = await server.createTopic();
    proxy.inject({ kind: 'delay', actions: ['Publish'] });
    const { error, ms } = await timedRejection(new SnsPublisher({ topicArn, ...aws() }).publish({ n: 1 }));
    expectTimeout(error, 'Publish');
    expect(ms).to.be.within(TIMEOUT_MS - 50, TIMEOUT_MS + 2_000);
  });

  it('publishBatch retries a request that timed out, and every entry goes through', async () => {
    const queueUrl = await server.createQueue();
    const held = proxy.inject({ kind: 'delay', actions: ['SendMessageBatch'] });
    const publishing = new SqsPublisher({ queueUrl, ...aws() }).publishBatch([{ n: 1 }, { n: 2 }, { n: 3 }], { retryDelayMs: 1 });
    while (requests('SendMessageBatch') < 1) await new Promise((resolve) => setTimeout(resolve, 5));
    held.remove(); // only the first attempt is held
    const results = await publishing;
    expect(results.failed).to.deep.equal([]);
    expect(results.map((r) => r.ok)).to.deep.equal([true, true, true]);
    expect(requests('SendMessageBatch')).to.equal(2);
    const bodies = (await server.receiveAll(queueUrl, { min: 3 })).map((m) => m.Body).sort();
    expect(bodies).to.deep.equal(['{"n":1}', '{"n":2}', '{"n":3}']);
  });

  it('publishBatch reports each entry failed with PublishTimeoutError when every attempt times out', async () => {
    const queueUrl = await server.createQueue();
    proxy.inject({ kind: 'delay', actions: ['SendMessageBatch'] });
    const results = await new SqsPublisher({ queueUrl, ...aws() }).publishBatch([{ n: 1 }, { n: 2 }], { maxAttempts: 2, retryDelayMs: 1 });
    expect(results.map((r) => r.index)).to.deep.equal([0, 1]);
    expect(results.failed).to.have.length(2);
    for (const failure of results.failed) expectTimeout(failure.error, 'SendMessageBatch');
    expect(requests('SendMessageBatch')).to.equal(2);
  });

  it('refuses a requestTimeoutMs that is not a whole number of milliseconds from 1, naming the option', () => {
    const queueUrl = 'http://127.0.0.1:1/000000000000/q';
    const topicArn = 'arn:aws:sns:us-east-1:000000000000:t';
    for (const requestTimeoutMs of [0, -1, 1.5, Number.POSITIVE_INFINITY, Number.NaN, 2 ** 31, '100' as unknown as number]) {
      for (const create of [() => new SqsPublisher({ queueUrl, requestTimeoutMs }), () => new SnsPublisher({ topicArn, requestTimeoutMs })]) {
        expect(create).to.throw(PublisherOptionsError, /requestTimeoutMs must be a whole number of milliseconds/).with.property('option', 'requestTimeoutMs');
      }
    }
    expect(() => new SqsPublisher({ queueUrl, requestTimeoutMs: 1 })).not.to.throw();
  });
});
