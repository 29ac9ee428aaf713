import { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { expect } from 'chai';
import { SqsListener } from '../../src/listener/listener.js';
import { DataSubscriber } from '../../src/dispatch/data-subscribers.js';
import { RetriableError } from '../../src/dispatch/errors.js';
import { any } from '../../src/match/dsl.js';
import type { DataObject } from '../../src/protocol/types.js';
import { seededRandom } from '../support/fault-proxy.js';
import { countingLogger } from './in-process.js';
import { behindFaultProxy, clientVia, isEmpty, queueDepth, range, recordFigures, waitFor } from './support.js';

// FIFO under faults: with retriable failures and throttling, each message group is still processed
// in the order it was sent (a message is never finished before the one sent ahead of it in its group),
// while the groups run side by side.
describe('reliability: FIFO order under retries and throttling', function () {
  this.timeout(60_000);
  const env = behindFaultProxy(5);

  it('keeps each group in send order while 15% of attempts fail and 10% of requests are throttled', async () => {
    const groups = ['g0', 'g1', 'g2', 'g3'];
    const perGroup = 25;
    const queueUrl = await env.server.createQueue({ name: 'fifo', attributes: { FifoQueue: 'true', VisibilityTimeout: '5' } });
    for (const group of groups) {
      for (let from = 0; from < perGroup; from += 5) {
        await env.server.sqs.send(
          new SendMessageBatchCommand({
            QueueUrl: queueUrl,
            Entries: range(5, from).map((seq) => ({
              Id: String(seq),
              MessageBody: JSON.stringify({ group, seq }),
              MessageGroupId: group,
              MessageDeduplicationId: `${group}-${seq}`,
            })),
          }),
        );
      }
    }
    const random = seededRandom(15);
    const completions = new Map<string, number[]>(groups.map((g) => [g, []]));
    let failures = 0;
    let concurrentGroups = 0;
    const running = new Set<string>();
    class Ordered extends DataSubscriber {
      pattern = { group: any() };
      async process(payload: DataObject): Promise<void> {
        const group = String(payload.group);
        running.add(group);
        concurrentGroups = Math.max(concurrentGroups, running.size);
        await new Promise((resolve) => setTimeout(resolve, 3));
        running.delete(group);
        if (random() < 0.15) {
          failures += 1;
          throw new RetriableError('try again');
        }
        completions.get(group)?.push(Number(payload.seq));
      }
    }
    env.proxy.inject({ kind: 'throttle', rate: 0.1 });
    const client = clientVia(env.proxy.endpoint);
    const listener = new SqsListener({
      queueUrl,
      client,
      waitTimeSeconds: 1,
      visibilityTimeout: 5,
      retryDelaySeconds: () => 0,
      handleSignals: false,
      logger: countingLogger(),
    });
    listener.registerSubscriber(Ordered);
    const listening = listener.listen();
    try {
      await waitFor(
        'every group processed and the queue empty',
        async () => [...completions.values()].every((done) => new Set(done).size === perGroup) && isEmpty(await queueDepth(env.server.sqs, queueUrl)),
        45_000,
        100,
      );
    } finally {
      await listener.stop();
      await listening;
      client.destroy();
    }
    let duplicates = 0;
    let outOfOrder = 0;
    for (const [group, done] of completions) {
      const firsts = done.filter((seq, i) => done.indexOf(seq) === i);
      duplicates += done.length - firsts.length;
      outOfOrder += firsts.filter((seq, i) => i > 0 && seq < (firsts[i - 1] ?? -1)).length;
      expect(firsts, `group ${group} completion order`).to.deep.equal(range(perGroup));
    }
    const processed = [...completions.values()].reduce((sum, done) => sum + new Set(done).size, 0);
    expect(processed).to.equal(groups.length * perGroup);
    expect(failures, 'retriable failures happened').to.be.above(0);
    expect(concurrentGroups, 'groups ran side by side').to.be.above(1);
    recordFigures('fifo', {
      messagesSent: groups.length * perGroup,
      groups: groups.length,
      retriableFailures: failures,
      proxyFaults: env.proxy.stats().faults,
      faultsInjected: failures + env.proxy.stats().faults,
      processed,
      outOfOrder,
      duplicates,
      lost: groups.length * perGroup - processed,
    });
  });
});
