import type { Message, MessageAttributeValue } from '@aws-sdk/client-sqs';
import { expect } from 'chai';
import { DEAD_LETTER_ATTRIBUTES, DeadLetterQueue, deadLetterAttributes } from '../../src/consume/dead-letter.js';
import type { DispatchOutcome } from '../../src/dispatch/outcome.js';
import { ProcessStatus } from '../../src/dispatch/status.js';
import { SQS_MAX_MESSAGE_BYTES } from '../../src/aws/limits.js';
import { attributeBytes } from '../../src/aws/attribute-size.js';
import { fakeSqs } from '../listener/listener-fakes.js';

/** The size SQS counts: body plus every attribute's name, type and value. */
const sqsSize = (body: string, attributes: Record<string, MessageAttributeValue>) =>
  Buffer.byteLength(body) + Object.entries(attributes).reduce((sum, [name, value]) => sum + attributeBytes(name, value), 0);
const SQS_ALLOWED = /^[\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]*$/u;

const fatal = (message = 'kaput'): DispatchOutcome => ({
  decoded: { kind: 'data', encoding: 'json', payload: { a: 1 } },
  results: [
    { subscriber: 'A', status: ProcessStatus.DONE, durationMs: 1 },
    { subscriber: 'B', status: ProcessStatus.FATAL_ERROR, error: new RangeError(message), durationMs: 2 },
  ],
  decision: { action: 'delete', deadLetter: true, reason: 'fatal' },
});

describe('consume/dead-letter', () => {
  it('describes why: reason, truncated error, source queue, subscribers and source message id', () => {
    const message: Message = { MessageId: 'm1', Body: '{"a":1}' };
    const attrs = deadLetterAttributes(message, fatal('x'.repeat(5000)), 'http://src');
    expect(attrs[DEAD_LETTER_ATTRIBUTES.reason]).to.deep.equal({ DataType: 'String', StringValue: 'fatal' });
    expect(attrs[DEAD_LETTER_ATTRIBUTES.sourceQueue]?.StringValue).to.equal('http://src');
    expect(attrs[DEAD_LETTER_ATTRIBUTES.subscribers]?.StringValue).to.equal('A:DONE,B:FATAL_ERROR');
    expect(attrs[DEAD_LETTER_ATTRIBUTES.sourceMessageId]?.StringValue).to.equal('m1');
    const error = attrs[DEAD_LETTER_ATTRIBUTES.error]?.StringValue ?? '';
    expect(error.startsWith('RangeError: xxx')).to.equal(true);
    expect(error.length).to.be.below(1200);
  });

  it('uses the decode error for invalid bodies and keeps original attributes within the SQS limit of 10', () => {
    const original: Message['MessageAttributes'] = {};
    for (let i = 0; i < 12; i += 1) original[`a${i}`] = { DataType: 'String', StringValue: String(i) };
    const outcome: DispatchOutcome = {
      decoded: { kind: 'invalid', encoding: 'json', error: new Error('no event name'), body: '{}' },
      results: [],
      decision: { action: 'delete', deadLetter: true, reason: 'invalid' },
    };
    const attrs = deadLetterAttributes({ MessageId: 'm', MessageAttributes: original }, outcome, 'src');
    expect(Object.keys(attrs)).to.have.length(10);
    expect(attrs[DEAD_LETTER_ATTRIBUTES.error]?.StringValue).to.equal('Error: no event name');
    expect(attrs.a0?.StringValue).to.equal('0');
    expect(attrs[DEAD_LETTER_ATTRIBUTES.subscribers]).to.equal(undefined);
  });

  it('fits the diagnostics beside a body near 1 MiB: reason and a shortened error kept, the rest dropped', () => {
    const body = 'b'.repeat(1_048_499);
    const attrs = deadLetterAttributes({ MessageId: 'm1', Body: body }, fatal('x'.repeat(5000)), 'http://src');
    expect(sqsSize(body, attrs)).to.be.at.most(SQS_MAX_MESSAGE_BYTES);
    expect(attrs[DEAD_LETTER_ATTRIBUTES.reason]?.StringValue).to.equal('fatal');
    expect(attrs[DEAD_LETTER_ATTRIBUTES.error]?.StringValue).to.match(/^RangeError: x+\.\.\.$/);
    expect(attrs[DEAD_LETTER_ATTRIBUTES.sourceQueue]).to.equal(undefined);
  });

  it('leaves the publisher\'s own attributes their room, and sends no diagnostics when none fit', () => {
    const tenant = { DataType: 'String', StringValue: 't'.repeat(60) };
    const body = 'b'.repeat(SQS_MAX_MESSAGE_BYTES - attributeBytes('tenant', tenant));
    const attrs = deadLetterAttributes({ MessageId: 'm1', Body: body, MessageAttributes: { tenant } }, fatal(), 'http://src');
    expect(attrs).to.deep.equal({ tenant });
  });

  it('escapes characters SQS refuses and never cuts a surrogate pair in half', () => {
    const message = `bad\u0000\u001B\uFFFE\uD800 ${'😀'.repeat(600)}`;
    const attrs = deadLetterAttributes({ MessageId: 'm1', Body: '{}' }, fatal(message), 'http://src');
    const error = attrs[DEAD_LETTER_ATTRIBUTES.error]?.StringValue ?? '';
    expect(error.startsWith('RangeError: bad\\u0000\\u001b\\ufffe\\ud800 😀')).to.equal(true);
    expect(error.endsWith('😀...')).to.equal(true);
    expect(Buffer.byteLength(error)).to.be.at.most(1024);
    for (const value of Object.values(attrs)) expect(SQS_ALLOWED.test(value.StringValue ?? '')).to.equal(true);
  });

  it('sends the body unchanged, with group and dedup ids for a FIFO dead-letter queue', async () => {
    const sqs = fakeSqs({ SendMessageCommand: () => ({ MessageId: 'dlq-1' }) });
    const plain = new DeadLetterQueue(sqs.client, 'http://dlq', 'http://src');
    expect(await plain.send({ MessageId: 'm', Body: 'hello' }, fatal())).to.equal('dlq-1');
    const fifo = new DeadLetterQueue(sqs.client, 'http://dlq.fifo', 'http://src');
    await fifo.send({ MessageId: 'm', Body: 'hello', Attributes: { MessageGroupId: 'g' } }, fatal());
    const [first, second] = sqs.of('SendMessageCommand');
    expect(first?.input).to.deep.include({ QueueUrl: 'http://dlq', MessageBody: 'hello' });
    expect(first?.input.MessageGroupId).to.equal(undefined);
    expect(second?.input).to.deep.include({ MessageGroupId: 'g', MessageDeduplicationId: 'm' });
  });
});
