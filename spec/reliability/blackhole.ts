// The black-hole scenario, run by `npm run soak` (it needs the listener's 20 s request deadline to pass,
// too long for `npm test`): mid-drain, every request is swallowed without an answer for `holdMs`. The
// listener, on its own default SDK client, must abandon the hung calls, carry on, and drain the queue.
import { SqsListener } from '../../src/listener/listener.js';
import { DataSubscriber } from '../../src/dispatch/data-subscribers.js';
import { any } from '../../src/match/dsl.js';
import type { DataObject } from '../../src/protocol/types.js';
import { FaultProxy } from '../support/fault-proxy.js';
import type { TestServer } from '../support/fauxqs.js';
import { countingLogger } from './in-process.js';
import { isEmpty, queueDepth, range, sendNumbered, Tally, waitFor, type Figures } from './support.js';

export async function runBlackHole(server: TestServer, opts: { n?: number; holdMs?: number; log?: (line: string) => void } = {}): Promise<Figures> {
  const { n = 300, holdMs = 25_000 } = opts;
  const log = opts.log ?? (() => {});
  const seqs = range(n);
  const queueUrl = await server.createQueue({ name: 'blackhole', attributes: { VisibilityTimeout: '5' } });
  await sendNumbered(server.sqs, queueUrl, 'blackhole', seqs);
  const proxy = await FaultProxy.start({ target: server.endpoint });
  const tally = new Tally();
  class Numbered extends DataSubscriber {
    pattern = { seq: any() };
    async process(payload: DataObject): Promise<void> {
      await new Promise((resolve) => setTimeout(resolve, 20));
      tally.add(Number(payload.seq));
    }
  }
  const logger = countingLogger();
  // No client given: the listener builds its own, with the SDK's default HTTP handler.
  const listener = new SqsListener({ queueUrl, endpoint: proxy.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, waitTimeSeconds: 1, visibilityTimeout: 5, handleSignals: false, logger });
  listener.registerSubscriber(Numbered);
  const listening = listener.listen();
  try {
    await waitFor('the drain to get going', () => tally.distinct >= 50, 20_000, 5);
    const before = proxy.stats();
    const processedBefore = tally.distinct;
    log(`black hole for ${holdMs} ms at ${processedBefore} processed`);
    await proxy.injectFor({ kind: 'delay', delayMs: 10 * 60_000 }, holdMs);
    const during = proxy.stats();
    const processedDuring = tally.distinct - processedBefore;
    const endedAt = Date.now();
    await waitFor('processing to resume', () => tally.distinct > processedBefore + processedDuring, 60_000, 50);
    const resumedAfterMs = Date.now() - endedAt;
    log(`resumed ${resumedAfterMs} ms after the black hole ended`);
    await waitFor('the queue to be drained', async () => tally.distinct === n && isEmpty(await queueDepth(server.sqs, queueUrl)), 60_000, 100);
    return {
      messagesSent: n,
      holdMs,
      requestsSwallowed: during.requests - before.requests,
      faultsInjected: during.faults - before.faults,
      processedDuringBlackHole: processedDuring,
      resumedAfterMs,
      errorLines: logger.counts.error,
      processed: tally.distinct,
      duplicates: tally.duplicates,
      lost: tally.missing(seqs).length,
    };
  } finally {
    await listener.stop();
    await listening;
    await proxy.close();
  }
}
