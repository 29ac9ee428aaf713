import { SendMessageCommand, type Message, type MessageAttributeValue, type SQSClient } from '@aws-sdk/client-sqs';
import type { DispatchOutcome } from '../dispatch/outcome.js';
import { cutToBytes, escapeForSqsText } from '../codec/sqs-text.js';
import { MAX_MESSAGE_ATTRIBUTES, SQS_MAX_MESSAGE_BYTES } from '../aws/limits.js';
import { attributeBytes, utf8Length } from '../aws/attribute-size.js';
import { timeoutOptions } from '../aws/request-timeout.js';

/** Names of the message attributes a dead-lettered copy carries. */
export const DEAD_LETTER_ATTRIBUTES = {
  reason: 'sqs-mega.reason',
  error: 'sqs-mega.error',
  sourceQueue: 'sqs-mega.source-queue',
  subscribers: 'sqs-mega.subscribers',
  sourceMessageId: 'sqs-mega.source-message-id',
} as const;

const OUR_NAMES: ReadonlySet<string> = new Set(Object.values(DEAD_LETTER_ATTRIBUTES));
const MAX_DIAGNOSTIC_BYTES = 1024;
const STRING = 'String';

/**
 * Copies a message the listener is about to delete (FATAL_ERROR, invalid body) to a dead-letter queue,
 * with why as message attributes. The body goes unchanged; the publisher's own attributes ride along
 * as far as SQS's limit of 10 leaves room.
 */
export class DeadLetterQueue {
  constructor(
    private readonly client: SQSClient,
    readonly queueUrl: string,
    private readonly sourceQueueUrl: string,
  ) {}

  /** Sends the copy; resolves with its message id, rejects when SQS did not take it. */
  async send(message: Message, outcome: DispatchOutcome): Promise<string | undefined> {
    const response = await this.client.send(
      new SendMessageCommand({
        QueueUrl: this.queueUrl,
        MessageBody: message.Body ?? '',
        MessageAttributes: deadLetterAttributes(message, outcome, this.sourceQueueUrl),
        ...(this.queueUrl.endsWith('.fifo')
          ? { MessageGroupId: message.Attributes?.MessageGroupId ?? 'sqs-mega-dead-letter', MessageDeduplicationId: message.MessageId }
          : {}),
      }),
      timeoutOptions(),
    );
    return response.MessageId;
  }
}

/**
 * The attributes that say why a message was dead-lettered, then as many of its own as fit. SQS counts
 * the body and every attribute's name, type and value against its 1 MiB, so the copy of a large body
 * would be refused: the publisher's own attributes (which fitted beside this body when it was sent)
 * keep their room, and the diagnostics take what is left, most useful first, the error and subscriber
 * list shortened and the others dropped when they do not fit. Their text is escaped where SQS would
 * refuse a character, since an attribute value has the same character rules as a body.
 */
export function deadLetterAttributes(message: Message, outcome: DispatchOutcome, sourceQueueUrl: string): Record<string, MessageAttributeValue> {
  const wanted = diagnostics(message, outcome, sourceQueueUrl);
  const originals = Object.entries(message.MessageAttributes ?? {}).filter(([name, value]) => value !== undefined && !OUR_NAMES.has(name));
  let left = SQS_MAX_MESSAGE_BYTES - utf8Length(message.Body ?? '');
  let forDiagnostics = left;
  for (const [name, value] of originals.slice(0, MAX_MESSAGE_ATTRIBUTES - wanted.length)) forDiagnostics -= attributeBytes(name, value);

  const attributes: Record<string, MessageAttributeValue> = {};
  for (const { name, text, shorten } of wanted) {
    const overhead = utf8Length(name) + STRING.length;
    const value = shorten ? cutToBytes(text, Math.min(MAX_DIAGNOSTIC_BYTES, forDiagnostics - overhead)) : text;
    const bytes = overhead + utf8Length(value);
    if (value === '' || bytes > forDiagnostics) continue;
    attributes[name] = { DataType: STRING, StringValue: value };
    forDiagnostics -= bytes;
    left -= bytes;
  }
  for (const [name, value] of originals) {
    if (Object.keys(attributes).length >= MAX_MESSAGE_ATTRIBUTES) break;
    const bytes = attributeBytes(name, value);
    if (bytes > left) continue;
    attributes[name] = value;
    left -= bytes;
  }
  return attributes;
}

/** The diagnostics in the order they are kept when room runs short. */
function diagnostics(message: Message, outcome: DispatchOutcome, sourceQueueUrl: string): { name: string; text: string; shorten: boolean }[] {
  const error = firstError(outcome);
  const subscribers = outcome.results.map((r) => `${r.subscriber}:${r.status}`).join(',');
  const all = [
    { name: DEAD_LETTER_ATTRIBUTES.reason, text: outcome.decision.reason, shorten: false },
    { name: DEAD_LETTER_ATTRIBUTES.error, text: error ? `${error.name}: ${error.message}` : '', shorten: true },
    { name: DEAD_LETTER_ATTRIBUTES.sourceMessageId, text: message.MessageId ?? '', shorten: false },
    { name: DEAD_LETTER_ATTRIBUTES.sourceQueue, text: sourceQueueUrl, shorten: false },
    { name: DEAD_LETTER_ATTRIBUTES.subscribers, text: subscribers, shorten: true },
  ];
  return all.filter((d) => d.text !== '').map((d) => ({ ...d, text: escapeForSqsText(d.text) }));
}

function firstError(outcome: DispatchOutcome): Error | undefined {
  if (outcome.decoded.kind === 'invalid') return outcome.decoded.error;
  return outcome.results.find((r) => r.error !== undefined)?.error;
}
