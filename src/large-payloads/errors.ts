import { SqsMegaError } from '../protocol/errors.js';

/**
 * Storing or fetching a large payload in S3 failed. `transient` says whether trying again can help
 * (throttling, 5xx, timeouts, dropped connections); `bucket` and `key` name the object.
 */
export class LargePayloadError extends SqsMegaError {
  constructor(
    message: string,
    readonly bucket: string | undefined,
    readonly key: string | undefined,
    readonly transient: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The optional peer dependency @aws-sdk/client-s3 is not installed, or an option is wrong. */
export class LargePayloadConfigError extends SqsMegaError {}
