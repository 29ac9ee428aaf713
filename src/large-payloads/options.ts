import { z } from 'zod';
import { LargePayloadConfigError } from './errors.js';
import type { S3ClientLike } from './s3-store.js';

export type { S3ClientLike };

/** `largePayloads` on SqsPublisher and SnsPublisher: payloads past the threshold travel through S3. */
export interface LargePayloadPublishOptions {
  /** The bucket payloads are stored in (it must exist). */
  bucket: string;
  /**
   * An `S3Client` from `@aws-sdk/client-s3`. Default: one built on first use with the publisher's
   * region, credentials and endpoint (an endpoint is addressed path-style, as local emulators need).
   */
  s3Client?: S3ClientLike;
  /** Prepended to the object key (a random UUID); letters, digits, `/`, `_`, `-`, `.`, as the Java client allows. */
  keyPrefix?: string;
  /**
   * Messages larger than this many bytes, body plus attributes, are offloaded. Default: what the
   * target accepts (SQS 1,048,576; SNS 262,144). The extended clients use 262,144.
   */
  threshold?: number;
  /** Offload every payload, whatever its size (default false). */
  alwaysOffload?: boolean;
}

/** `largePayloads` on SqsListener and createLambdaHandler: resolve extended-client pointers before decoding. */
export interface LargePayloadConsumeOptions {
  /** An `S3Client` from `@aws-sdk/client-s3`. Default: one built on first use from the SDK's default chain. */
  s3Client?: S3ClientLike;
  /** Buckets a pointer may name; a pointer to any other is invalid. Default: any bucket the role can read. */
  allowedBuckets?: readonly string[];
  /** Largest payload fetched, in bytes, checked before and while downloading (default 32 MiB). */
  maxPayloadBytes?: number;
  /**
   * Delete the S3 object once the message itself is deleted (default false; SqsListener only, since
   * a Lambda handler never learns when its messages are deleted). A lifecycle rule is the better tool:
   * see docs/large-payloads.md.
   */
  deleteAfterConsume?: boolean;
}

export const DEFAULT_MAX_PAYLOAD_BYTES = 32 * 1024 * 1024;
const MAX_KEY_PREFIX = 1024 - 36;
const KEY_PREFIX = /^[A-Za-z0-9./_-]*$/;

export interface ResolvedPublishLargePayloads {
  bucket: string;
  s3Client: S3ClientLike | undefined;
  keyPrefix: string;
  threshold: number;
  alwaysOffload: boolean;
}

function fail(option: string, message: string): never {
  throw new LargePayloadConfigError(`largePayloads.${option} ${message}`);
}

function checkClient(value: unknown): S3ClientLike | undefined {
  if (value === undefined) return undefined;
  if (typeof (value as { send?: unknown } | null)?.send !== 'function') fail('s3Client', 'must be an S3Client from @aws-sdk/client-s3');
  return value as S3ClientLike;
}

function checkObject(value: unknown, known: readonly string[]): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new LargePayloadConfigError('largePayloads must be an object');
  const unknown = Object.keys(value).filter((k) => !known.includes(k));
  if (unknown.length > 0) throw new LargePayloadConfigError(`largePayloads has unknown option(s) ${unknown.join(', ')}`);
  return value as Record<string, unknown>;
}

/** Validates the publisher's option; `limit` is what the target accepts. */
export function resolvePublishLargePayloads(value: LargePayloadPublishOptions, limit: number): ResolvedPublishLargePayloads {
  const o = checkObject(value, ['bucket', 's3Client', 'keyPrefix', 'threshold', 'alwaysOffload']);
  if (typeof o.bucket !== 'string' || o.bucket === '') fail('bucket', 'is required: the name of the S3 bucket payloads go to');
  const keyPrefix = o.keyPrefix ?? '';
  if (typeof keyPrefix !== 'string' || keyPrefix.length > MAX_KEY_PREFIX || !KEY_PREFIX.test(keyPrefix) || keyPrefix.includes('..') || /^[./]/.test(keyPrefix)) {
    fail('keyPrefix', `must be at most ${MAX_KEY_PREFIX} letters, digits, '/', '_', '-' or '.', not starting with '.' or '/', without '..'`);
  }
  const threshold = o.threshold ?? limit;
  if (typeof threshold !== 'number' || !Number.isInteger(threshold) || threshold < 0 || threshold > limit) {
    fail('threshold', `must be a whole number of bytes from 0 to ${limit} (what the target accepts)`);
  }
  if (o.alwaysOffload !== undefined && typeof o.alwaysOffload !== 'boolean') fail('alwaysOffload', 'must be a boolean');
  return { bucket: o.bucket, s3Client: checkClient(o.s3Client), keyPrefix, threshold, alwaysOffload: o.alwaysOffload === true };
}

export interface ResolvedConsumeLargePayloads {
  s3Client: S3ClientLike | undefined;
  allowedBuckets: ReadonlySet<string> | undefined;
  maxPayloadBytes: number;
  deleteAfterConsume: boolean;
}

/** Validates the consumers' option. */
export function resolveConsumeLargePayloads(value: LargePayloadConsumeOptions): ResolvedConsumeLargePayloads {
  const o = checkObject(value, ['s3Client', 'allowedBuckets', 'maxPayloadBytes', 'deleteAfterConsume']);
  const buckets = o.allowedBuckets;
  if (buckets !== undefined && (!Array.isArray(buckets) || buckets.length === 0 || !buckets.every((b) => typeof b === 'string' && b !== ''))) {
    fail('allowedBuckets', 'must be a non-empty array of bucket names');
  }
  const max = o.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES;
  if (typeof max !== 'number' || !Number.isSafeInteger(max) || max < 1) fail('maxPayloadBytes', 'must be a whole number of bytes from 1');
  if (o.deleteAfterConsume !== undefined && typeof o.deleteAfterConsume !== 'boolean') fail('deleteAfterConsume', 'must be a boolean');
  return {
    s3Client: checkClient(o.s3Client),
    allowedBuckets: buckets === undefined ? undefined : new Set(buckets as string[]),
    maxPayloadBytes: max,
    deleteAfterConsume: o.deleteAfterConsume === true,
  };
}

/** The zod field for the consumers' schemas: the same checks, reported as an issue naming the option. */
export const consumeLargePayloads = z.custom<LargePayloadConsumeOptions>(() => true).superRefine((value, ctx) => {
  try {
    resolveConsumeLargePayloads(value);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: error instanceof Error ? error.message : String(error) });
  }
});
