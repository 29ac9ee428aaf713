import type { Message } from '@aws-sdk/client-sqs';
import { expect } from 'chai';
import { Backoff } from '../../src/aws/backoff.js';
import { Capacity } from '../../src/listener/capacity.js';
import { Poller, type PollerOptions } from '../../src/listener/poller.js';
import { fakeSqs, tick } from './listener-fakes.js';

function poller(client: ReturnType<typeof fakeSqs>['client'], overrides: Partial<PollerOptions> = {}) {
  const delivered: Message[][] = [];
  const errors: number[] = [];
  const capacity = overrides.capacity ?? new Capacity(20);
  const p = new Poller(client, {
    queueUrl: 'q',
    maxNumberOfMessages: 10,
    waitTimeSeconds: 1,
    visibilityTimeout: 30,
    capacity,
    deliver: (messages) => delivered.push(messages),
    onError: (_e, wait) => errors.push(wait),
    errorBackoff: new Backoff(5, 40, () => 0),
    ...overrides,
  });
  return { p, delivered, errors, capacity };
}

const batch = (n: number, from = 0): Message[] => Array.from({ length: n }, (_, i) => ({ MessageId: `m${from + i}`, ReceiptHandle: `rh${from + i}`, Body: '{}' }));

describe('listener/poller', () => {
  it('asks for the receive and message attributes the listener needs, with the configured batch, wait and visibility', async () => {
    const controller = new AbortController();
    const sqs = fakeSqs({ ReceiveMessageCommand: () => (controller.abort(), { Messages: batch(2) }) });
    const { p, delivered, capacity } = poller(sqs.client);
    await p.run(controller.signal);
    expect(sqs.sent[0]?.input).to.deep.include({ QueueUrl: 'q', MaxNumberOfMessages: 10, WaitTimeSeconds: 1, VisibilityTimeout: 30, MessageAttributeNames: ['All'] });
    expect(sqs.sent[0]?.input.MessageSystemAttributeNames).to.include.members(['ApproximateReceiveCount', 'SentTimestamp']);
    expect(delivered.map((m) => m.length)).to.deep.equal([2]);
    // The 8 unfilled slots went back; the 2 delivered are held until the messages settle.
    expect(capacity.inFlight).to.equal(2);
  });

  it('never receives while the in-flight bound is reached, and asks only for the room left', async () => {
    const controller = new AbortController();
    let calls = 0;
    const sqs = fakeSqs({ ReceiveMessageCommand: (input) => ({ Messages: batch(input.MaxNumberOfMessages, 10 * calls++) }) });
    const capacity = new Capacity(15);
    const { p, delivered } = poller(sqs.client, { capacity });
    const running = p.run(controller.signal);
    await tick(20);
    expect(sqs.of('ReceiveMessageCommand').map((c) => c.input.MaxNumberOfMessages)).to.deep.equal([10, 5]);
    expect(capacity.inFlight).to.equal(15);
    capacity.release(3);
    await tick(20);
    expect(sqs.of('ReceiveMessageCommand').map((c) => c.input.MaxNumberOfMessages)).to.deep.equal([10, 5, 3]);
    controller.abort();
    await running;
    expect(delivered.flat()).to.have.length(18);
  });

  it('backs off after errors (growing waits), recovers, and does not die', async () => {
    const controller = new AbortController();
    let n = 0;
    const sqs = fakeSqs({
      ReceiveMessageCommand: () => {
        n += 1;
        if (n <= 4) throw Object.assign(new Error('ThrottlingException'), { name: 'ThrottlingException' });
        controller.abort();
        return { Messages: batch(1) };
      },
    });
    const { p, delivered, errors, capacity } = poller(sqs.client);
    await p.run(controller.signal);
    expect(errors).to.deep.equal([3, 5, 10, 20]);
    expect(delivered.flat()).to.have.length(1);
    expect(capacity.inFlight).to.equal(1);
  });

  // Each fake receive answers on a later turn of the event loop, as a real request does, so a poller
  // that failed to pause would spin through thousands of receives here rather than starve the timers.
  const answerLater = (answer: () => unknown) => () => new Promise((resolve) => setImmediate(() => resolve(answer())));

  for (const [what, waitTimeSeconds] of [
    ['empty short polls', 0],
    ['long polls that come back empty at once', 20],
  ] as const) {
    it(`pauses between ${what} instead of spinning`, async () => {
      const controller = new AbortController();
      const sqs = fakeSqs({ ReceiveMessageCommand: answerLater(() => ({})) });
      const { p } = poller(sqs.client, { waitTimeSeconds });
      const running = p.run(controller.signal);
      await tick(300);
      controller.abort();
      await running;
      // Pauses of up to 50, 100, 200 ms (doubling, jittered, at most 1 s): 3 or 4 receives in 300 ms.
      expect(sqs.sent.length).to.be.within(2, 6);
    });
  }

  it('makes no receive while the in-flight bound is reached, however long that lasts', async () => {
    const controller = new AbortController();
    const sqs = fakeSqs({ ReceiveMessageCommand: answerLater(() => ({ Messages: batch(10) })) });
    const { p, capacity } = poller(sqs.client, { capacity: new Capacity(10) });
    const running = p.run(controller.signal);
    await tick(200);
    expect(sqs.sent).to.have.length(1);
    expect(capacity.inFlight).to.equal(10);
    controller.abort();
    await running;
  });

  it('stops at once on abort, cancelling the receive in flight and releasing its slots', async () => {
    const controller = new AbortController();
    const sqs = fakeSqs({
      ReceiveMessageCommand: (_input, options) =>
        new Promise((_resolve, reject) => options?.abortSignal?.addEventListener('abort', () => reject(new Error('aborted')))),
    });
    const { p, errors, capacity } = poller(sqs.client);
    const running = p.run(controller.signal);
    await tick(5);
    controller.abort();
    await running;
    expect(errors).to.deep.equal([]);
    expect(capacity.inFlight).to.equal(0);
  });

  it('with a separate cancel signal, a stop lets the receive in flight finish and deliver, then starts no other', async () => {
    const stop = new AbortController();
    const cancel = new AbortController();
    let cancelled = false;
    const sqs = fakeSqs({
      ReceiveMessageCommand: (_input, options) =>
        new Promise((resolve) => {
          options?.abortSignal?.addEventListener('abort', () => (cancelled = true));
          setTimeout(() => resolve({ Messages: batch(3) }), 20);
        }),
    });
    const { p, delivered, capacity } = poller(sqs.client);
    const running = p.run(stop.signal, cancel.signal);
    await tick(5);
    stop.abort();
    await running;
    expect(cancelled).to.equal(false);
    expect(sqs.of('ReceiveMessageCommand')).to.have.length(1);
    expect(delivered.map((m) => m.length)).to.deep.equal([3]);
    expect(capacity.inFlight).to.equal(3);
  });

  it('abandons a receive that hangs past its timeout, reports it and carries on', async () => {
    const controller = new AbortController();
    let n = 0;
    const sqs = fakeSqs({
      ReceiveMessageCommand: (_input, options) => {
        n += 1;
        if (n === 1) return new Promise((_resolve, reject) => options?.abortSignal?.addEventListener('abort', () => reject(options.abortSignal?.reason)));
        controller.abort();
        return { Messages: batch(1) };
      },
    });
    const reported: string[] = [];
    const { p, delivered } = poller(sqs.client, { receiveTimeoutMs: 30, onError: (e) => reported.push(e.message) });
    await p.run(controller.signal);
    expect(reported).to.deep.equal(['request timed out after 30 ms']);
    expect(delivered.flat()).to.have.length(1);
  });
});
