import type { Message, MessageAttributeValue } from '@aws-sdk/client-sqs';
import { defineOwn } from '../protocol/plain.js';

// The event shapes AWS documents for Lambda's SQS and SNS triggers, reduced to what the handler reads
// (declared here so that users need no @types/aws-lambda; theirs are structurally compatible).

export interface SqsRecordAttribute {
  stringValue?: string;
  binaryValue?: string;
  stringListValues?: string[];
  binaryListValues?: string[];
  dataType: string;
}

/** One record of an SQS event (`eventSource: 'aws:sqs'`). */
export interface SqsRecord {
  messageId: string;
  receiptHandle: string;
  body: string;
  // No index signature: @types/aws-lambda declares these as an interface, which would not fit one.
  attributes: {
    ApproximateReceiveCount?: string;
    SentTimestamp?: string;
    SenderId?: string;
    ApproximateFirstReceiveTimestamp?: string;
    AWSTraceHeader?: string;
    SequenceNumber?: string;
    MessageGroupId?: string;
    MessageDeduplicationId?: string;
    DeadLetterQueueSourceArn?: string;
  };
  messageAttributes: Record<string, SqsRecordAttribute>;
  md5OfBody?: string;
  eventSource: string;
  eventSourceARN: string;
  awsRegion?: string;
}

export interface SqsEvent {
  Records: SqsRecord[];
}

/** One record of an SNS event (`EventSource: 'aws:sns'`). */
export interface SnsRecord {
  EventSource: string;
  EventVersion?: string;
  EventSubscriptionArn?: string;
  Sns: {
    MessageId: string;
    Message: string;
    MessageAttributes?: Record<string, { Type: string; Value: string }>;
    Timestamp?: string;
    TopicArn?: string;
    Subject?: string | null;
    Type?: string;
  };
}

export interface SnsEvent {
  Records: SnsRecord[];
}

/** What the handler reads of Lambda's context object. */
export interface LambdaContext {
  getRemainingTimeInMillis(): number;
  awsRequestId?: string;
}

/** Lambda's partial batch response (the event source mapping needs `ReportBatchItemFailures`). */
export interface SqsBatchResponse {
  batchItemFailures: { itemIdentifier: string }[];
}

/**
 * An SQS record as the SDK's Message, so the shared per-message path reads it as it reads a receive.
 * Its attributes are converted only when read (by a dead-letter copy, a large-payload pointer, a
 * trace or a subscriber), not for every record: most records are deleted without anyone asking.
 */
export function sqsRecordToMessage(record: SqsRecord): Message {
  return new RecordMessage(record);
}

class RecordMessage implements Message {
  readonly MessageId: string;
  readonly ReceiptHandle: string;
  readonly Body: string;
  readonly #record: SqsRecord;
  #attributes: Record<string, string> | undefined;
  #messageAttributes: Record<string, MessageAttributeValue> | undefined;

  constructor(record: SqsRecord) {
    this.MessageId = record.messageId;
    this.ReceiptHandle = record.receiptHandle;
    this.Body = typeof record.body === 'string' ? record.body : '';
    this.#record = record;
  }

  get Attributes(): Record<string, string> {
    return (this.#attributes ??= stringFields(this.#record.attributes));
  }

  get MessageAttributes(): Record<string, MessageAttributeValue> {
    return (this.#messageAttributes ??= sdkAttributes(this.#record.messageAttributes));
  }
}

function sdkAttributes(given: SqsRecord['messageAttributes']): Record<string, MessageAttributeValue> {
  const attributes: Record<string, MessageAttributeValue> = {};
  // for...in over the parsed event: Lambda's JSON.parse made every key (even '__proto__') an own property.
  for (const name in given) {
    const a = given[name];
    if (typeof a !== 'object' || a === null || !Object.hasOwn(given, name)) continue;
    const value: MessageAttributeValue = { DataType: a.dataType };
    if (typeof a.stringValue === 'string') value.StringValue = a.stringValue;
    if (typeof a.binaryValue === 'string') value.BinaryValue = Buffer.from(a.binaryValue, 'base64');
    defineOwn(attributes, name, value);
  }
  return attributes;
}

/** An SNS record as an SDK Message: SNS hands Lambda the published body itself, never an envelope. */
export function snsRecordToMessage(record: SnsRecord): Message {
  const sns = record.Sns;
  const attributes: [string, MessageAttributeValue][] = [];
  for (const [name, a] of Object.entries(sns.MessageAttributes ?? {})) {
    if (typeof a !== 'object' || a === null || typeof a.Value !== 'string') continue;
    attributes.push([name, a.Type === 'Binary' ? { DataType: 'Binary', BinaryValue: Buffer.from(a.Value, 'base64') } : { DataType: a.Type, StringValue: a.Value }]);
  }
  const sent = typeof sns.Timestamp === 'string' ? Date.parse(sns.Timestamp) : NaN;
  return {
    MessageId: sns.MessageId,
    Body: typeof sns.Message === 'string' ? sns.Message : '',
    Attributes: Number.isFinite(sent) ? { SentTimestamp: String(sent), ApproximateReceiveCount: '1' } : { ApproximateReceiveCount: '1' },
    MessageAttributes: Object.fromEntries(attributes),
  };
}

/** The record's attributes as given when they are all strings (as Lambda sends them), else the string ones. */
function stringFields(attributes: SqsRecord['attributes'] | undefined): Record<string, string> {
  if (typeof attributes !== 'object' || attributes === null) return {};
  const given = attributes as Record<string, unknown>;
  for (const name in given) {
    if (typeof given[name] !== 'string') {
      const out: [string, string][] = [];
      for (const [key, value] of Object.entries(given)) if (typeof value === 'string') out.push([key, value]);
      return Object.fromEntries(out);
    }
  }
  return given as Record<string, string>;
}

/** `arn:aws:sqs:us-east-1:123456789012:orders` -> `https://sqs.us-east-1.amazonaws.com/123456789012/orders`. */
export function queueUrlFromArn(arn: string): string | undefined {
  if (typeof arn !== 'string') return undefined;
  const parts = arn.split(':');
  if (parts.length !== 6 || parts[0] !== 'arn' || parts[2] !== 'sqs' || !parts[3] || !/^\d{12}$/.test(parts[4] ?? '') || !parts[5]) return undefined;
  const [, partition, , region, account, name] = parts;
  const domain = partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com';
  return `https://sqs.${region}.${domain}/${account}/${name}`;
}
