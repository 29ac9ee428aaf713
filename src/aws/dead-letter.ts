import { SendMessageCommand, type Message, type MessageAttributeValue, type SQSClient } from '@aws-sdk/client-sqs';
import type { DispatchOutcome } from '../dispatch/outcome.js';
import { truncate } from './logger.js';
import { timeoutOptions } from './request-timeout.js';

/** Names of the message attributes a dead-lettered copy carries. */
export const DEAD_LETTER_ATTRIBUTES = {
  reason: 'sqs-mega.reason',
  error: 'sqs-mega.error',
  sourceQueue: 'sqs-mega.source-queue',
  subscribers: 'sqs-mega.subscribers',
  sourceMessageId: 'sqs-mega.source-message-id',
} as const;

const SQS_MAX_ATTRIBUTES = 10;
const MAX_ERROR_CHARS = 1024;

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

/** The attributes that say why a message was dead-lettered, then as many of its own as fit. */
export function deadLetterAttributes(message: Message, outcome: DispatchOutcome, sourceQueueUrl: string): Record<string, MessageAttributeValue> {
  const error = firstError(outcome);
  const subscribers = outcome.results.map((r) => `${r.subscriber}:${r.status}`).join(',');
  const ours: Record<string, string> = {
    [DEAD_LETTER_ATTRIBUTES.reason]: outcome.decision.reason,
    [DEAD_LETTER_ATTRIBUTES.sourceQueue]: sourceQueueUrl,
  };
  if (error) ours[DEAD_LETTER_ATTRIBUTES.error] = truncate(`${error.name}: ${error.message}`, MAX_ERROR_CHARS);
  if (subscribers) ours[DEAD_LETTER_ATTRIBUTES.subscribers] = truncate(subscribers, MAX_ERROR_CHARS);
  if (message.MessageId) ours[DEAD_LETTER_ATTRIBUTES.sourceMessageId] = message.MessageId;

  const attributes: Record<string, MessageAttributeValue> = {};
  for (const [name, value] of Object.entries(ours)) attributes[name] = { DataType: 'String', StringValue: value };
  for (const [name, value] of Object.entries(message.MessageAttributes ?? {})) {
    if (Object.keys(attributes).length >= SQS_MAX_ATTRIBUTES) break;
    if (!(name in attributes)) attributes[name] = value;
  }
  return attributes;
}

function firstError(outcome: DispatchOutcome): Error | undefined {
  if (outcome.decoded.kind === 'invalid') return outcome.decoded.error;
  return outcome.results.find((r) => r.error !== undefined)?.error;
}
