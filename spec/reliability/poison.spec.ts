import { expect } from 'chai';
import { SqsListener } from '../../src/listener/listener.js';
import type { MessageContext } from '../../src/dispatch/context.js';
import { DataSubscriber } from '../../src/dispatch/data-subscribers.js';
import { ProcessStatus } from '../../src/dispatch/status.js';
import type { DataObject } from '../../src/protocol/types.js';
import { startTestServer, type TestServer } from '../support/fauxqs.js';
import { countingLogger } from './in-process.js';
import { clientVia, isEmpty, queueDepth, range, recordFigures, sendNumbered, Tally, waitFor } from './support.js';

// Poison messages: a subscriber that always throws, one that always asks to retry, one that never
// returns. None of them may hold up the other messages. As documented: thrown errors (FATAL_ERROR) are
// copied to the dead-letter queue and deleted; retries back off, growing with the receive count, until
// the queue's redrive policy (maxReceiveCount) moves the message to the dead-letter queue; a hanging
// handler keeps its message hidden (heartbeat) and holds one slot of maxInFlight until shutdown.
describe('reliability: poison messages', function () {
  this.timeout(40_000);
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });

  it('a thrower, a retrier and a hanger never block the rest; they end in the dead-letter queue or keep backing off', async () => {
    const good = 300;
    const dlqUrl = await server.createQueue({ name: 'poison-dlq' });
    const maxReceiveCount = 3;
    const queueUrl = await server.createQueue({
      name: 'poison',
      attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: await server.queueArn(dlqUrl), maxReceiveCount }) },
    });
    // The poison goes first, so it is in the very first batches.
    await sendNumbered(server.sqs, queueUrl, 'poison', range(4, 10_000), { kind: 'throws' });
    await sendNumbered(server.sqs, queueUrl, 'poison', range(3, 20_000), { kind: 'retry' });
    await sendNumbered(server.sqs, queueUrl, 'poison', range(2, 30_000), { kind: 'hang' });
    await sendNumbered(server.sqs, queueUrl, 'poison', range(good), { kind: 'good' });

    const tally = new Tally();
    const retries = new Map<number, number[]>();
    let thrown = 0;
    let hanging = 0;
    class Good extends DataSubscriber {
      pattern = { kind: 'good' };
      process(payload: DataObject) {
        tally.add(Number(payload.seq));
      }
    }
    class Thrower extends DataSubscriber {
      pattern = { kind: 'throws' };
      process(): void {
        thrown += 1;
        throw new TypeError('cannot read this message, ever');
      }
    }
    class Retrier extends DataSubscriber {
      pattern = { kind: 'retry' };
      process(payload: DataObject) {
        const seq = Number(payload.seq);
        retries.set(seq, [...(retries.get(seq) ?? []), Date.now()]);
        return ProcessStatus.RETRY_LATER;
      }
    }
    class Hanger extends DataSubscriber {
      pattern = { kind: 'hang' };
      process(_payload: DataObject, context: MessageContext): Promise<void> {
        hanging += 1;
        // Never finishes on its own; only the shutdown deadline's abort ends it.
        return new Promise((_resolve, reject) => context.signal.addEventListener('abort', () => reject(new Error('aborted'))));
      }
    }
    const client = clientVia(server.endpoint);
    const logger = countingLogger();
    const listener = new SqsListener({
      queueUrl,
      client,
      deadLetterQueueUrl: dlqUrl,
      waitTimeSeconds: 1,
      visibilityTimeout: 2,
      // Documented default is random up to 2^n seconds; a fixed n seconds keeps the spec short and checkable.
      retryDelaySeconds: (receiveCount) => receiveCount,
      shutdownTimeoutMs: 300,
      handleSignals: false,
      logger,
    });
    for (const s of [Good, Thrower, Retrier, Hanger]) listener.registerSubscriber(s);
    const listening = listener.listen();
    const startedAt = Date.now();
    let goodDoneAt: number | undefined;
    try {
      await waitFor('every good message processed', () => tally.distinct === good, 15_000, 20);
      goodDoneAt = Date.now() - startedAt;
      expect(hanging, 'the hangers were running while the rest went through').to.equal(2);
      // Throwers: copied to the dead-letter queue and deleted; retriers: moved there by the redrive policy.
      await waitFor(
        'the dead-letter queue to hold the throwers and the retriers',
        async () => (await queueDepth(server.sqs, dlqUrl)).visible === 4 + 3,
        20_000,
        200,
      );
      // The hangers are still hidden, kept so by the heartbeat (visibility 2 s, long past): never redelivered.
      const depth = await queueDepth(server.sqs, queueUrl);
      expect(depth.visible).to.equal(0);
      expect(depth.inFlight).to.equal(2);
      expect(hanging).to.equal(2);
    } finally {
      await listener.stop();
      await listening;
      client.destroy();
    }

    expect(tally.missing(range(good))).to.deep.equal([]);
    expect(thrown).to.equal(4);
    const dead = await server.receiveAll(dlqUrl, { min: 7, timeoutMs: 5_000 });
    const byKind = (kind: string) => dead.filter((m) => (JSON.parse(m.Body ?? '{}') as { kind?: string }).kind === kind);
    expect(byKind('throws')).to.have.length(4);
    expect(byKind('retry')).to.have.length(3);
    for (const m of byKind('throws')) {
      expect(m.MessageAttributes?.['sqs-mega.error']?.StringValue).to.match(/TypeError.*cannot read this message/);
    }
    // Each retrier was tried maxReceiveCount times, each wait at least as long as asked (n seconds after try n).
    const gaps: number[] = [];
    for (const times of retries.values()) {
      expect(times).to.have.length(maxReceiveCount);
      for (let i = 1; i < times.length; i += 1) {
        const gap = (times[i] ?? 0) - (times[i - 1] ?? 0);
        expect(gap, `wait before try ${i + 1}`).to.be.at.least(i * 1000 - 150);
        gaps.push(gap);
      }
    }
    // After the shutdown deadline the hangers were abandoned: their messages stay for redelivery.
    // (fauxqs counts expired messages as visible only once a receive looks at them, so receive.)
    const left = await server.receiveAll(queueUrl, { min: 2, timeoutMs: 6_000 });
    expect(left.map((m) => (JSON.parse(m.Body ?? '{}') as { kind?: string }).kind)).to.deep.equal(['hang', 'hang']);
    expect(isEmpty(await queueDepth(server.sqs, queueUrl))).to.equal(true);

    recordFigures('poison', {
      messagesSent: good + 9,
      faultsInjected: 9,
      processed: tally.distinct,
      goodDrainedInMs: goodDoneAt ?? -1,
      thrownToDeadLetter: byKind('throws').length,
      retriedToDeadLetter: byKind('retry').length,
      retryGapsMs: gaps.map((g) => Math.round(g)).join(' '),
      hangersLeftForRedelivery: left.length,
      duplicates: tally.duplicates,
      lost: tally.missing(range(good)).length,
    });
  });
});
