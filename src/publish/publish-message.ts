import { encodePayload } from '../codec/encode.js';
import { EncodeError } from '../codec/errors.js';
import type { DataObject, MegaPayload } from '../protocol/types.js';
import { MAX_DELAY_SECONDS, MAX_FIFO_ID_LENGTH } from '../aws/limits.js';
import { utf8Length, type AttributeValue } from '../aws/attribute-size.js';
import { withRoutingAttributes, type MappedAttributes } from './publish-attributes.js';
import { PayloadTooLargeError, PublisherOptionsError } from './publish-errors.js';
import type { PayloadOffloader, PendingUpload } from '../large-payloads/offload.js';

/** Anything a publisher sends: a MEGA payload, a data object, text, or bytes (sent as base64). */
export type PublishPayload = MegaPayload | DataObject | string | Uint8Array;

/** A message ready to send: encoded once, sized once. */
export interface PreparedMessage {
  index: number;
  body: string;
  /** Body plus attributes, in bytes. */
  bytes: number;
  attributes: Record<string, AttributeValue> | undefined;
  groupId: string | undefined;
  deduplicationId: string | undefined;
  /** Set when the payload goes through S3: `body` is then the pointer, to send once this is stored. */
  upload?: PendingUpload;
  /** The trace context as an X-Ray header, when it had no room among the attributes (SQS only). */
  traceHeader?: string;
}

export interface SizeLimit {
  limit: number;
  service: 'SQS' | 'SNS';
  /** Write the MEGA routing attributes on MEGA payloads (the publisher's `routingAttributes`). */
  routingAttributes?: boolean;
  /** Set by the publisher's `largePayloads`: payloads past its threshold go through S3. */
  offloader?: PayloadOffloader | undefined;
}

// What SQS accepts in a body (#x9 | #xA | #xD | #x20-#xD7FF | #xE000-#xFFFD | #x10000-#x10FFFF).
// Encoded JSON and base64 never contain anything else, so only raw strings are checked.
const INVALID_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

/** Encodes and sizes one message; throws EncodeError, MegaSchemaError or PayloadTooLargeError. */
export function prepareMessage(
  payload: PublishPayload,
  index: number,
  binaryEncoding: boolean,
  attributes: MappedAttributes,
  size: SizeLimit,
  groupId?: string,
  deduplicationId?: string,
): PreparedMessage {
  const body = encodePayload(payload, { binaryEncoding });
  if (typeof payload === 'string') checkText(body);
  if (size.routingAttributes === true) attributes = withRoutingAttributes(payload, attributes);
  const bytes = utf8Length(body) + attributes.bytes;
  if (size.offloader?.wants(bytes)) {
    const offloaded = size.offloader.plan(body, attributes.values, attributes.bytes);
    if (offloaded.bytes > size.limit) throw new PayloadTooLargeError(offloaded.bytes, size.limit, size.service);
    return { index, body: offloaded.body, bytes: offloaded.bytes, attributes: offloaded.attributes, groupId, deduplicationId, upload: offloaded.upload };
  }
  if (bytes > size.limit) throw new PayloadTooLargeError(bytes, size.limit, size.service);
  return { index, body, bytes, attributes: attributes.values, groupId, deduplicationId };
}

function checkText(body: string): void {
  if (body === '') throw new EncodeError('an empty string cannot be sent: SQS and SNS need a non-empty body');
  const bad = INVALID_CHAR.exec(body);
  if (bad !== null) {
    const code = bad[0].codePointAt(0) ?? 0;
    throw new EncodeError(
      `text payload has character U+${code.toString(16).toUpperCase().padStart(4, '0')} at offset ${bad.index}, which SQS does not accept; send it as bytes instead`,
    );
  }
}

export function checkDelaySeconds(value: number | undefined): void {
  if (value === undefined) return;
  if (!Number.isInteger(value) || value < 0 || value > MAX_DELAY_SECONDS) {
    throw new PublisherOptionsError(`delaySeconds must be an integer from 0 to ${MAX_DELAY_SECONDS}, got ${String(value)}`, 'delaySeconds');
  }
}

// AWS: 1-128 characters from alphanumerics and !"#$%&'()*+,-./:;<=>?@[\]^_`{|}~
const FIFO_ID = /^[\x21-\x7E]+$/;

export function checkFifoId(value: string | undefined, option: 'messageGroupId' | 'messageDeduplicationId'): void {
  if (value === undefined) return;
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_FIFO_ID_LENGTH || !FIFO_ID.test(value)) {
    throw new PublisherOptionsError(
      `${option} must be 1 to ${MAX_FIFO_ID_LENGTH} printable ASCII characters without spaces, got ${JSON.stringify(value)}`,
      option,
    );
  }
}

export function checkBinaryEncoding(value: boolean | undefined): void {
  if (value !== undefined && typeof value !== 'boolean') {
    throw new PublisherOptionsError(`binaryEncoding must be a boolean, got ${typeof value}`, 'binaryEncoding');
  }
}
