import type { Message } from '@aws-sdk/client-sqs';
import { expect } from 'chai';
import sinon from 'sinon';
import { Capacity } from '../../src/listener/capacity.js';
import { DeleteBatcher } from '../../src/listener/deleter.js';
import { Heartbeat } from '../../src/listener/heartbeat.js';
import { ListenerEventEmitter, type ListenerEvents } from '../../src/consume/events.js';
import { resolveListenerOptions, type SqsListenerOptions } from '../../src/listener/listener-options.js';
import { HandlerTimeoutError, stillRunning, withinDeadline } from '../../src/consume/handler-timeout.js';
import { MessageHandler } from '../../src/listener/message-handler.js';
import { MessageProcessor, type MessageDispatcher } from '../../src/consume/message-processor.js';
import type { Decoded } from '../../src/codec/decoded.js';
import type { MessageContext } from '../../src/dispatch/context.js';
import type { DispatchOutcome, SubscriberResult } from '../../src/dispatch/outcome.js';
import { ProcessStatus } from '../../src/dispatch/status.js';
import { memoryLogger } from './listener-helpers.js';
import { allSuccessful, fakeSqs, tick } from './listener-fakes.js';

const decode = (body: string): Decoded => ({ kind: 'plaintext', encoding: 'text', payload: body });
class Quick {}
class Hangs {}

/**
 * A dispatcher whose subscribers Quick (finishes at once) and Hangs (finishes only when the test says,
 * or never) both match every message; the test can finish a message's Hangs with `finish(id)`.
 */
function hangingDispatcher() {
  const contexts = new Map<string, MessageContext>();
  const finishers = new Map<string, () => void>();
  const dispatcher: MessageDispatcher = {
    match: () => [new Quick(), new Hangs()],
    dispatch: async (decoded, context, observer) => {
      contexts.set(context.messageId, context);
      const done = (subscriber: string): SubscriberResult => ({ subscriber, status: ProcessStatus.DONE, durationMs: 1 });
      const quick = done('Quick');
      observer?.onResult(quick);
      await new Promise<void>((resolve) => finishers.set(context.messageId, resolve));
      const slow = done('Hangs');
      observer?.onResult(slow);
      return { decoded, results: [quick, slow], decision: { action: 'delete', deadLetter: false, reason: 'processed' } } satisfies DispatchOutcome;
    },
  };
  return { dispatcher, contexts, finish: (id: string) => finishers.get(id)?.() };
}

function setup(options: Partial<SqsListenerOptions> = {}, dispatcher = hangingDispatcher()) {
  const sqs = fakeSqs({ DeleteMessageBatchCommand: allSuccessful, ChangeMessageVisibilityCommand: () => ({}), ChangeMessageVisibilityBatchCommand: allSuccessful });
  const { logger, lines } = memoryLogger();
  const resolved = resolveListenerOptions({ queueUrl: 'http://127.0.0.1:1/000000000000/q', logger, handlerTimeoutSeconds: 0.05, retryDelaySeconds: () => 7, ...options });
  const events = new ListenerEventEmitter(() => {});
  const seen: { [K in keyof ListenerEvents]?: ListenerEvents[K][] } = {};
  for (const name of ['message_processed', 'message_deleted', 'message_retried', 'error'] as const) {
    events.on(name, (e: unknown) => void ((seen[name] ??= []) as unknown[]).push(e));
  }
  const capacity = new Capacity(resolved.maxInFlight);
  const heartbeat = new Heartbeat(sqs.client, 'q', { visibilityTimeout: 30, fraction: 0.5, onError: () => {} });
  const shutdown = new AbortController();
  const processor = new MessageProcessor({
    client: sqs.client,
    options: resolved,
    dispatcher: dispatcher.dispatcher,
    decode,
    deadLetter: undefined,
    events,
  });
  const handler = new MessageHandler({
    options: resolved,
    processor,
    capacity,
    deleter: new DeleteBatcher(sqs.client, 'q', { flushDelayMs: 1, onError: () => {} }),
    heartbeat,
    events,
    signal: shutdown.signal,
  });
  /** Takes a slot as the poller would, then handles the message. */
  const handle = async (id: string) => {
    await capacity.reserve(1, new AbortController().signal);
    return handler.handle(message(id), Date.now());
  };
  return { sqs, handler, handle, seen, capacity, heartbeat, lines, shutdown, ...dispatcher };
}

const message = (id: string): Message => ({ MessageId: id, ReceiptHandle: `rh-${id}`, Body: 'hello', Attributes: { ApproximateReceiveCount: '2' } });

describe('listener/listener-timeout', () => {
  it('gives up a message whose handler hangs: aborts its signal, leaves it for a retry, frees its slot', async () => {
    const t = setup();
    expect(await t.handle('m1')).to.equal(false);
    const signal = t.contexts.get('m1')?.signal;
    expect(signal?.aborted).to.equal(true);
    expect(signal?.reason).to.be.instanceOf(HandlerTimeoutError);
    expect((signal?.reason as HandlerTimeoutError).stillRunning).to.deep.equal(['Hangs']);
    expect(t.capacity.inFlight).to.equal(0);
    expect(t.heartbeat.size).to.equal(0);
    expect(t.handler.timedOutRunning).to.equal(1);
    expect(t.sqs.of('ChangeMessageVisibilityCommand').map((c) => c.input)).to.deep.equal([
      { QueueUrl: 'http://127.0.0.1:1/000000000000/q', ReceiptHandle: 'rh-m1', VisibilityTimeout: 7 },
    ]);
    expect(t.seen.message_retried).to.deep.equal([{ messageId: 'm1', receiveCount: 2, delaySeconds: 7 }]);
    expect(t.seen.error).to.have.length(1);
    expect(t.seen.error?.[0]).to.deep.include({ stage: 'timeout', messageId: 'm1' });
    expect(t.seen.error?.[0]?.error.message).to.match(/m1 was still being processed after 0\.05 s \(still running: Hangs\)/);
    const logged = t.lines.find((l) => l.level === 'error');
    expect(logged?.fields).to.deep.include({ messageId: 'm1', stillRunning: ['Hangs'], timeoutSeconds: 0.05 });
  });

  it('gives a hanging handler exactly handlerTimeoutSeconds: not aborted a millisecond early, aborted right on time', async () => {
    const clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    try {
      const t = setup({ handlerTimeoutSeconds: 10 });
      const handled = t.handle('m1');
      await clock.tickAsync(9_999);
      const signal = t.contexts.get('m1')?.signal;
      expect(signal?.aborted).to.equal(false);
      expect(t.seen.error).to.equal(undefined);
      await clock.tickAsync(1);
      expect(signal?.reason).to.be.instanceOf(HandlerTimeoutError);
      expect(t.seen.error?.[0]).to.deep.include({ stage: 'timeout', messageId: 'm1' });
      await clock.tickAsync(1_000);
      expect(await handled).to.equal(false);
    } finally {
      clock.restore();
    }
  });

  it('ignores the result of a timed-out handler that ends later: no delete, no events', async () => {
    const t = setup();
    await t.handle('m1');
    t.finish('m1');
    await tick(20);
    expect(t.handler.timedOutRunning).to.equal(0);
    expect(t.sqs.of('DeleteMessageBatchCommand')).to.have.length(0);
    expect(t.seen.message_processed).to.equal(undefined);
    expect(t.seen.message_deleted).to.equal(undefined);
    expect(t.seen.message_retried).to.have.length(1);
    expect(t.seen.error).to.have.length(1);
    expect(t.capacity.inFlight).to.equal(0);
    expect(t.lines.some((l) => l.msg.includes('timed out has ended; its result is ignored'))).to.equal(true);
  });

  it('leaves a handler that ends in time alone, however close to the deadline', async () => {
    const t = setup({ handlerTimeoutSeconds: 1 });
    const handled = t.handle('m1');
    await tick(30);
    t.finish('m1');
    expect(await handled).to.equal(true);
    await tick(5);
    expect(t.seen.error).to.equal(undefined);
    expect(t.contexts.get('m1')?.signal.aborted).to.equal(false);
    expect(t.seen.message_deleted).to.deep.equal([{ messageId: 'm1' }]);
  });

  it('names a processing hook when that is what hangs', async () => {
    const t = setup({ onBeforeProcess: () => new Promise<void>(() => {}) });
    expect(await t.handle('m1')).to.equal(false);
    expect(t.contexts.size).to.equal(0);
    expect((t.seen.error?.[0]?.error as HandlerTimeoutError).stillRunning).to.deep.equal(['onBeforeProcess']);
    expect(t.sqs.of('ChangeMessageVisibilityCommand')).to.have.length(1);
  });

  it('keeps the slot of a timed-out handler once more than maxInFlight of them are still running', async () => {
    const t = setup({ maxInFlight: 1 });
    await t.handle('m1');
    expect(t.capacity.inFlight).to.equal(0);
    // The capacity is full from here on only while the second zombie runs: memory stays bounded.
    await t.handle('m2');
    expect(t.handler.timedOutRunning).to.equal(2);
    expect(t.capacity.inFlight).to.equal(1);
    expect(t.lines.some((l) => l.level === 'warn' && l.msg.includes('more timed-out handlers are still running than maxInFlight'))).to.equal(true);
    t.finish('m2');
    await tick(5);
    expect(t.capacity.inFlight).to.equal(0);
    expect(t.handler.timedOutRunning).to.equal(1);
  });

  it('still aborts every running message at the shutdown deadline, with the shutdown reason', async () => {
    const t = setup({ handlerTimeoutSeconds: 60 });
    const handled = t.handle('m1');
    await tick(5);
    const reason = new Error('shutdown deadline');
    t.shutdown.abort(reason);
    expect(t.contexts.get('m1')?.signal.reason).to.equal(reason);
    t.finish('m1');
    await handled;
  });

  it('names what is still running and races a deadline', async () => {
    expect(stillRunning('subscribers', ['A', 'B', 'A'], ['A'])).to.deep.equal(['B', 'A']);
    expect(stillRunning('onAfterProcess', ['A'], ['A'])).to.deep.equal(['onAfterProcess']);
    expect(await withinDeadline(Promise.resolve(3), 1_000)).to.equal(3);
    expect(await withinDeadline(new Promise(() => {}), 5)).to.equal(undefined);
    const error = new HandlerTimeoutError('m9', 2, []);
    expect(error.message).to.match(/still running: nothing known/);
    expect(error.name).to.equal('HandlerTimeoutError');
  });
});
