// Public names of the publishers.
export { SqsPublisher } from './publish-sqs.js';
export type { SqsPublisherOptions, SqsPublishOptions, SqsPublishBatchOptions } from './publish-sqs.js';
export { SnsPublisher } from './publish-sns.js';
export type { SnsPublisherOptions, SnsPublishOptions, SnsPublishBatchOptions } from './publish-sns.js';
export type { PublishPayload } from './publish-message.js';
export type { PublishResult } from './publish-result.js';
export type { PublishBatchEntry, PublishBatchFailure, PublishBatchResult } from './batch.js';
export type { BatchEntryOptions, BatchSendOptions, PerEntry } from './batch-prepare.js';
export type { MessageAttributeInput, MessageAttributes } from './publish-attributes.js';
export type { AttributeValue } from '../aws/attribute-size.js';
export { PayloadTooLargeError, PublishError, PublisherOptionsError } from './publish-errors.js';
export { PublishTimeoutError } from './publish-timeout.js';
