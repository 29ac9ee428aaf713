import { SendMessageBatchCommand, SendMessageCommand, type SendMessageBatchRequestEntry, type SQSClient } from '@aws-sdk/client-sqs';
import { packBatches, runBatches, toPublishError, type PublishBatchResult, type SendBatch } from './batch.js';
import { finishBatch, prepareBatch, resolveSendOptions, type BatchEntryOptions, type BatchSendOptions } from './batch-prepare.js';
import { createSqsClient, localEndpointFor, type AwsClientOptions } from '../aws/clients.js';
import { queueUrlProblem } from '../aws/queue-url.js';
import { MAX_BATCH_ENTRIES, SQS_MAX_BATCH_BYTES, SQS_MAX_MESSAGE_BYTES } from '../aws/limits.js';
import { mapMessageAttributes, type MessageAttributes } from './publish-attributes.js';
import { PublisherOptionsError } from './publish-errors.js';
import { checkBinaryEncoding, checkDelaySeconds, checkFifoId, prepareMessage, type PreparedMessage, type PublishPayload, type SizeLimit } from './publish-message.js';
import { batchResponse, checkClientOptions, publishResult, type PublishResult } from './publish-result.js';
import { checkRequestTimeout, sendWithin } from './publish-timeout.js';
import { offloaderFor, uploadFirst, uploadingFirst } from './publish-offload.js';
import type { LargePayloadPublishOptions } from '../large-payloads/options.js';
import { traceBatch, traceSend, type CarrierLimits } from '../telemetry/publish-trace.js';

export interface SqsPublisherOptions extends AwsClientOptions {
  /** The queue messages go to unless a call names another. */
  queueUrl: string;
  /** A ready SQS client; when given, region/endpoint/credentials must not be. */
  client?: SQSClient;
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

export interface SqsPublishOptions {
  /** Objects as base64 BSON instead of JSON. */
  binaryEncoding?: boolean;
  /** Send to this queue instead of the publisher's. */
  queueUrl?: string;
  /** 0 to 900; not allowed on FIFO queues (set the delay on the queue instead). */
  delaySeconds?: number;
  messageAttributes?: MessageAttributes;
  /** Required for FIFO queues. */
  messageGroupId?: string;
  /** FIFO queues without content-based deduplication need one. */
  messageDeduplicationId?: string;
}

export interface SqsPublishBatchOptions
  extends Omit<SqsPublishOptions, keyof BatchEntryOptions>,
    BatchEntryOptions,
    BatchSendOptions {}

const SQS_SIZE: SizeLimit = { limit: SQS_MAX_MESSAGE_BYTES, service: 'SQS' };
const SQS_CARRIER: CarrierLimits = { maxBytes: SQS_MAX_MESSAGE_BYTES, xray: true };
// Batch entry ids are the positions in the request.
const ENTRY_IDS = Array.from({ length: MAX_BATCH_ENTRIES }, (_, i) => String(i));

/** Publishes MEGA payloads, data objects, text and bytes to an SQS queue. */
export class SqsPublisher {
  readonly queueUrl: string;
  readonly client: SQSClient;
  private readonly requestTimeoutMs: number;
  readonly #size: SizeLimit;

  constructor(options: SqsPublisherOptions) {
    checkClientOptions(options, 'SqsPublisher');
    this.queueUrl = checkQueueUrl(options.queueUrl, 'queueUrl');
    this.requestTimeoutMs = checkRequestTimeout(options.requestTimeoutMs);
    const { client, queueUrl, requestTimeoutMs: _requestTimeoutMs, routingAttributes, largePayloads, ...aws } = options;
    const offloader = offloaderFor(largePayloads, SQS_MAX_MESSAGE_BYTES, { ...aws, endpoint: aws.endpoint ?? localEndpointFor(queueUrl) });
    this.#size = { ...SQS_SIZE, routingAttributes: routingAttributes !== false, offloader };
    this.client = client ?? createSqsClient({ ...aws, endpoint: aws.endpoint ?? localEndpointFor(queueUrl) });
  }

  /** Sends one message; fails before sending when it is invalid or over 1 MiB with its attributes. */
  async publish(payload: PublishPayload, options: SqsPublishOptions = {}): Promise<PublishResult> {
    const queueUrl = this.checkCall(options);
    checkFifoId(options.messageGroupId, 'messageGroupId');
    checkFifoId(options.messageDeduplicationId, 'messageDeduplicationId');
    checkFifoTarget(queueUrl, options.messageGroupId);
    const attributes = mapMessageAttributes(options.messageAttributes);
    const message = prepareMessage(payload, 0, options.binaryEncoding === true, attributes, this.#size);
    await uploadFirst(this.#size.offloader, message);
    return traceSend(queueUrl, message, SQS_CARRIER, async () => {
      const command = new SendMessageCommand({
        QueueUrl: queueUrl,
        MessageBody: message.body,
        DelaySeconds: options.delaySeconds,
        MessageAttributes: message.attributes,
        MessageSystemAttributes: traceHeaderAttribute(message.traceHeader),
        MessageGroupId: options.messageGroupId,
        MessageDeduplicationId: options.messageDeduplicationId,
      });
      try {
        const out = await sendWithin(this.requestTimeoutMs, `SendMessage to ${queueUrl}`, (abortSignal) => this.client.send(command, { abortSignal }));
        return publishResult(out.MessageId, out.SequenceNumber);
      } catch (error) {
        throw toPublishError(error, `SendMessage to ${queueUrl}`);
      }
    });
  }

  /**
   * Sends any number of payloads in SendMessageBatch requests (10 entries, 1 MiB each), a few at a time.
   * Transient failures are retried; the result has one entry per payload, in input order. On a FIFO
   * queue requests go one at a time, in input order; an entry retried after a transient failure lands
   * after the entries of its request that went through.
   */
  async publishBatch(payloads: readonly PublishPayload[], options: SqsPublishBatchOptions = {}): Promise<PublishBatchResult> {
    const queueUrl = this.checkCall(options);
    const fifo = isFifoQueue(queueUrl);
    const send = resolveSendOptions(options, fifo);
    const { nextMessage, results } = prepareBatch(payloads, options, this.#size, (groupId) => checkFifoTarget(queueUrl, groupId));
    const trace = await traceBatch(queueUrl, payloads.length, SQS_CARRIER);
    const delay = options.delaySeconds;
    const sendBatch: SendBatch = uploadingFirst(this.#size.offloader, async (entries) => {
      const command = new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries.map((m, i) => batchEntry(ENTRY_IDS[i], m, delay)) });
      const out = await sendWithin(this.requestTimeoutMs, `SendMessageBatch to ${queueUrl}`, (abortSignal) => this.client.send(command, { abortSignal }));
      return batchResponse(out.Successful, out.Failed);
    });
    try {
      await trace.within(() => runBatches(packBatches(trace.messages(nextMessage), MAX_BATCH_ENTRIES, SQS_MAX_BATCH_BYTES), sendBatch, results, send));
    } finally {
      trace.end(results);
    }
    return finishBatch(results);
  }

  private checkCall(options: Pick<SqsPublishOptions, 'queueUrl' | 'binaryEncoding' | 'delaySeconds'>): string {
    if (options === null || typeof options !== 'object') throw new PublisherOptionsError('publish options must be an object', 'options');
    const queueUrl = options.queueUrl === undefined ? this.queueUrl : checkQueueUrl(options.queueUrl, 'queueUrl');
    checkBinaryEncoding(options.binaryEncoding);
    checkDelaySeconds(options.delaySeconds);
    if (isFifoQueue(queueUrl) && options.delaySeconds !== undefined && options.delaySeconds !== 0) {
      throw new PublisherOptionsError('delaySeconds is not supported per message on a FIFO queue; set DelaySeconds on the queue', 'delaySeconds');
    }
    return queueUrl;
  }
}

type BatchRequestEntry = SendMessageBatchRequestEntry;

/** Only the fields that are set: the SDK walks every key of every entry it serialises. */
function batchEntry(id: string | undefined, m: PreparedMessage, delay: number | undefined): BatchRequestEntry {
  const entry: BatchRequestEntry = { Id: id, MessageBody: m.body };
  if (delay !== undefined) entry.DelaySeconds = delay;
  if (m.attributes !== undefined) entry.MessageAttributes = m.attributes;
  if (m.groupId !== undefined) entry.MessageGroupId = m.groupId;
  if (m.deduplicationId !== undefined) entry.MessageDeduplicationId = m.deduplicationId;
  if (m.traceHeader !== undefined) entry.MessageSystemAttributes = traceHeaderAttribute(m.traceHeader);
  return entry;
}

/** The X-Ray trace header, when the trace context had no room among the message attributes. */
function traceHeaderAttribute(header: string | undefined): SendMessageBatchRequestEntry['MessageSystemAttributes'] {
  return header === undefined ? undefined : { AWSTraceHeader: { DataType: 'String', StringValue: header } };
}

function checkQueueUrl(value: unknown, option: string): string {
  if (typeof value !== 'string' || value === '') {
    throw new PublisherOptionsError(`${option} is required: the URL of the SQS queue (https://sqs.<region>.amazonaws.com/<account>/<name>)`, option);
  }
  const problem = queueUrlProblem(value);
  if (problem !== undefined) throw new PublisherOptionsError(`${option} is not a queue URL (${problem}): ${JSON.stringify(value)}`, option);
  return value;
}

function isFifoQueue(queueUrl: string): boolean {
  return queueUrl.endsWith('.fifo');
}

function checkFifoTarget(queueUrl: string, groupId: string | undefined): void {
  if (isFifoQueue(queueUrl) && groupId === undefined) {
    throw new PublisherOptionsError(`messageGroupId is required for the FIFO queue ${queueUrl}`, 'messageGroupId');
  }
}
