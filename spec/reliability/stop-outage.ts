// Stopping during an outage, run by `npm run soak` (the deleter's retries make it take ~20 s): SQS
// becomes unreachable mid-drain and the listener is stopped at once. stop() must still resolve, and
// every message must be either processed or back on the queue afterwards.
import { FaultProxy } from '../support/fault-proxy.js';
import type { TestServer } from '../support/fauxqs.js';
import { countingListener } from './in-process.js';
import { range, sendNumbered, waitFor, type Figures } from './support.js';

export async function runStopDuringOutage(server: TestServer, opts: { n?: number; log?: (line: string) => void } = {}): Promise<Figures> {
  const { n = 300 } = opts;
  const log = opts.log ?? (() => {});
  const queueUrl = await server.createQueue({ name: 'stop-outage', attributes: { VisibilityTimeout: '5' } });
  await sendNumbered(server.sqs, queueUrl, 'stop-outage', range(n));
  const proxy = await FaultProxy.start({ target: server.endpoint });
  try {
    const { listener, client, tally, logger } = countingListener(queueUrl, proxy.endpoint, { workMs: 50, visibilityTimeout: 5 });
    const listening = listener.listen();
    await waitFor('the drain to get going', () => tally.distinct >= 40, 20_000, 5);
    // Mid-batch: the next messages were received and their handlers (50 ms each) are running.
    await new Promise((resolve) => setTimeout(resolve, 25));
    proxy.goDark();
    const stoppingAt = Date.now();
    await listener.stop();
    await listening;
    const stopMs = Date.now() - stoppingAt;
    client.destroy();
    proxy.comeBack();
    log(`stop() during the outage resolved after ${stopMs} ms`);
    // Whatever was not deleted comes back once its visibility timeout (5 s) has run out.
    await new Promise((resolve) => setTimeout(resolve, 6_000));
    const rest = await server.receiveAll(queueUrl, { min: n - tally.distinct, timeoutMs: 15_000 });
    const redelivered = rest.filter((m) => tally.has((JSON.parse(m.Body ?? '{}') as { seq: number }).seq)).length;
    const back = new Set(rest.map((m) => (JSON.parse(m.Body ?? '{}') as { seq: number }).seq));
    const lost = range(n).filter((seq) => !tally.has(seq) && !back.has(seq)).length;
    return {
      messagesSent: n,
      stopMs,
      processed: tally.distinct,
      backOnQueue: rest.length,
      deleteGaveUpLines: logger.lines.filter((line) => line.includes('gave up deleting')).length,
      // Processed, but their delete never got through: they will be processed again.
      duplicates: tally.duplicates + redelivered,
      lost,
    };
  } finally {
    await proxy.close();
  }
}
