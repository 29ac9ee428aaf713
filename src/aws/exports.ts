// Public names of the AWS edges (clients and publishers; the listener's names follow below them).
export { createSnsClient, createSqsClient } from './clients.js';
export type { AwsClientOptions, AwsCredentials } from './clients.js';
export { SqsPublisher } from './publish-sqs.js';
export type { SqsPublisherOptions, SqsPublishOptions, SqsPublishBatchOptions } from './publish-sqs.js';
export { SnsPublisher } from './publish-sns.js';
export type { SnsPublisherOptions, SnsPublishOptions, SnsPublishBatchOptions } from './publish-sns.js';
export type { PublishPayload } from './publish-message.js';
export type { PublishResult } from './publish-result.js';
export type { PublishBatchEntry, PublishBatchFailure, PublishBatchResult } from './batch.js';
export type { BatchEntryOptions, BatchSendOptions, PerEntry } from './batch-prepare.js';
export type { AttributeValue, MessageAttributeInput, MessageAttributes } from './publish-attributes.js';
export { PayloadTooLargeError, PublishError, PublisherOptionsError } from './publish-errors.js';
export { PublishTimeoutError } from './publish-timeout.js';
export {
  MAX_BATCH_ENTRIES,
  MAX_DELAY_SECONDS,
  SNS_MAX_BATCH_BYTES,
  SNS_MAX_MESSAGE_BYTES,
  SQS_MAX_BATCH_BYTES,
  SQS_MAX_MESSAGE_BYTES,
} from './limits.js';

// The listener.
export { SqsListener, ListenerStateError, ListenerShutdownError } from './listener.js';
export { ListenerOptionsError } from './listener-options.js';
export { HandlerTimeoutError } from './listener-timeout.js';
export type { SqsListenerOptions, RetriableErrorClass } from './listener-options.js';
export type { ListenerEvents, ListenerEventName, ListenerEventHandler, ListenerErrorStage } from './listener-events.js';
export { jsonLogger, silentLogger } from './logger.js';
export type { ListenerLogger, JsonLoggerOptions } from './logger.js';
export { DEAD_LETTER_ATTRIBUTES } from './dead-letter.js';
export { defaultRetryDelaySeconds } from './backoff.js';
