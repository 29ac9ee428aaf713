import { setMaxListeners } from 'node:events';
import type { Message, SQSClient } from '@aws-sdk/client-sqs';
import { decodeBody } from '../codec/body.js';
import { MessageProcessor, type Processed, type ProcessOptions } from '../consume/message-processor.js';
import { SharedDeadline } from '../consume/shared-deadline.js';
import { Dispatcher } from '../dispatch/dispatcher.js';
import { SqsMegaError } from '../protocol/errors.js';
import { createSqsClient } from '../aws/clients.js';
import { DeadLetterQueue } from '../consume/dead-letter.js';
import { ListenerEventEmitter } from '../consume/events.js';
import { describeError } from '../aws/logger.js';
import { queueUrlFromArn, snsRecordToMessage, sqsRecordToMessage, type LambdaContext, type SnsEvent, type SqsBatchResponse, type SqsEvent, type SqsRecord } from './events.js';
import { resolveLambdaOptions, type LambdaHandlerOptions, type ResolvedLambdaOptions } from './lambda-options.js';
import { inLanes } from './lanes.js';

/** The event is neither an SQS nor an SNS event (or mixes them); nothing in it was processed. */
export class LambdaEventError extends SqsMegaError {}

/**
 * Records that must come back failed the invocation: every record of an SQS batch (with
 * `fullBatchFailure: 'throw'`), or an SNS record whose subscribers asked for a retry (Lambda's
 * asynchronous retries and on-failure destination then apply).
 */
export class LambdaBatchError extends SqsMegaError {
  constructor(readonly failedMessageIds: readonly string[], reason: string) {
    super(`${failedMessageIds.length} record(s) must be retried (${reason}): ${failedMessageIds.slice(0, 10).join(', ')}${failedMessageIds.length > 10 ? ', ...' : ''}`);
  }
}

/** An async Lambda handler for SQS and SNS events. */
export type LambdaHandler = (event: SqsEvent | SnsEvent, context?: LambdaContext) => Promise<SqsBatchResponse | void>;

const NEVER = new AbortController().signal;
// Every record of a batch listens on it at once (removed when done): no leak, so no warning past 10.
setMaxListeners(0, NEVER);
/** The shortest request we still send to set a retry delay when the deadline is near. */
const MIN_REQUEST_MS = 200;
/**
 * The event source mapping received the records before the invocation, at most its longest batching
 * window (300 s) earlier: SQS's 12 hours per receive are counted from then, to stay on the safe side.
 */
const RECEIVED_BEFORE_INVOCATION_MS = 330_000;

/**
 * Builds a Lambda handler that runs the subscribers on SQS and SNS events through the same
 * per-message path as SqsListener: what a status means there it means here. Options are validated
 * and subscribers compiled now, at cold start, so a bad pattern fails the deployment, not a message.
 */
export function createLambdaHandler(options: LambdaHandlerOptions): LambdaHandler {
  const resolved = resolveLambdaOptions(options, queueUrlFromArn);
  const dispatcher = new Dispatcher({ retriableErrors: resolved.retriableErrors });
  for (const subscriber of options.subscribers) dispatcher.register(subscriber);
  const client = options.client ?? createSqsClient();
  const events = new ListenerEventEmitter((error, event) => resolved.logger.error('an event handler threw', { event, error: describeError(error) }));
  // One processor per source queue: the dead-letter copy names the queue it came from.
  const processors = new Map<string, MessageProcessor>();
  const processorFor = (sourceQueueUrl: string) => {
    let processor = processors.get(sourceQueueUrl);
    if (!processor) {
      const deadLetter = resolved.deadLetterQueueUrl ? new DeadLetterQueue(client, resolved.deadLetterQueueUrl, sourceQueueUrl) : undefined;
      processor = new MessageProcessor({ client, options: resolved, source: sourceQueueUrl || undefined, dispatcher, decode: decodeBody, deadLetter, events });
      processors.set(sourceQueueUrl, processor);
    }
    return processor;
  };
  const invocation = { resolved, client, processorFor };

  return async (event, context) => {
    const records = recordsOf(event);
    const deadlineAt = context && typeof context.getRemainingTimeInMillis === 'function' ? Date.now() + context.getRemainingTimeInMillis() - resolved.deadlineMarginMs : Number.POSITIVE_INFINITY;
    // One timer for the batch's deadline, rather than one per record.
    const deadline = Number.isFinite(deadlineAt) ? new SharedDeadline(deadlineAt) : undefined;
    try {
      if (records.kind === 'sns') return await handleSns(invocation, records.records, deadlineAt, deadline);
      return await handleSqs(invocation, records.records, deadlineAt, deadline, Date.now() - RECEIVED_BEFORE_INVOCATION_MS);
    } finally {
      deadline?.dispose();
    }
  };
}

interface Invocation {
  resolved: ResolvedLambdaOptions;
  client: SQSClient;
  processorFor: (sourceQueueUrl: string) => MessageProcessor;
}

function recordsOf(event: SqsEvent | SnsEvent): { kind: 'sqs'; records: SqsEvent['Records'] } | { kind: 'sns'; records: SnsEvent['Records'] } {
  const records: unknown = (event as { Records?: unknown } | null)?.Records;
  if (!Array.isArray(records)) throw new LambdaEventError('expected an SQS or SNS event with a Records array');
  if (records.length === 0) return { kind: 'sqs', records: [] };
  const source = eventSourceOf(records[0]);
  if ((source === 'aws:sqs' || source === 'aws:sns') && records.every((r) => eventSourceOf(r) === source)) {
    return source === 'aws:sqs' ? { kind: 'sqs', records: records as SqsEvent['Records'] } : { kind: 'sns', records: records as SnsEvent['Records'] };
  }
  const sources = new Set(records.map(eventSourceOf));
  throw new LambdaEventError(`expected records from aws:sqs or aws:sns alone, got ${[...sources].map(String).join(', ')}`);
}

/** `eventSource` of an SQS record, `EventSource` of an SNS one. */
function eventSourceOf(record: unknown): unknown {
  const r = record as { eventSource?: unknown; EventSource?: unknown } | null | undefined;
  return r?.eventSource ?? r?.EventSource;
}

/** Records that have their whole handler timeout before the function's deadline: the same options for all. */
const UNHURRIED: ProcessOptions = { signal: NEVER };

/** Runs one record to its verdict, or to 'not started' (undefined) when the deadline came first. */
function run(processor: MessageProcessor, message: Message, messageId: string, invocation: Invocation, deadlineAt: number, deadline: SharedDeadline | undefined): Processed | Promise<Processed> | undefined {
  const left = deadlineAt - Date.now();
  if (left <= 0) return undefined;
  if (left > invocation.resolved.handlerTimeoutSeconds * 1000) return processor.process(message, messageId, UNHURRIED);
  // The function's deadline comes before the handler timeout: the record races the batch's one timer.
  return processor.process(message, messageId, { signal: NEVER, timeoutMs: left, deadline });
}

/** FIFO records carry their message group; standard ones none. */
const groupOf = (record: SqsRecord): string | undefined => {
  const group: unknown = record.attributes?.MessageGroupId;
  return typeof group === 'string' ? group : undefined;
};

async function handleSqs(invocation: Invocation, records: SqsRecord[], deadlineAt: number, deadline: SharedDeadline | undefined, receivedAt: number): Promise<SqsBatchResponse> {
  const { resolved } = invocation;
  // A batch comes from one queue: its URL and processor are worked out once, not per record.
  let last: { arn: string; queueUrl: string; processor: MessageProcessor } | undefined;
  const queueOf = (arn: string) => {
    if (last?.arn !== arn) {
      const queueUrl = resolved.queueUrl(arn) ?? '';
      if (queueUrl === '') resolved.logger.warn('no queue URL for this event source: retried records come back after their visibility timeout, without backoff; set the queueUrl option', { eventSourceARN: String(arn).slice(0, 256) });
      last = { arn, queueUrl, processor: invocation.processorFor(queueUrl) };
    }
    return last;
  };
  /** True when the record succeeded; a retry's visibility change is made before it counts as failed. */
  const settle = async (processor: MessageProcessor, queueUrl: string, record: SqsRecord, processed: Processed | undefined): Promise<boolean> => {
    // The function may be frozen once it returns: the idempotency store must have the completion first.
    if (processed?.completing) await processed.completing;
    const verdict = processed?.verdict;
    if (verdict?.action === 'delete') return true;
    if (verdict?.action === 'retry' && queueUrl && record.receiptHandle) {
      // Within the margin kept back for it: the record comes back sooner than asked rather than late.
      const timeoutMs = Math.max(MIN_REQUEST_MS, deadlineAt + resolved.deadlineMarginMs / 2 - Date.now());
      await processor.retry(queueUrl, record.messageId, record.receiptHandle, verdict, receivedAt, timeoutMs);
    }
    return false;
  };
  const failed = await inLanes(records, resolved.concurrency, groupOf, (record) => {
    const { queueUrl, processor } = queueOf(record.eventSourceARN);
    const processed = run(processor, sqsRecordToMessage(record), record.messageId, invocation, deadlineAt, deadline);
    if (processed instanceof Promise) return processed.then((p) => settle(processor, queueUrl, record, p));
    // Deleted at once: the common case needs no promise per record.
    if (processed?.verdict.action === 'delete' && !processed.completing) return true;
    return settle(processor, queueUrl, record, processed);
  });
  const batchItemFailures = records.filter((r) => failed.has(r)).map((r) => ({ itemIdentifier: r.messageId }));
  // Lambda fails the whole batch on an empty or unknown identifier; say so ourselves, and keep the reason.
  if (batchItemFailures.some((f) => typeof f.itemIdentifier !== 'string' || f.itemIdentifier === '')) {
    throw new LambdaBatchError(batchItemFailures.map((f) => String(f.itemIdentifier)), 'a failed record has no messageId');
  }
  if (records.length > 0 && batchItemFailures.length === records.length && resolved.fullBatchFailure === 'throw') {
    throw new LambdaBatchError(batchItemFailures.map((f) => f.itemIdentifier), 'every record of the batch failed');
  }
  return { batchItemFailures };
}

async function handleSns(invocation: Invocation, records: SnsEvent['Records'], deadlineAt: number, deadline: SharedDeadline | undefined): Promise<void> {
  const failed = await inLanes(records, invocation.resolved.concurrency, () => undefined, async (record) => {
    // A dead-letter copy names the topic it came from.
    const processor = invocation.processorFor(typeof record.Sns?.TopicArn === 'string' ? record.Sns.TopicArn : '');
    const message = snsRecordToMessage(record);
    const processed = await run(processor, message, message.MessageId ?? '', invocation, deadlineAt, deadline);
    if (processed?.completing) await processed.completing;
    return processed?.verdict.action === 'delete';
  });
  if (failed.size > 0) {
    const ids = records.filter((r) => failed.has(r)).map((r) => String(r.Sns?.MessageId));
    throw new LambdaBatchError(ids, 'SNS has nothing to acknowledge; failing the invocation lets Lambda retry it');
  }
}
