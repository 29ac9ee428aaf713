import { expect } from 'chai';
import { startTestServer, type TestServer } from '../support/fauxqs.js';
import { queueDepth, range, recordFigures, sendNumbered, spawnListener, Tally, waitFor, type ListenerChildConfig, killStrayListeners } from './support.js';

// SIGTERM while a listener process is busy: the handlers already running finish and their messages
// are deleted, the process exits 0, and every other message is on the queue.
//
// stop() lets the long polls in flight return and releases what they bring (visibility 0), rather than
// aborting them: a server that had already picked messages for an aborted poll (fauxqs does, and so does
// SQS: aws/aws-sdk-js#2350) would keep them hidden for the visibility timeout. So nothing is left hidden.
describe('reliability: SIGTERM under load', function () {
  this.timeout(40_000);
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  afterEach(killStrayListeners);

  async function run(scenario: string, config: Omit<ListenerChildConfig, 'queueUrl' | 'endpoint'>, opts: { preload: number; arriving: boolean; busy: (started: number, done: number) => boolean }) {
    const queueUrl = await server.createQueue({ name: scenario });
    let sent = opts.preload;
    await sendNumbered(server.sqs, queueUrl, scenario, range(sent));
    const started = new Set<number>();
    const done = new Tally();
    let released = 0;
    const child = spawnListener({ queueUrl, endpoint: server.endpoint, ...config }, ({ event, seq }) => {
      if (event === 'S') started.add(seq);
      if (event === 'D') done.add(seq);
      if (event === 'L') released += 1;
    });
    await child.ready;
    let producing = opts.arriving;
    const producer = (async () => {
      while (producing) {
        await sendNumbered(server.sqs, queueUrl, scenario, range(10, sent));
        sent += 10;
        await new Promise((resolve) => setTimeout(resolve, 15));
      }
    })();
    await waitFor('the listener to be busy', () => opts.busy(started.size, done.distinct), 20_000, 5);
    const inFlightAtSignal = started.size - done.distinct;
    const signalledAt = Date.now();
    child.child.kill('SIGTERM');
    const exit = await child.exited;
    const stopMs = Date.now() - signalledAt;
    producing = false;
    await producer;
    const depth = await queueDepth(server.sqs, queueUrl);

    expect(exit.code, child.stderr()).to.equal(0);
    // Every handler that had started ran to the end, and its message was deleted.
    expect([...started].filter((seq) => !done.has(seq))).to.deep.equal([]);
    expect(done.duplicates).to.equal(0);
    expect(depth.visible + depth.inFlight).to.equal(sent - done.distinct);
    // No receive was aborted, so nothing is left hidden: every unprocessed message is visible at once.
    expect(depth.inFlight, 'messages hidden after the listener exited').to.equal(0);
    const rest = await server.receiveAll(queueUrl, { min: sent - done.distinct, timeoutMs: 8_000 });
    const left = new Set(rest.map((m) => (JSON.parse(m.Body ?? '{}') as { seq: number }).seq));
    const lost = range(sent).filter((seq) => !done.has(seq) && !left.has(seq));
    expect(lost).to.deep.equal([]);
    recordFigures(scenario, {
      messagesSent: sent,
      faultsInjected: 1,
      inFlightAtSignal,
      processed: done.distinct,
      releasedAtShutdown: released,
      leftVisible: depth.visible,
      leftHiddenByAbortedReceive: depth.inFlight,
      duplicates: done.duplicates,
      lost: lost.length,
      stopMs,
    });
  }

  it('heavy load: finishes in-flight work, deletes it, exits 0, leaves the rest on the queue', async () => {
    await run(
      'sigterm',
      { workMs: 1_500, visibilityTimeout: 3, concurrency: 3, maxInFlight: 40 },
      { preload: 400, arriving: false, busy: (started, done) => done >= 40 && started - done >= 30 },
    );
  });

  it('messages still arriving: the same, and what the last receives brought is released at once', async () => {
    await run(
      'sigterm-arriving',
      { workMs: 200, visibilityTimeout: 3, concurrency: 3, maxInFlight: 60 },
      { preload: 0, arriving: true, busy: (_started, done) => done >= 50 },
    );
  });
});
