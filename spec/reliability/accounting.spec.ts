import { expect } from 'chai';
import { startTestServer, type TestServer } from '../support/fauxqs.js';
import { runAccounting } from './accounting.js';
import { recordFigures, killStrayListeners } from './support.js';

// Every message accounted for: 1,500 numbered messages here (10,000 in `npm run soak`), three listener
// processes, 10% retriable failures in the subscriber, 5% throttling/5xx answers, one listener SIGKILLed.
describe('reliability: accounting (nothing lost, duplicates counted)', function () {
  this.timeout(90_000);
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  afterEach(killStrayListeners);

  it('processes every number at least once and leaves the queue empty', async () => {
    const result = await runAccounting(server, { n: 1_500, listeners: 3, failRate: 0.1, faultRate: 0.05, timeoutMs: 60_000 });
    expect(result.lost).to.equal(0);
    expect(result.processed).to.equal(1_500);
    expect(result.retriableFailures, 'retriable failures happened').to.be.above(0);
    expect(result.proxyFaults, 'service faults happened').to.be.above(0);
    recordFigures('accounting', result);
  });
});
