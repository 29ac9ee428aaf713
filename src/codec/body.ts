import { isPlainObject } from '../protocol/plain.js';
import { isMegaTagged, parseMegaPayload } from '../protocol/schema.js';
import type { DataObject } from '../protocol/types.js';
import { decodeBase64, isStrictBase64 } from './base64.js';
import { decodeBsonDocument, looksLikeBsonDocument } from './bson.js';
import type { Decoded } from './decoded.js';
import { readSnsEnvelope } from './envelope.js';
import { DecodeError } from './errors.js';
import { exceedsDepth, isJsonNonObject, parseJsonObject } from './json.js';
import { checkBodySize, MAX_DEPTH } from './limits.js';

function invalid(error: unknown, body: string, encoding: Decoded['encoding'] = 'text'): Decoded {
  const reason = error instanceof Error ? error : new DecodeError(String(error));
  return { kind: 'invalid', encoding, error: reason, body };
}

const tooDeep = () => new DecodeError(`payload nests deeper than ${MAX_DEPTH} levels (limit MAX_DEPTH)`);

/** MEGA-tagged objects become MEGA payloads (or invalid); everything else is data. */
function classify(value: DataObject, encoding: 'json' | 'bson', body: string): Decoded {
  if (!isMegaTagged(value)) return { kind: 'data', encoding, payload: value };
  try {
    return { kind: 'mega', encoding, payload: parseMegaPayload(value) };
  } catch (error) {
    return invalid(error, body, encoding);
  }
}

/** Decodes text that is not JSON: base64 BSON, base64 blob, or plaintext, in that order. */
function decodeNonObject(text: string): Decoded {
  if (isStrictBase64(text) && !isJsonNonObject(text)) {
    const bytes = decodeBase64(text);
    if (!looksLikeBsonDocument(bytes)) return { kind: 'binary', encoding: 'blob', payload: bytes };
    try {
      return classify(decodeBsonDocument(bytes), 'bson', text);
    } catch (error) {
      return invalid(error, text, 'bson');
    }
  }
  return { kind: 'plaintext', encoding: 'text', payload: text };
}

/** Decodes a body, or (with `unwrapEnvelope` false) the Message inside an SNS envelope. */
function decodeText(text: string, unwrapEnvelope: boolean): Decoded {
  const json = parseJsonObject(text);
  if (json === undefined) return decodeNonObject(text);
  if (exceedsDepth(json, MAX_DEPTH)) return invalid(tooDeep(), text, 'json');
  const sns = unwrapEnvelope ? readSnsEnvelope(json) : undefined;
  if (sns === undefined) return classify(json, 'json', text);
  const { envelope } = sns;
  const inner = decodeText(sns.message, false);
  // An invalid message keeps the whole body, so whoever logs or dead-letters it sees what arrived.
  return inner.kind === 'invalid' ? { ...inner, body: text, envelope } : { ...inner, envelope };
}

// String() throws for some values (a null-prototype object, for one); decoding must not.
function printable(value: unknown): string {
  try {
    return String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

/** How decodeBody reads a body. */
export interface DecodeOptions {
  /** Largest body accepted, in UTF-8 bytes (default 1 MiB, what SQS carries; more for a payload fetched from S3). */
  maxBodyBytes?: number;
}

function decode(body: string, maxBodyBytes: number | undefined): Decoded {
  if (typeof body !== 'string') return invalid(new DecodeError(`body is ${typeof body}, not a string`), printable(body));
  if (body.length === 0) return invalid(new DecodeError('body is empty'), body);
  const sizeError = checkBodySize(body, maxBodyBytes);
  if (sizeError !== undefined) return invalid(new DecodeError(sizeError), body);
  return decodeText(body, true);
}

/**
 * Decodes an SQS message body. Never throws: anything unusable is `kind: 'invalid'` with an error
 * saying why. Order: SNS envelope (its Message is decoded the same way) -> JSON object -> strict
 * base64 -> BSON document -> binary blob -> plaintext. JSON that is not an object is plaintext.
 * Truncated or otherwise unframed BSON is a binary blob; a framed document that is malformed,
 * not valid UTF-8, too deep or holds non-data types (code, regex...) is invalid.
 */
export function decodeBody(body: string, options?: DecodeOptions): Decoded {
  try {
    return decode(body, options?.maxBodyBytes);
  } catch (error) {
    return invalid(error, typeof body === 'string' ? body : printable(body));
  }
}

function describeBody(value: unknown): string {
  try {
    return JSON.stringify(value) ?? printable(value);
  } catch {
    return printable(value);
  }
}

/**
 * Classifies an object that is already parsed (e.g. handed to the test client): MEGA-tagged ->
 * validated MEGA payload or invalid; anything else -> data. Never throws.
 */
export function decodeObject(value: Record<string, unknown>, encoding: 'json' | 'bson' = 'json'): Decoded {
  try {
    if (!isPlainObject(value)) return invalid(new DecodeError('payload is not a plain object'), describeBody(value), encoding);
    if (exceedsDepth(value, MAX_DEPTH)) return invalid(tooDeep(), describeBody(value), encoding);
    if (!isMegaTagged(value)) return { kind: 'data', encoding, payload: value };
    return { kind: 'mega', encoding, payload: parseMegaPayload(value) };
  } catch (error) {
    return invalid(error, describeBody(value), encoding);
  }
}
