// Public names of large payloads through S3 (AWS Extended Client format).
export type { LargePayloadConsumeOptions, LargePayloadPublishOptions, S3ClientLike } from './options.js';
export { DEFAULT_MAX_PAYLOAD_BYTES } from './options.js';
export { LargePayloadConfigError, LargePayloadError } from './errors.js';
export { LEGACY_PAYLOAD_SIZE_ATTRIBUTE, LEGACY_POINTER_CLASS, PAYLOAD_SIZE_ATTRIBUTE, POINTER_CLASS } from './pointer.js';
