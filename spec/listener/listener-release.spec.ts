import type { Message } from '@aws-sdk/client-sqs';
import { expect } from 'chai';
import sinon from 'sinon';
import { SqsListener } from '../../src/listener/listener.js';
import { silentLogger } from '../../src/aws/logger.js';
import { DataSubscriber } from '../../src/dispatch/data-subscribers.js';
import { ProcessStatus } from '../../src/dispatch/status.js';
import { allSuccessful, emptyLongPoll, fakeSqs, visibilityModel } from './listener-fakes.js';
import { memoryLogger, recordEvents } from './listener-helpers.js';

const QUEUE = 'http://127.0.0.1:1/000000000000/q';
const T0 = 1_000_000;

class Slow extends DataSubscriber {
  pattern = { type: 'order' };
  async process() {
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    return ProcessStatus.DONE;
  }
}

const fifo = (id: string): Message => ({ MessageId: id, ReceiptHandle: `rh-${id}`, Body: '{"type":"order"}', Attributes: { MessageGroupId: 'G' } });

/** Answers the first receive with `messages`, then polls empty. */
function receives(messages: Message[]) {
  const empty = emptyLongPoll(50);
  let first = true;
  return (input: unknown, options: { abortSignal?: AbortSignal } | undefined) => {
    if (!first) return empty(input, options);
    first = false;
    return { Messages: messages };
  };
}

describe('SqsListener releases', () => {
  describe('under fake timers (visibility 2 s, extended every second)', () => {
    let clock: sinon.SinonFakeTimers;
    beforeEach(() => {
      clock = sinon.useFakeTimers({ now: T0, toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    });
    afterEach(() => clock.restore());

    it('a stop-time release of a held FIFO message waits for its extension in flight', async () => {
      // Extensions take 400 ms, releases 10 ms: an extension sent before the release could land after it.
      const model = visibilityModel({ latencyMs: (visibility) => (visibility > 0 ? 400 : 10) });
      const sqs = fakeSqs({ ReceiveMessageCommand: receives([fifo('a'), fifo('b')]), ChangeMessageVisibilityBatchCommand: model.batch, DeleteMessageBatchCommand: allSuccessful });
      const listener = new SqsListener({ queueUrl: QUEUE, client: sqs.client, logger: silentLogger, handleSignals: false, visibilityTimeout: 2 });
      listener.registerSubscriber(Slow);
      const events = recordEvents(listener);
      model.receive('rh-a', 2);
      model.receive('rh-b', 2);
      const listening = listener.listen();
      // a and b are extended at 1 s (landing at 1.4 s); stop at 1.1 s; a is done at 1.2 s, b is given back.
      await clock.tickAsync(1_100);
      const stopping = listener.stop();
      await clock.tickAsync(2_000);
      await stopping;
      await listening;
      expect(events.message_deleted).to.deep.equal([{ messageId: 'a' }]);
      expect(events.message_released).to.deep.equal([{ messageId: 'b' }]);
      // The release came last: b is visible for the next consumer, its group not stalled.
      expect(model.applied.filter((a) => a.handle === 'rh-b').map((a) => [a.at - T0, a.seconds])).to.deep.equal([
        [1_400, 2],
        [1_410, 0],
      ]);
    });
  });

  it('reports only the messages SQS released, and warns about the others', async () => {
    const { logger, lines } = memoryLogger();
    const sqs = fakeSqs({
      ReceiveMessageCommand: receives([fifo('a'), fifo('b'), fifo('c')]),
      DeleteMessageBatchCommand: allSuccessful,
      ChangeMessageVisibilityCommand: () => ({}),
      // c's release is refused.
      ChangeMessageVisibilityBatchCommand: (input: { Entries: { Id: string; ReceiptHandle: string }[] }) => ({
        Successful: input.Entries.filter((e) => e.ReceiptHandle !== 'rh-c').map((e) => ({ Id: e.Id })),
        Failed: input.Entries.filter((e) => e.ReceiptHandle === 'rh-c').map((e) => ({ Id: e.Id, SenderFault: true, Code: 'ReceiptHandleIsInvalid' })),
      }),
    });
    class RetryFirst extends DataSubscriber {
      pattern = { type: 'order' };
      process() {
        return ProcessStatus.RETRY_LATER;
      }
    }
    const listener = new SqsListener({ queueUrl: QUEUE, client: sqs.client, logger, handleSignals: false });
    listener.registerSubscriber(RetryFirst);
    const events = recordEvents(listener);
    const listening = listener.listen();
    for (let i = 0; i < 200 && events.message_released.length === 0; i += 1) await new Promise((resolve) => setTimeout(resolve, 5));
    await listener.stop();
    await listening;
    expect(events.message_retried.map((e) => e.messageId)).to.deep.equal(['a']);
    expect(events.message_released).to.deep.equal([{ messageId: 'b' }]);
    const warning = lines.find((l) => l.level === 'warn' && /could not release/.test(l.msg));
    expect(warning?.fields).to.deep.equal({ messageIds: ['c'] });
  });
});
