// Public names of the shared AWS plumbing: clients, service limits, the logger.
export { createSnsClient, createSqsClient } from './clients.js';
export type { AwsClientOptions, AwsCredentials } from './clients.js';
export {
  MAX_BATCH_ENTRIES,
  MAX_DELAY_SECONDS,
  SNS_MAX_BATCH_BYTES,
  SNS_MAX_MESSAGE_BYTES,
  SQS_MAX_BATCH_BYTES,
  SQS_MAX_MESSAGE_BYTES,
} from './limits.js';
export { jsonLogger, silentLogger } from './logger.js';
export type { ListenerLogger, JsonLoggerOptions, LogLevel } from './logger.js';
export { defaultRetryDelaySeconds } from './backoff.js';
