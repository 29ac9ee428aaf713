import { expect } from 'chai';
import { startTestServer, type TestServer } from '../support/fauxqs.js';
import { startRedis, type TestRedis } from '../support/redis.js';
import { runAccounting } from './accounting.js';
import { killStrayListeners, recordFigures } from './support.js';

// The accounting scenario (three listener processes, one SIGKILLed, 10% retriable failures, 5%
// throttling/5xx on SQS) with the idempotency guard on a real Redis, keyed by payload hash, and every
// payload published twice on purpose.
describe('reliability: exactly once, almost (accounting with a Redis idempotency store)', function () {
  this.timeout(90_000);
  let server: TestServer;
  let redis: TestRedis;
  before(async () => {
    server = await startTestServer();
    redis = await startRedis();
  });
  after(() => redis.stop());
  // Both runs publish the same numbered payloads: each starts with an empty store.
  beforeEach(() => redis.client.flushAll());
  afterEach(killStrayListeners);

  it('runs every payload exactly once while the store is up, 0 lost', async () => {
    const result = await runAccounting(server, { n: 300, idempotency: { redisUrl: redis.url }, timeoutMs: 60_000 });
    expect(result.lost).to.equal(0);
    expect(result.processed).to.equal(300);
    expect(result.messagesSent).to.equal(600);
    expect(result.retriableFailures, 'retriable failures happened').to.be.above(0);
    expect(result.proxyFaults, 'service faults happened').to.be.above(0);
    expect(result.duplicatesSkipped, 'the second copies were skipped').to.be.at.least(300);
    // The one window left while the store is up: the killed listener finished a payload and died before
    // recording it completed. It is counted apart; nothing else may run twice.
    expect(result.unexplainedDuplicates + result.storeRestartDuplicates).to.equal(0);
    expect(result.duplicates).to.equal(result.crashWindowDuplicates);
    recordFigures('idempotency', result);
  });

  it('loses nothing when Redis is killed and restarted empty mid-run; the duplicates are the keys it lost', async () => {
    const result = await runAccounting(server, {
      n: 300,
      idempotency: { redisUrl: redis.url, outage: { at: 0.6, downMs: 500, kill: () => redis.kill(), restart: () => redis.restart() } },
      timeoutMs: 60_000,
    });
    expect(result.lost).to.equal(0);
    expect(result.processed).to.equal(300);
    expect(result.unexplainedDuplicates, 'every duplicate is explained by the crash or the lost keys').to.equal(0);
    expect(result.duplicates).to.equal(result.crashWindowDuplicates + result.storeRestartDuplicates);
    recordFigures('idempotency-redis-restart', result);
  });
});
