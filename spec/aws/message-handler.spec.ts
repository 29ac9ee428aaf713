import type { Message } from '@aws-sdk/client-sqs';
import { expect } from 'chai';
import { Capacity } from '../../src/aws/capacity.js';
import { DeadLetterQueue } from '../../src/aws/dead-letter.js';
import { DeleteBatcher } from '../../src/aws/deleter.js';
import { Heartbeat } from '../../src/aws/heartbeat.js';
import { ListenerEventEmitter, type ListenerEvents } from '../../src/aws/listener-events.js';
import { resolveListenerOptions, type SqsListenerOptions } from '../../src/aws/listener-options.js';
import { silentLogger } from '../../src/aws/logger.js';
import { MessageHandler } from '../../src/aws/message-handler.js';
import { attributesOf } from '../../src/consume/message-context.js';
import { MessageProcessor } from '../../src/consume/message-processor.js';
import type { Decoded } from '../../src/codec/decoded.js';
import type { MessageContext } from '../../src/dispatch/context.js';
import type { Decision, DispatchOutcome } from '../../src/dispatch/outcome.js';
import { ProcessStatus } from '../../src/dispatch/status.js';
import { allSuccessful, fakeSqs, tick } from './listener-fakes.js';

const decode = (body: string): Decoded => ({ kind: 'plaintext', encoding: 'text', payload: body });
const DELETE: Decision = { action: 'delete', deadLetter: false, reason: 'processed' };
const FATAL: Decision = { action: 'delete', deadLetter: true, reason: 'fatal' };
const RETRY: Decision = { action: 'retry', deadLetter: false, reason: 'retry' };

function setup(decision: Decision, options: Partial<SqsListenerOptions> = {}, responders: Parameters<typeof fakeSqs>[0] = {}) {
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
    heartbeat: new Heartbeat(sqs.client, 'q', { visibilityTimeout: 30, fraction: 0.5, onError: () => {} }),
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

describe('aws/message-handler', () => {
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

  it('sets the retry delay from receiveCount, capped at 43200, and does not delete', async () => {
    const counts: number[] = [];
    const { sqs, handler, seen, capacity } = setup(RETRY, { retryDelaySeconds: (n) => (counts.push(n), 99_999) });
    await capacity.reserve(1, new AbortController().signal);
    expect(await handler.handle(message(), Date.now())).to.equal(false);
    await settled(capacity);
    expect(counts).to.deep.equal([3]);
    expect(sqs.of('ChangeMessageVisibilityCommand')[0]?.input).to.deep.equal({ QueueUrl: 'http://127.0.0.1:1/000000000000/q', ReceiptHandle: 'rh1', VisibilityTimeout: 43_200 });
    expect(sqs.of('DeleteMessageBatchCommand')).to.have.length(0);
    expect(seen.message_retried).to.deep.equal([{ messageId: 'm1', receiveCount: 3, delaySeconds: 43_200 }]);
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

  it('keeps the message when the dead-letter copy fails', async () => {
    const { sqs, handler, seen, capacity } = setup(FATAL, { deadLetterQueueUrl: 'http://127.0.0.1:1/000000000000/q-dlq' }, { SendMessageCommand: () => Promise.reject(new Error('dlq down')) });
    await capacity.reserve(1, new AbortController().signal);
    expect(await handler.handle(message(), Date.now())).to.equal(false);
    await settled(capacity);
    expect(sqs.of('DeleteMessageBatchCommand')).to.have.length(0);
    expect(seen.error?.[0]).to.deep.include({ stage: 'dead-letter', messageId: 'm1' });
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
});
