import { expect } from 'chai';
import { startTestServer, type TestServer } from '../support/fauxqs.js';
import { isEmpty, queueDepth, range, recordFigures, sendNumbered, spawnListener, Tally, waitFor, killStrayListeners } from './support.js';

// A listener process dies with SIGKILL while it holds a batch; a new one must pick up every message the
// dead one had not finished, once their visibility timeout (2 s here) runs out. Nothing is lost.
describe('reliability: crash (SIGKILL mid-batch)', function () {
  this.timeout(40_000);
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  afterEach(killStrayListeners);

  it('a new listener processes every message the killed one left unfinished, after the visibility timeout', async () => {
    const n = 120;
    const seqs = range(n);
    const queueUrl = await server.createQueue({ name: 'crash', attributes: { VisibilityTimeout: '2' } });
    await sendNumbered(server.sqs, queueUrl, 'crash', seqs);
    const config = { queueUrl, endpoint: server.endpoint, workMs: 300, visibilityTimeout: 2 };

    const started1 = new Set<number>();
    const done1 = new Tally();
    const first = spawnListener(config, ({ event, seq }) => {
      if (event === 'S') started1.add(seq);
      if (event === 'D') done1.add(seq);
    });
    await first.ready;
    await waitFor('the first listener to finish 20 messages and hold more', () => done1.distinct >= 20 && started1.size > done1.distinct, 15_000, 5);
    first.child.kill('SIGKILL');
    const killedAt = Date.now();
    const exit = await first.exited;
    expect(exit.signal).to.equal('SIGKILL');
    const unfinished = [...started1].filter((seq) => !done1.has(seq));
    expect(unfinished.length, 'messages in the middle of processing when killed').to.be.above(0);

    const done2 = new Tally();
    const firstSeenAgain = new Map<number, number>();
    const second = spawnListener(config, ({ event, seq }) => {
      if (event === 'S' && !firstSeenAgain.has(seq)) firstSeenAgain.set(seq, Date.now());
      if (event === 'D') done2.add(seq);
    });
    try {
      await second.ready;
      const all = new Tally();
      await waitFor(
        'every number processed and the queue empty',
        async () => {
          if (seqs.some((seq) => !done1.has(seq) && !done2.has(seq))) return false;
          return isEmpty(await queueDepth(server.sqs, queueUrl));
        },
        25_000,
        100,
      );
      for (const seq of seqs) {
        if (done1.has(seq)) all.add(seq);
        if (done2.has(seq)) all.add(seq);
      }
      // Every message the dead listener held unfinished came back to the new one.
      expect(unfinished.filter((seq) => !done2.has(seq))).to.deep.equal([]);
      const redeliveredAfterMs = Math.min(...unfinished.map((seq) => (firstSeenAgain.get(seq) ?? Infinity) - killedAt));
      expect(all.missing(seqs)).to.deep.equal([]);
      recordFigures('crash', {
        messagesSent: n,
        faultsInjected: 1,
        processed: all.distinct,
        duplicates: all.duplicates,
        lost: all.missing(seqs).length,
        unfinishedAtKill: unfinished.length,
        firstRedeliveryAfterKillMs: redeliveredAfterMs,
        visibilityTimeoutSeconds: 2,
      });
    } finally {
      second.child.kill('SIGTERM');
      await second.exited;
    }
  });
});
