import { expect } from 'chai';
import { countingListener } from './in-process.js';
import { behindFaultProxy, isEmpty, queueDepth, range, recordFigures, sendNumbered, sleep, waitFor } from './support.js';

// SQS becomes unreachable for a few seconds in the middle of a drain, then comes back. The listener
// must keep running, back off instead of spinning, and drain the queue once the service is back.
describe('reliability: outage', function () {
  this.timeout(40_000);
  const env = behindFaultProxy();

  it('survives a 4 s outage mid-stream without spinning, then drains the queue', async () => {
    const n = 400;
    const outageMs = 4_000;
    const seqs = range(n);
    const queueUrl = await env.server.createQueue({ name: 'outage' });
    await sendNumbered(env.server.sqs, queueUrl, 'outage', seqs);
    const { listener, client, tally, logger } = countingListener(queueUrl, env.proxy.endpoint, {
      workMs: 5,
      visibilityTimeout: 3,
      concurrency: 2,
    });
    const listening = listener.listen();
    try {
      await waitFor('the drain to get going', () => tally.distinct >= 60, 15_000, 5);
      const before = env.proxy.stats();
      const errorsBefore = logger.counts.error;
      env.proxy.goDark();
      await sleep(outageMs);
      const during = env.proxy.stats();
      env.proxy.comeBack();
      const attempts = during.connections - before.connections + (during.requests - before.requests);
      const errorLines = logger.counts.error - errorsBefore;

      expect(listener.listening, 'the listener still runs after the outage').to.equal(true);
      expect(errorLines, 'the failures were logged').to.be.above(0);
      // Two receive loops, a deleter and a heartbeat, each retried by the SDK (3 attempts) and then by
      // the listener's backoff: a few dozen attempts at most. A spinning loop makes thousands.
      expect(attempts, 'connection attempts during the outage').to.be.below(120);

      await waitFor(
        'the queue to be drained after the outage',
        async () => tally.distinct === n && isEmpty(await queueDepth(env.server.sqs, queueUrl)),
        25_000,
        100,
      );
      expect(tally.missing(seqs)).to.deep.equal([]);
      recordFigures('outage', {
        messagesSent: n,
        outageMs,
        attemptsDuringOutage: attempts,
        attemptsPerSecondDuringOutage: Math.round((attempts / outageMs) * 10_000) / 10,
        errorLinesDuringOutage: errorLines,
        faultsInjected: attempts,
        processed: tally.distinct,
        duplicates: tally.duplicates,
        lost: tally.missing(seqs).length,
      });
    } finally {
      await listener.stop();
      await listening;
      client.destroy();
    }
  });
});
