// Hanging handlers, measured by `npm run soak`: each one holds a slot of maxInFlight until
// handlerTimeoutSeconds gives it up, so as many hangers as maxInFlight stop the listener from taking
// anything else until then. Run once with the default timeout (15 min) and once with `timeoutSeconds`.
import { SqsListener } from '../../src/listener/listener.js';
import type { MessageContext } from '../../src/dispatch/context.js';
import { DataSubscriber } from '../../src/dispatch/data-subscribers.js';
import type { DataObject } from '../../src/protocol/types.js';
import type { TestServer } from '../support/fauxqs.js';
import { countingLogger } from './in-process.js';
import { clientVia, range, sendNumbered, sleep, type Figures } from './support.js';

export async function runStall(server: TestServer, opts: { maxInFlight?: number; waitMs?: number; timeoutSeconds?: number } = {}): Promise<Figures> {
  const { maxInFlight = 20, waitMs = 5_000, timeoutSeconds } = opts;
  const queueUrl = await server.createQueue({ name: 'stall' });
  await sendNumbered(server.sqs, queueUrl, 'stall', range(maxInFlight), { kind: 'hang' });
  await sendNumbered(server.sqs, queueUrl, 'stall', range(100, 1_000), { kind: 'good' });
  let good = 0;
  let hanging = 0;
  class Hang extends DataSubscriber {
    pattern = { kind: 'hang' };
    process(_payload: DataObject, context: MessageContext): Promise<void> {
      hanging += 1;
      return new Promise((_resolve, reject) => context.signal.addEventListener('abort', () => reject(new Error('aborted'))));
    }
  }
  class Good extends DataSubscriber {
    pattern = { kind: 'good' };
    process() {
      good += 1;
    }
  }
  const client = clientVia(server.endpoint);
  const listener = new SqsListener({
    queueUrl, client, waitTimeSeconds: 1, visibilityTimeout: 5, maxInFlight, shutdownTimeoutMs: 100, handleSignals: false, logger: countingLogger(),
    ...(timeoutSeconds === undefined ? {} : { handlerTimeoutSeconds: timeoutSeconds, retryDelaySeconds: () => 30 }),
  });
  listener.registerSubscriber(Hang);
  listener.registerSubscriber(Good);
  const listening = listener.listen();
  await sleep(waitMs);
  const goodWhileStalled = good;
  await listener.stop();
  await listening;
  client.destroy();
  return { maxInFlight, handlerTimeoutSeconds: timeoutSeconds ?? 'default (900)', hangingHandlers: hanging, otherMessages: 100, processedWhileStalled: goodWhileStalled, waitedMs: waitMs };
}
