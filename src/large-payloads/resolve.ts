import type { Message } from '@aws-sdk/client-sqs';
import { LargePayloadConfigError, LargePayloadError } from './errors.js';
import type { ResolvedConsumeLargePayloads } from './options.js';
import { declaredSize, LEGACY_PAYLOAD_SIZE_ATTRIBUTE, PAYLOAD_SIZE_ATTRIBUTE, readPointer, type S3Pointer } from './pointer.js';
import { S3PayloadStore, type S3ClientSource } from './s3-store.js';

/**
 * What became of a message's body:
 * - `inline`: not a pointer, left as it is;
 * - `resolved`: the payload fetched from S3, in place of the pointer (inside the SNS envelope when there is one);
 * - `invalid`: a pointer that cannot be resolved, ever (malformed, bucket not allowed, missing, denied, too large);
 * - `retry`: S3 failed in a way that can pass (throttling, 5xx, unreachable), or @aws-sdk/client-s3 is not installed.
 */
export type Resolution =
  | { kind: 'inline' }
  | { kind: 'resolved'; body: string; pointer: S3Pointer }
  | { kind: 'invalid'; error: Error }
  | { kind: 'retry'; error: Error };

const INLINE: Resolution = { kind: 'inline' };
const POINTER_MARK = 'S3Pointer';

/** Resolves AWS Extended Client pointers for the consumers (see docs/large-payloads.md). */
export class PayloadResolver {
  private readonly store: S3PayloadStore;

  /** `client`: settings for the S3 client built on first use when the options give none. */
  constructor(
    readonly options: ResolvedConsumeLargePayloads,
    client: Omit<S3ClientSource, 's3Client'> = {},
  ) {
    this.store = new S3PayloadStore({ ...client, s3Client: options.s3Client });
  }

  /** Never rejects. */
  async resolve(message: Message, signal?: AbortSignal): Promise<Resolution> {
    const body = message.Body ?? '';
    const attributes = message.MessageAttributes ?? {};
    const sizeValue = attributes[PAYLOAD_SIZE_ATTRIBUTE]?.StringValue ?? attributes[LEGACY_PAYLOAD_SIZE_ATTRIBUTE]?.StringValue;
    // Cheap test first: nearly every message is neither marked nor mentions a pointer class.
    if (sizeValue === undefined && !body.includes(POINTER_MARK)) return INLINE;
    const envelope = body.trimStart().startsWith('{') ? readEnvelope(body) : undefined;
    if (envelope !== undefined) return this.resolveEnveloped(envelope, signal);
    return this.fetch(body, sizeValue, signal, (payload) => payload);
  }

  /** Deletes the payload object (deleteAfterConsume); rejects with a LargePayloadError. */
  release(pointer: S3Pointer): Promise<void> {
    return this.store.delete(pointer);
  }

  /** SNS without raw delivery: the envelope's Message is the pointer; the payload takes its place. */
  private resolveEnveloped(envelope: Record<string, unknown>, signal?: AbortSignal): Promise<Resolution> {
    const inner = envelope.Message as string;
    const attributes = (envelope.MessageAttributes ?? {}) as Record<string, { Value?: unknown } | undefined>;
    const size = attributes[PAYLOAD_SIZE_ATTRIBUTE]?.Value ?? attributes[LEGACY_PAYLOAD_SIZE_ATTRIBUTE]?.Value;
    return this.fetch(inner, typeof size === 'string' ? size : undefined, signal, (payload) => JSON.stringify({ ...envelope, Message: payload }));
  }

  private async fetch(body: string, sizeValue: string | undefined, signal: AbortSignal | undefined, wrap: (payload: string) => string): Promise<Resolution> {
    const reading = readPointer(body, sizeValue !== undefined);
    if (reading.kind === 'none') return INLINE;
    if (reading.kind === 'malformed') return { kind: 'invalid', error: new LargePayloadError(reading.reason, undefined, undefined, false) };
    const { pointer } = reading;
    const where = `s3://${pointer.bucket}/${pointer.key}`;
    const { allowedBuckets, maxPayloadBytes } = this.options;
    if (allowedBuckets !== undefined && !allowedBuckets.has(pointer.bucket)) {
      const error = new LargePayloadError(`the pointer names ${where}, and bucket ${pointer.bucket} is not in largePayloads.allowedBuckets`, pointer.bucket, pointer.key, false);
      return { kind: 'invalid', error };
    }
    const declared = declaredSize(sizeValue);
    if (declared !== undefined && declared > maxPayloadBytes) {
      const error = new LargePayloadError(`the large payload in ${where} is ${declared} bytes, over maxPayloadBytes (${maxPayloadBytes})`, pointer.bucket, pointer.key, false);
      return { kind: 'invalid', error };
    }
    try {
      const payload = await this.store.get(pointer, maxPayloadBytes, signal);
      return { kind: 'resolved', body: wrap(payload), pointer };
    } catch (error) {
      if ((error instanceof LargePayloadError && error.transient) || error instanceof LargePayloadConfigError) return { kind: 'retry', error };
      return { kind: 'invalid', error: error instanceof Error ? error : new Error(String(error)) };
    }
  }
}

/** The SNS notification around a pointer, when the body is one (its Message a string). */
function readEnvelope(body: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(body);
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
    const record = value as Record<string, unknown>;
    return record.Type === 'Notification' && typeof record.Message === 'string' ? record : undefined;
  } catch {
    return undefined;
  }
}
