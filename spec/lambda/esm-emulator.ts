// A small Lambda event source mapping for SQS, over a real queue: what AWS's poller does between the
// queue and the function. It receives a batch, builds the SQS event in the shape AWS documents, invokes
// the handler with a context whose deadline counts down, and then, as with ReportBatchItemFailures,
// deletes the records not reported failed. A thrown error, a function timeout or an invalid
// identifier fails the whole batch: nothing is deleted and SQS brings the records back.
import { DeleteMessageBatchCommand, GetQueueAttributesCommand, ReceiveMessageCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs';
import type { SQSEvent, SQSMessageAttributes, SQSRecord, SQSRecordAttributes } from 'aws-lambda';
import type { LambdaHandler } from '../../src/lambda.js';

export interface MappingOptions {
  sqs: SQSClient;
  queueUrl: string;
  /** Records per invocation (Lambda's BatchSize); filled by as many receives of 10 as it takes. Default 10. */
  batchSize?: number;
  /** Visibility timeout of the received records, in seconds (the queue's, as Lambda's poller uses). */
  visibilityTimeoutSeconds: number;
  /** The function's timeout: the context counts down from it, and Lambda ends an invocation still running there. */
  functionTimeoutMs: number;
  region?: string;
}

export interface Invocation {
  event: SQSEvent;
  outcome: 'returned' | 'threw' | 'timed out';
  response?: unknown;
  error?: unknown;
  /** Message ids deleted after the invocation, and those left on the queue. */
  deleted: string[];
  left: string[];
}

/** Lambda's SQS poller for one queue and one function, driven one invocation at a time. */
export class EventSourceMapping {
  private arn: Promise<string> | undefined;
  private invocations = 0;

  constructor(private readonly options: MappingOptions) {}

  /** Receives one batch and runs it through the handler; undefined when the queue had nothing to give. */
  async invokeOnce(handler: LambdaHandler): Promise<Invocation | undefined> {
    const messages = await this.receiveBatch();
    if (messages.length === 0) return undefined;
    const eventSourceARN = await this.queueArn();
    const event: SQSEvent = { Records: messages.map((m) => this.toRecord(m, eventSourceARN)) };
    const result = await this.invoke(handler, event);
    const failed = failedIds(event, result);
    const deleted = event.Records.filter((r) => !failed.has(r.messageId));
    for (let i = 0; i < deleted.length; i += 10) {
      const entries = deleted.slice(i, i + 10).map((r, j) => ({ Id: String(j), ReceiptHandle: r.receiptHandle }));
      const out = await this.options.sqs.send(new DeleteMessageBatchCommand({ QueueUrl: this.options.queueUrl, Entries: entries }));
      if ((out.Failed ?? []).length > 0) throw new Error(`the emulator could not delete: ${JSON.stringify(out.Failed)}`);
    }
    return {
      event,
      ...result,
      deleted: deleted.map((r) => r.messageId),
      left: event.Records.filter((r) => failed.has(r.messageId)).map((r) => r.messageId),
    };
  }

  /** Invokes until `done()` holds (checked after every poll), pausing `idleMs` when the queue is empty. */
  async runUntil(handler: LambdaHandler, done: () => boolean, opts: { timeoutMs?: number; idleMs?: number } = {}): Promise<Invocation[]> {
    const deadline = Date.now() + (opts.timeoutMs ?? 10_000);
    const invocations: Invocation[] = [];
    while (!done()) {
      if (Date.now() > deadline) throw new Error(`condition not met within ${opts.timeoutMs ?? 10_000} ms`);
      const invocation = await this.invokeOnce(handler);
      if (invocation) invocations.push(invocation);
      else await sleep(opts.idleMs ?? 50);
    }
    return invocations;
  }

  private async receiveBatch(): Promise<Message[]> {
    const { sqs, queueUrl, visibilityTimeoutSeconds } = this.options;
    const batchSize = this.options.batchSize ?? 10;
    const messages: Message[] = [];
    while (messages.length < batchSize) {
      const out = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: Math.min(10, batchSize - messages.length),
          WaitTimeSeconds: 0,
          VisibilityTimeout: visibilityTimeoutSeconds,
          AttributeNames: ['All'],
          MessageAttributeNames: ['All'],
        }),
      );
      const got = out.Messages ?? [];
      messages.push(...got);
      if (got.length === 0) break;
    }
    return inGroupOrder(messages);
  }

  private async invoke(handler: LambdaHandler, event: SQSEvent): Promise<Pick<Invocation, 'outcome' | 'response' | 'error'>> {
    const timeoutMs = this.options.functionTimeoutMs;
    const deadline = Date.now() + timeoutMs;
    this.invocations += 1;
    const context = {
      functionName: 'esm-emulator',
      awsRequestId: `req-${this.invocations}`,
      getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    };
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timed out'>((resolve) => (timer = setTimeout(() => resolve('timed out'), timeoutMs)));
    try {
      const settled = await Promise.race([
        handler(event, context).then(
          (response) => ({ outcome: 'returned' as const, response }),
          (error: unknown) => ({ outcome: 'threw' as const, error }),
        ),
        timedOut.then((outcome) => ({ outcome })),
      ]);
      return settled;
    } finally {
      clearTimeout(timer);
    }
  }

  private queueArn(): Promise<string> {
    this.arn ??= this.options.sqs
      .send(new GetQueueAttributesCommand({ QueueUrl: this.options.queueUrl, AttributeNames: ['QueueArn'] }))
      .then((out) => out.Attributes?.QueueArn ?? Promise.reject(new Error('no QueueArn')));
    return this.arn;
  }

  /** One record as AWS documents it for Lambda's SQS trigger. */
  private toRecord(m: Message, eventSourceARN: string): SQSRecord {
    const a = m.Attributes ?? {};
    const attributes: SQSRecordAttributes = {
      ApproximateReceiveCount: a.ApproximateReceiveCount ?? '1',
      SentTimestamp: a.SentTimestamp ?? '',
      SenderId: a.SenderId ?? '',
      ApproximateFirstReceiveTimestamp: a.ApproximateFirstReceiveTimestamp ?? '',
      ...(a.SequenceNumber !== undefined ? { SequenceNumber: a.SequenceNumber } : {}),
      ...(a.MessageGroupId !== undefined ? { MessageGroupId: a.MessageGroupId } : {}),
      ...(a.MessageDeduplicationId !== undefined ? { MessageDeduplicationId: a.MessageDeduplicationId } : {}),
    };
    const messageAttributes: SQSMessageAttributes = {};
    for (const [name, v] of Object.entries(m.MessageAttributes ?? {})) {
      messageAttributes[name] = {
        ...(v.StringValue !== undefined ? { stringValue: v.StringValue } : {}),
        ...(v.BinaryValue !== undefined ? { binaryValue: Buffer.from(v.BinaryValue).toString('base64') } : {}),
        stringListValues: v.StringListValues ?? [],
        binaryListValues: (v.BinaryListValues ?? []).map((b) => Buffer.from(b).toString('base64')),
        dataType: (v.DataType ?? 'String') as SQSMessageAttributes[string]['dataType'],
      };
    }
    return {
      messageId: m.MessageId ?? '',
      receiptHandle: m.ReceiptHandle ?? '',
      body: m.Body ?? '',
      attributes,
      messageAttributes,
      md5OfBody: m.MD5OfBody ?? '',
      ...(m.MD5OfMessageAttributes !== undefined ? { md5OfMessageAttributes: m.MD5OfMessageAttributes } : {}),
      eventSource: 'aws:sqs',
      eventSourceARN,
      awsRegion: this.options.region ?? 'us-east-1',
    };
  }
}

/**
 * FIFO batches come grouped: a group's records together, in their order (by sequence number), groups in
 * the order they first appear. Standard records keep their receive order.
 */
export function inGroupOrder(messages: Message[]): Message[] {
  const groups = new Map<string, Message[]>();
  const order: Message[][] = [];
  for (const m of messages) {
    const group = m.Attributes?.MessageGroupId;
    if (group === undefined) {
      order.push([m]);
      continue;
    }
    let lane = groups.get(group);
    if (!lane) groups.set(group, (lane = [])), order.push(lane);
    lane.push(m);
  }
  const bySequence = (x: Message, y: Message) => (BigInt(x.Attributes?.SequenceNumber ?? '0') < BigInt(y.Attributes?.SequenceNumber ?? '0') ? -1 : 1);
  return order.flatMap((lane) => (lane.length > 1 ? [...lane].sort(bySequence) : lane));
}

/** The records Lambda leaves on the queue after an invocation, under ReportBatchItemFailures. */
function failedIds(event: SQSEvent, result: Pick<Invocation, 'outcome' | 'response'>): Set<string> {
  const all = new Set(event.Records.map((r) => r.messageId));
  if (result.outcome !== 'returned') return all;
  const failures: unknown = (result.response as { batchItemFailures?: unknown } | null | undefined)?.batchItemFailures;
  // An empty or absent list means every record succeeded.
  if (failures === undefined || failures === null) return new Set();
  if (!Array.isArray(failures)) return all;
  const ids = failures.map((f: { itemIdentifier?: unknown } | null) => f?.itemIdentifier);
  // An empty, null or unknown identifier makes Lambda treat the whole batch as failed.
  if (ids.some((id) => typeof id !== 'string' || !all.has(id))) return all;
  return new Set(ids as string[]);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
