import { PublishBatchCommand, PublishCommand, type PublishBatchRequestEntry, type SNSClient } from '@aws-sdk/client-sns';
import { packBatches, runBatches, toPublishError, type PublishBatchResult, type SendBatch } from './batch.js';
import { finishBatch, prepareBatch, resolveSendOptions, type BatchEntryOptions, type BatchSendOptions } from './batch-prepare.js';
import { createSnsClient, type AwsClientOptions } from '../aws/clients.js';
import { MAX_BATCH_ENTRIES, MAX_SUBJECT_LENGTH, SNS_MAX_BATCH_BYTES, SNS_MAX_MESSAGE_BYTES } from '../aws/limits.js';
import { mapMessageAttributes, type MessageAttributes } from './publish-attributes.js';
import { PublisherOptionsError } from './publish-errors.js';
import { checkBinaryEncoding, checkFifoId, prepareMessage, type PreparedMessage, type PublishPayload, type SizeLimit } from './publish-message.js';
import { batchResponse, checkClientOptions, publishResult, type PublishResult } from './publish-result.js';
import { checkRequestTimeout, sendWithin } from './publish-timeout.js';
import { offloaderFor, uploadFirst, uploadingFirst } from './publish-offload.js';
import type { LargePayloadPublishOptions } from '../large-payloads/options.js';
import { traceBatch, traceSend, type CarrierLimits } from '../telemetry/publish-trace.js';

export interface SnsPublisherOptions extends AwsClientOptions {
  /** The topic messages go to unless a call names another. */
  topicArn: string;
  /** A ready SNS client; when given, region/endpoint/credentials must not be. */
  client?: SNSClient;
  /**
   * Longest one request may take, the SDK's own retries included, before it is abandoned with a
   * PublishTimeoutError (default 20000 ms, a whole number from 1). Applies to a given client too.
   */
  requestTimeoutMs?: number;
  /** Write the MEGA routing attributes (mega.name, mega.domain, mega.version) on MEGA payloads; default true. */
  routingAttributes?: boolean;
  /**
   * Payloads past the threshold go to S3 and the message carries a pointer, in the format of AWS's
   * Extended Client libraries (docs/large-payloads.md). Needs @aws-sdk/client-s3 installed.
   */
  largePayloads?: LargePayloadPublishOptions;
}

export interface SnsPublishOptions {
  /** Objects as base64 BSON instead of JSON. */
  binaryEncoding?: boolean;
  /** Publish to this topic instead of the publisher's. */
  topicArn?: string;
  /** The notification's subject (email subscribers and the SNS envelope see it). */
  subject?: string;
  messageAttributes?: MessageAttributes;
  /** Required for FIFO topics. */
  messageGroupId?: string;
  /** FIFO topics without content-based deduplication need one. */
  messageDeduplicationId?: string;
}

export interface SnsPublishBatchOptions
  extends Omit<SnsPublishOptions, keyof BatchEntryOptions>,
    BatchEntryOptions,
    BatchSendOptions {}

const SNS_SIZE: SizeLimit = { limit: SNS_MAX_MESSAGE_BYTES, service: 'SNS' };
const SNS_CARRIER: CarrierLimits = { maxBytes: SNS_MAX_MESSAGE_BYTES, xray: false };
const ENTRY_IDS = Array.from({ length: MAX_BATCH_ENTRIES }, (_, i) => String(i));
// arn:<partition>:sns:<region>:<account>:<topic name>
const TOPIC_ARN = /^arn:[a-z-]+:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?$/;
// AWS: ASCII, starting with a letter, digit or punctuation, no line breaks or control characters.
const SUBJECT = /^[\x21-\x7E][\x20-\x7E]*$/;

/** Publishes MEGA payloads, data objects, text and bytes to an SNS topic. */
export class SnsPublisher {
  readonly topicArn: string;
  readonly client: SNSClient;
  private readonly requestTimeoutMs: number;
  readonly #size: SizeLimit;

  constructor(options: SnsPublisherOptions) {
    checkClientOptions(options, 'SnsPublisher');
    this.topicArn = checkTopicArn(options.topicArn);
    this.requestTimeoutMs = checkRequestTimeout(options.requestTimeoutMs);
    const { client, topicArn: _topicArn, requestTimeoutMs: _requestTimeoutMs, routingAttributes, largePayloads, ...aws } = options;
    this.#size = { ...SNS_SIZE, routingAttributes: routingAttributes !== false, offloader: offloaderFor(largePayloads, SNS_MAX_MESSAGE_BYTES, aws) };
    this.client = client ?? createSnsClient(aws);
  }

  /** Publishes one message; fails before sending when it is invalid or over 256 KiB with its attributes. */
  async publish(payload: PublishPayload, options: SnsPublishOptions = {}): Promise<PublishResult> {
    const topicArn = this.checkCall(options);
    checkFifoId(options.messageGroupId, 'messageGroupId');
    checkFifoId(options.messageDeduplicationId, 'messageDeduplicationId');
    checkFifoTarget(topicArn, options.messageGroupId);
    const attributes = mapMessageAttributes(options.messageAttributes);
    const message = prepareMessage(payload, 0, options.binaryEncoding === true, attributes, this.#size);
    await uploadFirst(this.#size.offloader, message);
    return traceSend(topicArn, message, SNS_CARRIER, async () => {
      const command = new PublishCommand({
        TopicArn: topicArn,
        Message: message.body,
        Subject: options.subject,
        MessageAttributes: message.attributes,
        MessageGroupId: options.messageGroupId,
        MessageDeduplicationId: options.messageDeduplicationId,
      });
      try {
        const out = await sendWithin(this.requestTimeoutMs, `Publish to ${topicArn}`, (abortSignal) => this.client.send(command, { abortSignal }));
        return publishResult(out.MessageId, out.SequenceNumber);
      } catch (error) {
        throw toPublishError(error, `Publish to ${topicArn}`);
      }
    });
  }

  /**
   * Publishes any number of payloads in PublishBatch requests (10 entries, 256 KiB each), a few at a
   * time. Transient failures are retried; the result has one entry per payload, in input order.
   */
  async publishBatch(payloads: readonly PublishPayload[], options: SnsPublishBatchOptions = {}): Promise<PublishBatchResult> {
    const topicArn = this.checkCall(options);
    const send = resolveSendOptions(options, isFifoTopic(topicArn));
    const { nextMessage, results } = prepareBatch(payloads, options, this.#size, (groupId) => checkFifoTarget(topicArn, groupId));
    const trace = await traceBatch(topicArn, payloads.length, SNS_CARRIER);
    const subject = options.subject;
    const sendBatch: SendBatch = uploadingFirst(this.#size.offloader, async (entries) => {
      const command = new PublishBatchCommand({ TopicArn: topicArn, PublishBatchRequestEntries: entries.map((m, i) => batchEntry(ENTRY_IDS[i], m, subject)) });
      const out = await sendWithin(this.requestTimeoutMs, `PublishBatch to ${topicArn}`, (abortSignal) => this.client.send(command, { abortSignal }));
      return batchResponse(out.Successful, out.Failed);
    });
    try {
      await trace.within(() => runBatches(packBatches(trace.messages(nextMessage), MAX_BATCH_ENTRIES, SNS_MAX_BATCH_BYTES), sendBatch, results, send));
    } finally {
      trace.end(results);
    }
    return finishBatch(results);
  }

  private checkCall(options: Pick<SnsPublishOptions, 'topicArn' | 'binaryEncoding' | 'subject'>): string {
    if (options === null || typeof options !== 'object') throw new PublisherOptionsError('publish options must be an object', 'options');
    const topicArn = options.topicArn === undefined ? this.topicArn : checkTopicArn(options.topicArn);
    checkBinaryEncoding(options.binaryEncoding);
    const subject = options.subject;
    if (subject !== undefined && (typeof subject !== 'string' || subject.length > MAX_SUBJECT_LENGTH || !SUBJECT.test(subject))) {
      throw new PublisherOptionsError(
        `subject must be 1 to ${MAX_SUBJECT_LENGTH} printable ASCII characters, starting with a non-space, without line breaks; got ${JSON.stringify(subject)}`,
        'subject',
      );
    }
    return topicArn;
  }
}

/** Only the fields that are set: the SDK walks every key of every entry it serialises. */
function batchEntry(id: string | undefined, m: PreparedMessage, subject: string | undefined): PublishBatchRequestEntry {
  const entry: PublishBatchRequestEntry = { Id: id, Message: m.body };
  if (subject !== undefined) entry.Subject = subject;
  if (m.attributes !== undefined) entry.MessageAttributes = m.attributes;
  if (m.groupId !== undefined) entry.MessageGroupId = m.groupId;
  if (m.deduplicationId !== undefined) entry.MessageDeduplicationId = m.deduplicationId;
  return entry;
}

function checkTopicArn(value: unknown): string {
  if (typeof value !== 'string' || value === '') {
    throw new PublisherOptionsError('topicArn is required: the ARN of the SNS topic (arn:aws:sns:<region>:<account>:<name>)', 'topicArn');
  }
  if (!TOPIC_ARN.test(value)) throw new PublisherOptionsError(`topicArn is not an SNS topic ARN: ${JSON.stringify(value)}`, 'topicArn');
  return value;
}

function isFifoTopic(topicArn: string): boolean {
  return topicArn.endsWith('.fifo');
}

function checkFifoTarget(topicArn: string, groupId: string | undefined): void {
  if (isFifoTopic(topicArn) && groupId === undefined) {
    throw new PublisherOptionsError(`messageGroupId is required for the FIFO topic ${topicArn}`, 'messageGroupId');
  }
}
