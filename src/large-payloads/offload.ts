import { randomUUID } from 'node:crypto';
import { attributeBytes, utf8Length, type AttributeValue } from '../aws/attribute-size.js';
import { MAX_MESSAGE_ATTRIBUTES } from '../aws/limits.js';
import { LargePayloadConfigError } from './errors.js';
import type { ResolvedPublishLargePayloads } from './options.js';
import { formatPointer, LEGACY_PAYLOAD_SIZE_ATTRIBUTE, PAYLOAD_SIZE_ATTRIBUTE, type S3Pointer } from './pointer.js';
import { S3PayloadStore, type S3ClientSource } from './s3-store.js';

/** A payload that goes to S3: where, and the body to upload (dropped once it is stored). */
export interface PendingUpload {
  pointer: S3Pointer;
  body: string | undefined;
}

/** The message as sent when its payload is offloaded: the pointer body and the attributes plus ExtendedPayloadSize. */
export interface OffloadedMessage {
  body: string;
  attributes: Record<string, AttributeValue>;
  bytes: number;
  upload: PendingUpload;
}

/** The publishers' side of large payloads: decide, plan the pointer message, upload. */
export class PayloadOffloader {
  private readonly store: S3PayloadStore;

  constructor(
    readonly options: ResolvedPublishLargePayloads,
    client: Omit<S3ClientSource, 's3Client'>,
  ) {
    this.store = new S3PayloadStore({ ...client, s3Client: options.s3Client });
  }

  /** True when a message of `bytes` (body plus attributes) goes through S3. */
  wants(bytes: number): boolean {
    return this.options.alwaysOffload || bytes > this.options.threshold;
  }

  /**
   * The pointer message for `body`, as the extended clients write it: the pointer as body and the
   * original body's UTF-8 size in ExtendedPayloadSize; the other attributes stay (routing attributes
   * keep filter policies working). The key is chosen now, so the message's size is exact before upload.
   */
  plan(body: string, attributes: Record<string, AttributeValue> | undefined, attributeBytesSoFar: number): OffloadedMessage {
    const names = Object.keys(attributes ?? {});
    const reserved = names.find((n) => n === PAYLOAD_SIZE_ATTRIBUTE || n === LEGACY_PAYLOAD_SIZE_ATTRIBUTE);
    if (reserved !== undefined) throw new LargePayloadConfigError(`message attribute ${reserved} is reserved for large payloads`);
    if (names.length >= MAX_MESSAGE_ATTRIBUTES) {
      throw new LargePayloadConfigError(
        `a large payload's message needs one attribute for ${PAYLOAD_SIZE_ATTRIBUTE}, and this one already has ${names.length} (at most ${MAX_MESSAGE_ATTRIBUTES})`,
      );
    }
    const pointer = { bucket: this.options.bucket, key: `${this.options.keyPrefix}${randomUUID()}` };
    const size: AttributeValue = { DataType: 'Number', StringValue: String(utf8Length(body)) };
    const pointerBody = formatPointer(pointer);
    return {
      body: pointerBody,
      attributes: { ...attributes, [PAYLOAD_SIZE_ATTRIBUTE]: size },
      bytes: utf8Length(pointerBody) + attributeBytesSoFar + attributeBytes(PAYLOAD_SIZE_ATTRIBUTE, size),
      upload: { pointer, body },
    };
  }

  /** Stores the payload (once: a retried entry is not uploaded again); rejects with a LargePayloadError. */
  async upload(pending: PendingUpload, signal?: AbortSignal): Promise<void> {
    if (pending.body === undefined) return;
    await this.store.put(pending.pointer, pending.body, signal);
    pending.body = undefined;
  }
}
