import { expect } from 'chai';
import { SqsListener } from '../../src/listener/listener.js';
import { silentLogger } from '../../src/aws/logger.js';
import { DataSubscriber } from '../../src/dispatch/data-subscribers.js';
import { ProcessStatus } from '../../src/dispatch/status.js';
import type { DataObject } from '../../src/protocol/types.js';
import { allSuccessful, emptyLongPoll, fakeSqs, tick } from './listener-fakes.js';
import { recordEvents } from './listener-helpers.js';

class Orders extends DataSubscriber {
  pattern = { type: 'order' };
  process(payload: DataObject) {
    return payload.ok ? ProcessStatus.DONE : ProcessStatus.RETRY_LATER;
  }
}

const QUEUE = 'http://127.0.0.1:1/000000000000/q';

describe('SqsListener facade', () => {
  it('registers subscribers once and offers a TestClient over them', async () => {
    const listener = new SqsListener({ queueUrl: 'http://127.0.0.1:1/q', client: fakeSqs().client, logger: silentLogger });
    listener.registerSubscriber(Orders);
    expect(() => listener.registerSubscriber(Orders)).to.throw(/already registered/);
    expect(listener.subscribers).to.have.length(1);
    const outcome = await listener.testClient().send({ type: 'order', ok: false });
    expect(outcome).to.deep.include({ matched: ['Orders'], statuses: [ProcessStatus.RETRY_LATER], deleted: false });
  });

  it('refuses a second listen() while listening', async () => {
    const sqs = fakeSqs({ ReceiveMessageCommand: emptyLongPoll() });
    const listener = new SqsListener({ queueUrl: 'http://127.0.0.1:1/000000000000/q', client: sqs.client, logger: silentLogger, handleSignals: false });
    const listening = listener.listen();
    let error: unknown;
    await listener.listen().catch((e: unknown) => (error = e));
    expect((error as Error).name).to.equal('ListenerStateError');
    expect((error as Error).message).to.match(/already listening/);
    await listener.stop();
    await listening;
  });

  it('releases (visibility 0) messages whose receive came back after stop was asked', async () => {
    let answer!: () => void;
    const sqs = fakeSqs({
      // This receive ignores the abort, as a response already on the wire would.
      ReceiveMessageCommand: () =>
        new Promise((resolve) => (answer = () => resolve({ Messages: [{ MessageId: 'late', ReceiptHandle: 'rh-late', Body: '{"type":"order"}' }] }))),
      ChangeMessageVisibilityBatchCommand: allSuccessful,
    });
    const listener = new SqsListener({ queueUrl: 'http://127.0.0.1:1/000000000000/q', client: sqs.client, logger: silentLogger, handleSignals: false });
    listener.registerSubscriber(Orders);
    const events = recordEvents(listener);
    const listening = listener.listen();
    await tick();
    const stopping = listener.stop();
    answer();
    await stopping;
    await listening;
    expect(sqs.of('ChangeMessageVisibilityBatchCommand')[0]?.input.Entries).to.deep.equal([{ Id: '0', ReceiptHandle: 'rh-late', VisibilityTimeout: 0 }]);
    expect(events.message_released).to.deep.equal([{ messageId: 'late' }]);
    expect(events.message_received).to.have.length(0);
  });

  it('stop() lets the receive in flight finish, then releases what it brought (visibility 0), unprocessed and undeleted', async () => {
    let cancelled = false;
    let stopAsked = false;
    let processed = 0;
    const sqs = fakeSqs({
      // A long poll that honours cancelling, and is handed two messages just after stop() was asked.
      ReceiveMessageCommand: (_i, o) =>
        new Promise((resolve, reject) => {
          o?.abortSignal?.addEventListener('abort', () => ((cancelled = true), reject(new Error('aborted'))));
          const answer = () => (stopAsked ? resolve({ Messages: ['a', 'b'].map((id) => ({ MessageId: id, ReceiptHandle: `rh-${id}`, Body: '{"type":"order","ok":true}' })) }) : setTimeout(answer, 5));
          answer();
        }),
      ChangeMessageVisibilityBatchCommand: allSuccessful,
      DeleteMessageBatchCommand: allSuccessful,
    });
    const listener = new SqsListener({ queueUrl: QUEUE, client: sqs.client, logger: silentLogger, handleSignals: false });
    listener.registerSubscriber(
      class extends Orders {
        override process(payload: DataObject) {
          processed += 1;
          return super.process(payload);
        }
      },
    );
    const events = recordEvents(listener);
    const listening = listener.listen();
    await tick(10);
    stopAsked = true;
    await listener.stop();
    await listening;
    expect(cancelled).to.equal(false);
    expect(sqs.of('ReceiveMessageCommand')).to.have.length(1);
    expect(sqs.of('ChangeMessageVisibilityBatchCommand').map((c) => c.input.Entries)).to.deep.equal([
      [
        { Id: '0', ReceiptHandle: 'rh-a', VisibilityTimeout: 0 },
        { Id: '1', ReceiptHandle: 'rh-b', VisibilityTimeout: 0 },
      ],
    ]);
    expect(events.message_released).to.deep.equal([{ messageId: 'a' }, { messageId: 'b' }]);
    expect(processed).to.equal(0);
    expect(events.message_received).to.have.length(0);
    expect(sqs.of('DeleteMessageBatchCommand')).to.have.length(0);
  });

  it('cancels a receive still in flight when the shutdown deadline passes', async () => {
    let cancelled = false;
    const sqs = fakeSqs({
      ReceiveMessageCommand: (_i, o) => new Promise((_r, reject) => o?.abortSignal?.addEventListener('abort', () => ((cancelled = true), reject(new Error('aborted'))))),
    });
    const listener = new SqsListener({ queueUrl: QUEUE, client: sqs.client, logger: silentLogger, handleSignals: false, shutdownTimeoutMs: 50 });
    const events = recordEvents(listener);
    const listening = listener.listen();
    await tick();
    const stopping = listener.stop();
    await tick(10);
    expect(cancelled).to.equal(false);
    await stopping;
    await listening;
    expect(cancelled).to.equal(true);
    expect(events.stopped).to.deep.equal([{ queueUrl: QUEUE, unfinished: 0 }]);
  });

  it('a second signal cancels a receive still in flight', async () => {
    let cancelled = false;
    const sqs = fakeSqs({
      ReceiveMessageCommand: (_i, o) => new Promise((_r, reject) => o?.abortSignal?.addEventListener('abort', () => ((cancelled = true), reject(new Error('aborted'))))),
    });
    const listener = new SqsListener({ queueUrl: QUEUE, client: sqs.client, logger: silentLogger, shutdownTimeoutMs: 600_000 });
    const listening = listener.listen();
    await tick();
    process.emit('SIGTERM', 'SIGTERM');
    await tick(20);
    expect(listener.listening).to.equal(true);
    expect(cancelled).to.equal(false);
    process.emit('SIGINT', 'SIGINT');
    await listening;
    expect(cancelled).to.equal(true);
  });

  it('with handleSignals, SIGTERM stops listen() and the handlers are removed afterwards', async () => {
    const sqs = fakeSqs({ ReceiveMessageCommand: emptyLongPoll() });
    const before = process.listenerCount('SIGTERM');
    const beforeInt = process.listenerCount('SIGINT');
    const listener = new SqsListener({ queueUrl: 'http://127.0.0.1:1/000000000000/q', client: sqs.client, logger: silentLogger });
    const listening = listener.listen();
    expect(process.listenerCount('SIGTERM')).to.equal(before + 1);
    process.emit('SIGTERM', 'SIGTERM');
    await listening;
    expect(process.listenerCount('SIGTERM')).to.equal(before);
    expect(process.listenerCount('SIGINT')).to.equal(beforeInt);
    expect(listener.listening).to.equal(false);
  });

  it('a second signal skips the wait for running handlers and aborts their signal', async () => {
    let served = false;
    const sqs = fakeSqs({
      ReceiveMessageCommand: (_i, o) => {
        if (!served) {
          served = true;
          return { Messages: [{ MessageId: 'stuck', ReceiptHandle: 'rh', Body: '{"type":"order"}' }] };
        }
        return new Promise((_r, reject) => o?.abortSignal?.addEventListener('abort', () => reject(new Error('aborted'))));
      },
    });
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    let abortedWith: unknown;
    class Stuck extends DataSubscriber {
      async process(_p: DataObject, context: { signal: AbortSignal }) {
        started();
        await new Promise<void>((resolve) => context.signal.addEventListener('abort', () => resolve()));
        abortedWith = context.signal.reason;
      }
    }
    const listener = new SqsListener({ queueUrl: QUEUE, client: sqs.client, logger: silentLogger, shutdownTimeoutMs: 600_000 });
    listener.registerSubscriber(Stuck);
    const events = recordEvents(listener);
    const listening = listener.listen();
    await running;
    process.emit('SIGTERM', 'SIGTERM');
    await tick(20);
    expect(listener.listening).to.equal(true);
    process.emit('SIGINT', 'SIGINT');
    await listening;
    await tick();
    expect((abortedWith as Error).name).to.equal('ListenerShutdownError');
    expect(events.stopped).to.deep.equal([{ queueUrl: QUEUE, unfinished: 1 }]);
    expect(sqs.of('DeleteMessageBatchCommand')).to.have.length(0);
  });
});
