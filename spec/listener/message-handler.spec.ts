import type { Message, SQSClient } from '@aws-sdk/client-sqs';
import { expect } from 'chai';
import sinon from 'sinon';
import { Capacity } from '../../src/listener/capacity.js';
import { DeadLetterQueue } from '../../src/consume/dead-letter.js';
import { DeleteBatcher } from '../../src/listener/deleter.js';
import { Heartbeat } from '../../src/listener/heartbeat.js';
import { ListenerEventEmitter, type ListenerEvents } from '../../src/consume/events.js';
import { resolveListenerOptions, type SqsListenerOptions } from '../../src/listener/listener-options.js';
import { silentLogger } from '../../src/aws/logger.js';
import { MessageHandler } from '../../src/listener/message-handler.js';
import { attributesOf } from '../../src/consume/message-context.js';
import { MessageProcessor } from '../../src/consume/message-processor.js';
import type { Decoded } from '../../src/codec/decoded.js';
import type { MessageContext } from '../../src/dispatch/context.js';
import type { Decision, DispatchOutcome } from '../../src/dispatch/outcome.js';
import { ProcessStatus } from '../../src/dispatch/status.js';
import { allSuccessful, fakeSqs, tick, visibilityModel } from './listener-fakes.js';
import { twelveHourRule } from '../aws/sqs-visibility-rule.js';

const decode = (body: string): Decoded => ({ kind: 'plaintext', encoding: 'text', payload: body });
const DELETE: Decision = { action: 'delete', deadLetter: false, reason: 'processed' };
const FATAL: Decision = { action: 'delete', deadLetter: true, reason: 'fatal' };
const RETRY: Decision = { action: 'retry', deadLetter: false, reason: 'retry' };

/** `heartbeat` replaces the default (never started) one; `dispatchMs` is how long dispatch takes. */
interface SetupExtras {
  heartbeat?: (client: SQSClient) => Heartbeat;
  dispatchMs?: number;
}

function setup(decision: Decision, options: Partial<SqsListenerOptions> = {}, responders: Parameters<typeof fakeSqs>[0] = {}, extras: SetupExtras = {}) {
  const sqs = fakeSqs({ DeleteMessageBatchCommand: allSuccessful, ChangeMessageVisibilityCommand: () => ({}), SendMessageCommand: () => ({ MessageId: 'dlq-id' }), ...responders });
  const resolved = resolveListenerOptions({ queueUrl: 'http://127.0.0.1:1/000000000000/q', logger: silentLogger, ...options });
  const events = new ListenerEventEmitter(() => {});
  const seen: { [K in keyof ListenerEvents]?: ListenerEvents[K][] } = {};
  for (const name of ['message_received', 'message_processed', 'message_deleted', 'message_retried', 'message_dead_lettered', 'error'] as const) {
    const record = (e: unknown) => void ((seen[name] ??= []) as unknown[]).push(e);
    events.on(name, record);
  }
  const contexts: MessageContext[] = [];
  const capacity = new Capacity(10);
  const processor = new MessageProcessor({
    client: sqs.client,
    options: resolved,
    dispatcher: {
      dispatch: async (decoded, context) => {
        contexts.push(context);
        if (extras.dispatchMs) await new Promise((resolve) => setTimeout(resolve, extras.dispatchMs));
        const error = decision.reason === 'fatal' ? new Error('handler broke') : undefined;
        return { decoded, decision, results: [{ subscriber: 'Sub', status: decision.reason === 'fatal' ? ProcessStatus.FATAL_ERROR : ProcessStatus.DONE, error, durationMs: 1 }] } satisfies DispatchOutcome;
      },
      match: () => [],
    },
    decode,
    deadLetter: resolved.deadLetterQueueUrl ? new DeadLetterQueue(sqs.client, resolved.deadLetterQueueUrl, 'q') : undefined,
    events,
  });
  const handler = new MessageHandler({
    options: resolved,
    processor,
    capacity,
    deleter: new DeleteBatcher(sqs.client, 'q', { flushDelayMs: 1, onError: () => {} }),
    heartbeat: extras.heartbeat?.(sqs.client) ?? new Heartbeat(sqs.client, 'q', { visibilityTimeout: 30, fraction: 0.5, onError: () => {} }),
    events,
    signal: new AbortController().signal,
  });
  return { sqs, handler, seen, contexts, capacity };
}

const message = (extra: Partial<Message> = {}): Message => ({
  MessageId: 'm1',
  ReceiptHandle: 'rh1',
  Body: 'hello',
  Attributes: { ApproximateReceiveCount: '3', SentTimestamp: '1700000000000' },
  ...extra,
});

async function settled(capacity: Capacity) {
  await capacity.drained();
  await tick(5);
}

describe('listener/message-handler', () => {
  it('builds the context from the SQS message and deletes a processed message', async () => {
    const { sqs, handler, seen, contexts, capacity } = setup(DELETE);
    await capacity.reserve(1, new AbortController().signal);
    expect(await handler.handle(message({ MessageAttributes: { tenant: { DataType: 'String', StringValue: 'acme' } } }), Date.now())).to.equal(true);
    await settled(capacity);
    const context = contexts[0];
    expect(context).to.deep.include({ messageId: 'm1', receiveCount: 3, messageAttributes: { tenant: 'acme' } });
    expect(context?.sentAt?.getTime()).to.equal(1_700_000_000_000);
    expect(context?.decoded).to.deep.equal({ kind: 'plaintext', encoding: 'text', payload: 'hello' });
    expect(sqs.of('DeleteMessageBatchCommand')[0]?.input.Entries).to.deep.equal([{ Id: '0', ReceiptHandle: 'rh1' }]);
    expect(seen.message_received).to.deep.equal([{ messageId: 'm1', receiveCount: 3 }]);
    expect(seen.message_processed?.[0]?.outcome.decision).to.deep.equal(DELETE);
    expect(seen.message_deleted).to.deep.equal([{ messageId: 'm1' }]);
    expect(capacity.inFlight).to.equal(0);
  });

  it('sets the retry delay from receiveCount and does not delete', async () => {
    const counts: number[] = [];
    const { sqs, handler, seen, capacity } = setup(RETRY, { retryDelaySeconds: (n) => (counts.push(n), 600) });
    await capacity.reserve(1, new AbortController().signal);
    expect(await handler.handle(message(), Date.now())).to.equal(false);
    await settled(capacity);
    expect(counts).to.deep.equal([3]);
    expect(sqs.of('ChangeMessageVisibilityCommand')[0]?.input).to.deep.equal({ QueueUrl: 'http://127.0.0.1:1/000000000000/q', ReceiptHandle: 'rh1', VisibilityTimeout: 600 });
    expect(sqs.of('DeleteMessageBatchCommand')).to.have.length(0);
    expect(seen.message_retried).to.deep.equal([{ messageId: 'm1', receiveCount: 3, delaySeconds: 600 }]);
  });

  describe('SQS 12-hour limit per receive (a client that enforces it, as AWS documents)', () => {
    const HOUR = 3_600_000;
    const longDelay = (n: number) => 600 * 2 ** n;

    async function retryReceivedAt(receivedAgoMs: number, attributes: Record<string, string> = { ApproximateReceiveCount: '8' }) {
      const rule = twelveHourRule();
      const { handler, seen, capacity } = setup(RETRY, { retryDelaySeconds: longDelay }, rule.responders);
      const receivedAt = Date.now() - receivedAgoMs;
      rule.received('rh1', receivedAt);
      await capacity.reserve(1, new AbortController().signal);
      await handler.handle(message({ Attributes: attributes }), receivedAt);
      await settled(capacity);
      return { rule, seen };
    }

    it('clamps a long delay to what is left of 12 h, so SQS takes it (receive count 8, handler ran 1 s)', async () => {
      const { rule, seen } = await retryReceivedAt(1_000);
      expect(rule.refused).to.deep.equal([]);
      expect(rule.accepted).to.have.length(1);
      expect(rule.accepted[0]).to.be.within(43_100, 43_199);
      expect(seen.message_retried?.[0]?.delaySeconds).to.equal(rule.accepted[0]);
      expect(seen.error).to.equal(undefined);
    });

    it('near the end of the 12 h sets only the seconds left', async () => {
      const { rule } = await retryReceivedAt(11.9 * HOUR);
      expect(rule.refused).to.deep.equal([]);
      expect(rule.accepted[0]).to.be.within(300, 360);
    });

    it('counts from this receive, not the first one days ago', async () => {
      const firstReceive = String(Date.now() - 48 * HOUR);
      const { rule } = await retryReceivedAt(1_000, { ApproximateReceiveCount: '8', ApproximateFirstReceiveTimestamp: firstReceive });
      expect(rule.accepted[0]).to.be.above(43_000);
    });
  });

  it('copies a fatal message to the dead-letter queue, then deletes it', async () => {
    const { sqs, handler, seen, capacity } = setup(FATAL, { deadLetterQueueUrl: 'http://127.0.0.1:1/000000000000/q-dlq' });
    await capacity.reserve(1, new AbortController().signal);
    expect(await handler.handle(message(), Date.now())).to.equal(true);
    await settled(capacity);
    expect(sqs.sent.map((c) => c.name)).to.deep.equal(['SendMessageCommand', 'DeleteMessageBatchCommand']);
    expect(sqs.sent[0]?.input.MessageBody).to.equal('hello');
    expect(seen.message_dead_lettered).to.deep.equal([{ messageId: 'm1', deadLetterMessageId: 'dlq-id', reason: 'fatal' }]);
  });

  it('keeps the message when the dead-letter copy fails, and backs off with the retry delay', async () => {
    const { sqs, handler, seen, capacity } = setup(
      FATAL,
      { deadLetterQueueUrl: 'http://127.0.0.1:1/000000000000/q-dlq', retryDelaySeconds: (n) => 60 * n },
      { SendMessageCommand: () => Promise.reject(new Error('dlq down')) },
    );
    await capacity.reserve(1, new AbortController().signal);
    expect(await handler.handle(message(), Date.now())).to.equal(false);
    await settled(capacity);
    expect(sqs.of('DeleteMessageBatchCommand')).to.have.length(0);
    expect(seen.error?.[0]).to.deep.include({ stage: 'dead-letter', messageId: 'm1' });
    expect(sqs.of('ChangeMessageVisibilityCommand').map((c) => c.input.VisibilityTimeout)).to.deep.equal([180]);
    expect(seen.message_retried).to.deep.equal([{ messageId: 'm1', receiveCount: 3, delaySeconds: 180 }]);
  });

  it('without a dead-letter queue, deletes a fatal message with a warning carrying a bounded body', async () => {
    const warnings: unknown[][] = [];
    const logger = { ...silentLogger, warn: (...args: unknown[]) => void warnings.push(args) };
    const { sqs, handler, capacity } = setup(FATAL, { logger });
    await capacity.reserve(1, new AbortController().signal);
    expect(await handler.handle(message({ Body: 'y'.repeat(100_000) }), Date.now())).to.equal(true);
    await settled(capacity);
    expect(sqs.of('DeleteMessageBatchCommand')).to.have.length(1);
    const fields = warnings[0]?.[1] as { body: string; reason: string; error: { message: string } };
    expect(fields.reason).to.equal('fatal');
    expect(fields.error.message).to.equal('handler broke');
    expect(fields.body.length).to.be.below(3000);
  });

  it('runs the before and after hooks around dispatch and survives hooks that throw', async () => {
    const order: string[] = [];
    const { handler, capacity, seen } = setup(DELETE, {
      onBeforeProcess: (ctx) => {
        order.push(`before:${ctx.messageId}`);
        throw new Error('hook');
      },
      onAfterProcess: (ctx, outcome) => void order.push(`after:${ctx.messageId}:${outcome.decision.action}`),
    });
    await capacity.reserve(1, new AbortController().signal);
    expect(await handler.handle(message(), Date.now())).to.equal(true);
    await settled(capacity);
    expect(order).to.deep.equal(['before:m1', 'after:m1:delete']);
    expect(seen.message_deleted).to.have.length(1);
    expect(seen.error?.[0]?.stage).to.equal('hook');
  });

  it('merges SNS envelope attributes with SQS attributes without touching prototypes', () => {
    const decoded: Decoded = {
      kind: 'plaintext', encoding: 'text', payload: 'x',
      envelope: { type: 'Notification', messageId: 'n', topicArn: 't', timestamp: '', messageAttributes: JSON.parse('{"source":{"Type":"String","Value":"sns"},"__proto__":{"Type":"String","Value":"evil"}}') },
    };
    const attrs = attributesOf({ MessageAttributes: { bin: { DataType: 'Binary', BinaryValue: new Uint8Array([1, 2]) } } }, decoded);
    expect(attrs.source).to.equal('sns');
    expect(attrs.bin).to.equal('AQI=');
    expect(Object.getPrototypeOf(attrs)).to.equal(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(attrs, '__proto__')?.value).to.equal('evil');
  });

  describe('with the heartbeat running (fake timers, visibility 2 s, extended every second)', () => {
    let clock: sinon.SinonFakeTimers;
    beforeEach(() => {
      clock = sinon.useFakeTimers({ now: 1_000_000, toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    });
    afterEach(() => clock.restore());

    /** A handler whose SQS keeps visibility as `visibilityModel` does; extensions take `latencyMs`. */
    function running(decision: Decision, latencyMs: number, options: Partial<SqsListenerOptions> = {}, responders: Parameters<typeof fakeSqs>[0] = {}, dispatchMs = 0) {
      const model = visibilityModel({ latencyMs });
      const heartbeats: Heartbeat[] = [];
      const t = setup(
        decision,
        options,
        { ChangeMessageVisibilityBatchCommand: model.batch, ChangeMessageVisibilityCommand: (input) => model.change(input.ReceiptHandle, input.VisibilityTimeout), ...responders },
        {
          dispatchMs,
          heartbeat: (client) => {
            const hb = new Heartbeat(client, 'q', { visibilityTimeout: 2, fraction: 0.5, onError: () => {} });
            hb.start();
            heartbeats.push(hb);
            return hb;
          },
        },
      );
      model.receive('rh1', 2);
      return { ...t, model, heartbeat: heartbeats[0] as Heartbeat };
    }

    it('a retry waits for the extension in flight, so that it cannot override the retry delay', async () => {
      const t = running(RETRY, 300, { retryDelaySeconds: () => 60 }, {}, 1_100);
      await t.capacity.reserve(1, new AbortController().signal);
      const handled = t.handler.handle(message(), Date.now());
      // The extension goes out at 1 s and lands at 1.3 s; the handler asks for a retry at 1.1 s.
      await clock.tickAsync(1_200);
      expect(t.model.calls).to.have.length(1);
      expect(t.sqs.of('ChangeMessageVisibilityCommand')).to.have.length(0);
      await clock.tickAsync(200);
      expect(await handled).to.equal(false);
      expect(t.model.applied.filter((a) => a.handle === 'rh1').map((a) => a.seconds)).to.deep.equal([2, 60]);
      // Not extended again: it stays hidden for the retry delay.
      await clock.tickAsync(10_000);
      expect(t.model.calls).to.have.length(1);
      expect(t.heartbeat.size).to.equal(0);
    });

    it('keeps the message hidden through a slow dead-letter copy and its delete', async () => {
      const t = running(FATAL, 20, { deadLetterQueueUrl: 'http://127.0.0.1:1/000000000000/q-dlq' }, {
        SendMessageCommand: () => new Promise((resolve) => setTimeout(() => resolve({ MessageId: 'dlq-id' }), 2_500)),
      });
      await t.capacity.reserve(1, new AbortController().signal);
      const handled = t.handler.handle(message(), Date.now());
      // Past the 2 s visibility, the copy still going.
      await clock.tickAsync(2_490);
      expect(t.model.exposed()).to.deep.equal([]);
      await clock.tickAsync(100);
      expect(await handled).to.equal(true);
      expect(t.sqs.of('DeleteMessageBatchCommand')).to.have.length(1);
      expect(t.model.calls.map((c) => c.at - 1_000_000)).to.deep.equal([1_000, 2_000]);
      expect(t.heartbeat.size).to.equal(0);
    });
  });
});
