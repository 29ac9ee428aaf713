// Public names of large payloads through S3 (AWS Extended Client format).
export type { LargePayloadConsumeOptions, LargePayloadPublishOptions, S3ClientLike } from './options.js';
export { LargePayloadConfigError, LargePayloadError } from './errors.js';
