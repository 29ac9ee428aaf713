// Names from the OpenTelemetry messaging semantic conventions (status: Development), copied here
// rather than imported from an unstable module; the sqs_mega.* ones are the library's own.

export const INSTRUMENTATION_NAME = 'sqs-mega';

export const ATTR = {
  system: 'messaging.system',
  operationType: 'messaging.operation.type',
  operationName: 'messaging.operation.name',
  destination: 'messaging.destination.name',
  messageId: 'messaging.message.id',
  batchCount: 'messaging.batch.message_count',
  bodySize: 'messaging.message.body.size',
  errorType: 'error.type',
  queueUrl: 'aws.sqs.queue.url',
  topicArn: 'aws.sns.topic.arn',
  receiveCount: 'sqs_mega.message.receive_count',
  kind: 'sqs_mega.message.kind',
  snsMessageId: 'sqs_mega.sns.message_id',
  decision: 'sqs_mega.decision',
  verdict: 'sqs_mega.verdict',
  subscriber: 'sqs_mega.subscriber.name',
  status: 'sqs_mega.subscriber.status',
  propagation: 'sqs_mega.trace.propagation',
} as const;

const SYSTEM_SQS = 'aws_sqs';
const SYSTEM_SNS = 'aws.sns';

/** `messaging.operation.type` values. */
export const OPERATION = { send: 'send', create: 'create', process: 'process' } as const;

export const METRIC = {
  /** Counter, {message}: messages a publisher tried to send, `error.type` set on failures. */
  sent: 'messaging.client.sent.messages',
  /** Histogram, s: one publish or publishBatch call. */
  operationDuration: 'messaging.client.operation.duration',
  /** Histogram, s: receive to verdict, per message. */
  processDuration: 'messaging.process.duration',
  /** Counter, {message}: messages processed, by decision and verdict. */
  messages: 'sqs_mega.consumer.messages',
  /** Histogram, s: one subscriber's run, by subscriber and status. */
  subscriberDuration: 'sqs_mega.subscriber.duration',
  /** Histogram, s: now minus SentTimestamp when processing starts. */
  queueTime: 'sqs_mega.consumer.queue_time',
  /** UpDownCounter, {message}: messages being processed. */
  inFlight: 'sqs_mega.consumer.in_flight',
  /** Counter, {message}: messages left for a retry. */
  retries: 'sqs_mega.consumer.retries',
  /** Counter, {message}: messages failed for good (copied to the dead-letter queue when there is one). */
  deadLetters: 'sqs_mega.consumer.dead_letters',
} as const;

/** Span names per the conventions: `{operation} {destination}`. */
export function spanName(operation: string, destination: string): string {
  return destination === '' ? operation : `${operation} ${destination}`;
}

/** The queue or topic name in an SQS queue URL or an SNS/SQS ARN. */
function destinationName(queueOrTopic: string): string {
  const cut = Math.max(queueOrTopic.lastIndexOf('/'), queueOrTopic.lastIndexOf(':'));
  return queueOrTopic.slice(cut + 1);
}

/** `messaging.system` and the AWS attribute naming the destination. */
export function destinationAttributes(queueOrTopic: string): Record<string, string> {
  if (queueOrTopic === '') return { [ATTR.system]: SYSTEM_SQS };
  if (queueOrTopic.startsWith('arn:') && queueOrTopic.includes(':sns:')) {
    return { [ATTR.system]: SYSTEM_SNS, [ATTR.destination]: destinationName(queueOrTopic), [ATTR.topicArn]: queueOrTopic };
  }
  return { [ATTR.system]: SYSTEM_SQS, [ATTR.destination]: destinationName(queueOrTopic), [ATTR.queueUrl]: queueOrTopic };
}
