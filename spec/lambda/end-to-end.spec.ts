// createLambdaHandler end to end: real fauxqs queues, a Lambda event source mapping emulated over them
// (spec/lambda/esm-emulator.ts), and subscribers that fail, retry, hang and succeed. Every message sent
// must end either processed, or in a dead-letter queue; never lost, never early.
import { PublishCommand } from '@aws-sdk/client-sns';
import { SendMessageBatchCommand, SendMessageCommand, type MessageAttributeValue } from '@aws-sdk/client-sqs';
import { expect } from 'chai';
import { DEAD_LETTER_ATTRIBUTES } from '../../src/consume/dead-letter.js';
import type { MessageContext } from '../../src/dispatch/context.js';
import { RetriableError } from '../../src/dispatch/errors.js';
import { EventSubscriber } from '../../src/dispatch/event-subscriber.js';
import { ProcessStatus } from '../../src/dispatch/status.js';
import type { ProcessResult } from '../../src/dispatch/subscriber.js';
import { createLambdaHandler, LambdaBatchError, type LambdaHandlerOptions } from '../../src/lambda.js';
import type { MegaPayload } from '../../src/protocol/types.js';
import { memoryLogger } from '../listener/listener-helpers.js';
import { startTestServer, type TestServer } from '../support/fauxqs.js';
import { EventSourceMapping } from './esm-emulator.js';

/** A MEGA `order.placed` body whose subject names what the subscriber should do with it. */
const body = (subject: string) =>
  JSON.stringify({ protocol: 'mega', version: 1, event: { name: 'order.placed', timestamp: '2026-01-01T00:00:00Z', subject, attributes: { total: 5 } } });

interface Seen {
  subject: string;
  messageId: string;
  receiveCount: number;
  at: number;
  attributes: Readonly<Record<string, string>>;
  payload: MegaPayload;
}

/** One subscriber whose behaviour per message is the test's script; it records every delivery. */
class Scripted extends EventSubscriber {
  name = 'order.placed';
  readonly seen: Seen[] = [];
  constructor(private readonly script: (subject: string, context: MessageContext) => ProcessResult = () => undefined) {
    super();
  }
  process(payload: MegaPayload, context: MessageContext): ProcessResult {
    const subject = payload.event.subject ?? '';
    this.seen.push({ subject, messageId: context.messageId, receiveCount: context.receiveCount, at: Date.now(), attributes: context.messageAttributes, payload });
    return this.script(subject, context);
  }
}

class Flaky extends RetriableError {}

describe('lambda/end-to-end (event source mapping emulator on fauxqs)', function () {
  this.timeout(20_000);
  let server: TestServer;

  before(async () => {
    server = await startTestServer();
  });

  function handlerFor(queueUrl: string, subscriber: Scripted, options: Partial<LambdaHandlerOptions> = {}) {
    const { logger, lines } = memoryLogger();
    const handler = createLambdaHandler({ subscribers: [subscriber], client: server.sqs, queueUrl, logger, retryDelaySeconds: () => 1, ...options });
    return { handler, lines };
  }

  async function send(queueUrl: string, subjects: string[], extra: (s: string) => Record<string, unknown> = () => ({})): Promise<Map<string, string>> {
    const ids = new Map<string, string>();
    for (let i = 0; i < subjects.length; i += 10) {
      const entries = subjects.slice(i, i + 10).map((s, j) => ({ Id: String(j), MessageBody: body(s), ...extra(s) }));
      const out = await server.sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }));
      for (const ok of out.Successful ?? []) ids.set(subjects[i + Number(ok.Id)] as string, ok.MessageId as string);
    }
    expect(ids.size).to.equal(subjects.length);
    return ids;
  }

  it('leaves a retried record hidden for retryDelaySeconds, then Lambda gets it back', async () => {
    const queueUrl = await server.createQueue({ name: 'lambda-retry', attributes: { VisibilityTimeout: '30' } });
    const subscriber = new Scripted((subject, context) => {
      if (context.receiveCount > 1) return undefined;
      if (subject === 'later') return ProcessStatus.RETRY_LATER;
      if (subject === 'flaky') throw new Flaky('downstream busy');
      return undefined;
    });
    const { handler } = handlerFor(queueUrl, subscriber, { retriableErrors: [Flaky] });
    const ids = await send(queueUrl, ['later', 'flaky', 'done']);
    const mapping = new EventSourceMapping({ sqs: server.sqs, queueUrl, visibilityTimeoutSeconds: 30, functionTimeoutMs: 5_000 });

    const started = Date.now();
    const first = await mapping.invokeOnce(handler);
    expect(first?.outcome).to.equal('returned');
    expect(first?.response).to.deep.equal({ batchItemFailures: [{ itemIdentifier: ids.get('later') }, { itemIdentifier: ids.get('flaky') }] });
    expect(first?.deleted).to.deep.equal([ids.get('done')]);

    // Half the delay later they are still hidden...
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(await mapping.invokeOnce(handler)).to.equal(undefined);
    // ...and they come back after it, long before the queue's own 30 s visibility timeout.
    await mapping.runUntil(handler, () => subscriber.seen.length === 5, { timeoutMs: 5_000, idleMs: 20 });
    const again = subscriber.seen.slice(3);
    expect(again.map((s) => s.subject).sort()).to.deep.equal(['flaky', 'later']);
    for (const s of again) {
      expect(s.receiveCount).to.equal(2);
      expect(s.at - started).to.be.at.least(1_000);
    }
    expect(await server.receiveAll(queueUrl, { min: 0, timeoutMs: 100 })).to.have.length(0);
  });

  it('lets SQS redrive a record to its dead-letter queue after maxReceiveCount (the handler fails the whole batch)', async () => {
    const redriveDlq = await server.createQueue({ name: 'lambda-redrive-dlq' });
    const RedrivePolicy = JSON.stringify({ deadLetterTargetArn: await server.queueArn(redriveDlq), maxReceiveCount: 2 });
    const queueUrl = await server.createQueue({ name: 'lambda-redrive', attributes: { VisibilityTimeout: '30', RedrivePolicy } });
    const subscriber = new Scripted(() => ProcessStatus.RETRY_LATER);
    const { handler } = handlerFor(queueUrl, subscriber, { retryDelaySeconds: () => 0 });
    const ids = await send(queueUrl, ['never-ready']);
    const mapping = new EventSourceMapping({ sqs: server.sqs, queueUrl, visibilityTimeoutSeconds: 30, functionTimeoutMs: 5_000 });

    const invocations = await mapping.runUntil(handler, () => subscriber.seen.length === 2, { timeoutMs: 5_000, idleMs: 20 });
    // Every record of the batch failed: by default the invocation fails rather than report them all.
    for (const inv of invocations) {
      expect(inv.outcome).to.equal('threw');
      expect(inv.error).to.be.instanceOf(LambdaBatchError);
      expect(inv.deleted).to.deep.equal([]);
    }
    expect(subscriber.seen.map((s) => s.receiveCount)).to.deep.equal([1, 2]);
    // The third receive is past maxReceiveCount: SQS moves the message instead of delivering it.
    expect(await mapping.invokeOnce(handler)).to.equal(undefined);
    const redriven = await server.receiveAll(redriveDlq, { min: 1, timeoutMs: 2_000 });
    expect(redriven.map((m) => m.MessageId)).to.deep.equal([ids.get('never-ready')]);
    expect(subscriber.seen).to.have.length(2);
  });

  it('keeps each FIFO group in order under failures while other groups go on', async () => {
    const queueUrl = await server.createQueue({ name: 'lambda-fifo', attributes: { FifoQueue: 'true', ContentBasedDeduplication: 'true', VisibilityTimeout: '30' } });
    const subscriber = new Scripted((subject, context) => (subject === 'a1' && context.receiveCount === 1 ? ProcessStatus.RETRY_LATER : undefined));
    const { handler } = handlerFor(queueUrl, subscriber);
    // Sent one by one so that each group's sequence is the send order.
    for (const subject of ['a1', 'b1', 'a2', 'b2', 'a3', 'b3']) {
      await server.sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body(subject), MessageGroupId: subject[0] }));
    }
    const mapping = new EventSourceMapping({ sqs: server.sqs, queueUrl, visibilityTimeoutSeconds: 30, functionTimeoutMs: 5_000 });

    const invocations = await mapping.runUntil(handler, () => subscriber.seen.filter((s) => s.subject.startsWith('a')).length === 4, { timeoutMs: 8_000, idleMs: 20 });
    for (const inv of invocations) {
      // Records of a group arrive together and in order; the emulator checks what AWS promises.
      const groups = inv.event.Records.map((r) => r.attributes.MessageGroupId);
      expect(groups.filter((g, i) => groups.indexOf(g) !== i && groups[i - 1] !== g)).to.deep.equal([]);
    }
    const order = (group: string) => subscriber.seen.filter((s) => s.subject.startsWith(group)).map((s) => `${s.subject}#${s.receiveCount}`);
    expect(order('a')).to.deep.equal(['a1#1', 'a1#2', 'a2#1', 'a3#1']);
    expect(order('b')).to.deep.equal(['b1#1', 'b2#1', 'b3#1']);
    // Group b did not wait for a1's retry delay.
    const a1Retry = subscriber.seen.find((s) => s.subject === 'a1' && s.receiveCount === 2) as Seen;
    const b3 = subscriber.seen.find((s) => s.subject === 'b3') as Seen;
    expect(b3.at).to.be.below(a1Retry.at);
    expect(await server.receiveAll(queueUrl, { min: 0, timeoutMs: 100 })).to.have.length(0);
  });

  it('accounts for every message when handlers return each status, throw, or hang past the deadline margin', async () => {
    const queueUrl = await server.createQueue({ name: 'lambda-accounting', attributes: { VisibilityTimeout: '30' } });
    const appDlq = await server.createQueue({ name: 'lambda-accounting-dlq' });
    const hung: string[] = [];
    const subscriber = new Scripted((subject, context) => {
      const first = context.receiveCount === 1;
      switch (subject.replace(/-\d+$/, '')) {
        case 'done':
          return ProcessStatus.DONE;
        case 'retry-later':
          return first ? ProcessStatus.RETRY_LATER : ProcessStatus.DONE;
        case 'retriable':
          return first ? ProcessStatus.RETRIABLE_ERROR : undefined;
        case 'fatal':
          return ProcessStatus.FATAL_ERROR;
        case 'throws':
          throw new TypeError('a bug in the subscriber');
        case 'hangs':
          // Ignores its signal and never settles: only the deadline margin can give the record back.
          if (!first) return undefined;
          hung.push(context.messageId);
          return new Promise<void>(() => undefined);
        default:
          throw new Error(`unscripted ${subject}`);
      }
    });
    const { handler, lines } = handlerFor(queueUrl, subscriber, { deadLetterQueueUrl: appDlq, deadlineMarginMs: 1_000 });
    const subjects = ['done-1', 'retry-later-1', 'retriable-1', 'fatal-1', 'throws-1', 'hangs-1', 'done-2', 'retry-later-2', 'retriable-2', 'hangs-2'];
    const ids = await send(queueUrl, subjects);
    const sent = new Set(ids.values());
    const idsOf = (...names: string[]) => names.map((n) => ids.get(n)).sort();
    const mapping = new EventSourceMapping({ sqs: server.sqs, queueUrl, batchSize: 10, visibilityTimeoutSeconds: 30, functionTimeoutMs: 3_000 });

    const first = (await mapping.invokeOnce(handler))!;
    expect(first.event.Records).to.have.length(10);
    // The function's 3 s timeout was not reached: the handler gave the hung records up 1 s before it.
    expect(first.outcome).to.equal('returned');
    expect(hung.sort()).to.deep.equal(idsOf('hangs-1', 'hangs-2'));
    expect(first.left.sort()).to.deep.equal(idsOf('retry-later-1', 'retry-later-2', 'retriable-1', 'retriable-2', 'hangs-1', 'hangs-2'));
    expect(first.deleted.sort()).to.deep.equal(idsOf('done-1', 'done-2', 'fatal-1', 'throws-1'));
    expect(lines.filter((l) => l.msg.includes('timed out')).map((l) => l.fields.messageId).sort()).to.deep.equal(hung);

    // The six left come back after their 1 s retry delay and succeed.
    await mapping.runUntil(handler, () => subscriber.seen.filter((s) => s.receiveCount === 2).length === 6, { timeoutMs: 6_000, idleMs: 20 });
    expect(await server.receiveAll(queueUrl, { min: 0, timeoutMs: 100 })).to.have.length(0);

    const deadLettered = await server.receiveAll(appDlq, { min: 2, timeoutMs: 2_000 });
    const dlqSources = deadLettered.map((m) => m.MessageAttributes?.[DEAD_LETTER_ATTRIBUTES.sourceMessageId]?.StringValue);
    expect(dlqSources.sort()).to.deep.equal(idsOf('fatal-1', 'throws-1'));
    for (const m of deadLettered) expect(m.MessageAttributes?.[DEAD_LETTER_ATTRIBUTES.sourceQueue]?.StringValue).to.equal(queueUrl);
    // Every id sent ended processed (its last delivery succeeded) or dead-lettered, none twice for good.
    const processed = subscriber.seen.filter((s) => !/^(fatal|throws)/.test(s.subject) && (s.receiveCount === 2 || /^done/.test(s.subject)));
    expect(processed).to.have.length(8);
    expect(new Set([...processed.map((s) => s.messageId), ...dlqSources])).to.deep.equal(sent);
  });

  it('runs a batch larger than 10 records at once without a MaxListenersExceededWarning', async () => {
    const queueUrl = await server.createQueue({ name: 'lambda-wide' });
    const subscriber = new Scripted();
    const { handler } = handlerFor(queueUrl, subscriber);
    const subjects = Array.from({ length: 25 }, (_, i) => `wide-${i}`);
    await send(queueUrl, subjects);
    const warnings: string[] = [];
    const onWarning = (w: Error) => void warnings.push(w.name);
    process.on('warning', onWarning);
    try {
      const mapping = new EventSourceMapping({ sqs: server.sqs, queueUrl, batchSize: 25, visibilityTimeoutSeconds: 30, functionTimeoutMs: 5_000 });
      const inv = await mapping.invokeOnce(handler);
      expect(inv?.deleted).to.have.length(25);
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings).to.not.include('MaxListenersExceededWarning');
  });

  it('decodes SNS-wrapped bodies as raw ones: same payload, the envelope attributes in the context', async () => {
    const topicArn = await server.createTopic('lambda-sns');
    const enveloped = await server.createQueue({ name: 'lambda-sns-envelope' });
    const raw = await server.createQueue({ name: 'lambda-sns-raw' });
    await server.subscribe(topicArn, enveloped, { raw: false });
    await server.subscribe(topicArn, raw, { raw: true });
    const attrs: Record<string, MessageAttributeValue> = { tenant: { DataType: 'String', StringValue: 'acme' } };
    await server.sns.send(new PublishCommand({ TopicArn: topicArn, Message: body('via-sns'), MessageAttributes: attrs }));

    const seenBy = async (queueUrl: string) => {
      const subscriber = new Scripted();
      const { handler } = handlerFor(queueUrl, subscriber);
      const mapping = new EventSourceMapping({ sqs: server.sqs, queueUrl, visibilityTimeoutSeconds: 30, functionTimeoutMs: 5_000 });
      const [inv] = await mapping.runUntil(handler, () => subscriber.seen.length === 1, { timeoutMs: 3_000, idleMs: 20 });
      expect(inv?.deleted).to.have.length(1);
      return { seen: subscriber.seen[0] as Seen, record: inv!.event.Records[0]! };
    };
    const viaEnvelope = await seenBy(enveloped);
    const viaRaw = await seenBy(raw);
    expect(JSON.parse(viaEnvelope.record.body)).to.include({ Type: 'Notification', TopicArn: topicArn });
    expect(viaEnvelope.seen.payload).to.deep.equal(viaRaw.seen.payload);
    expect(viaEnvelope.seen.payload.event.subject).to.equal('via-sns');
    expect(viaEnvelope.seen.attributes).to.include({ tenant: 'acme' });
    expect(viaRaw.seen.attributes).to.include({ tenant: 'acme' });
  });
});
