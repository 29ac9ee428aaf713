import type { Decoded } from '../codec/decoded.js';
import { toWireObject } from '../protocol/wire.js';

/** What the CLI shows of a decoded body: plain JSON values only. */
export interface DecodedView {
  kind: Decoded['kind'];
  encoding: Decoded['encoding'];
  envelope?: Decoded['envelope'];
  payload?: unknown;
  error?: string;
}

/** Turns a decoded body into JSON-ready data: MEGA payloads in wire form, bytes as base64. */
export function decodedView(decoded: Decoded): DecodedView {
  const base = { kind: decoded.kind, encoding: decoded.encoding, ...(decoded.envelope === undefined ? {} : { envelope: decoded.envelope }) };
  switch (decoded.kind) {
    case 'mega':
      return { ...base, payload: toWireObject(decoded.payload) };
    case 'data':
      return { ...base, payload: decoded.payload };
    case 'plaintext':
      return { ...base, payload: decoded.payload };
    case 'binary':
      return { ...base, payload: Buffer.from(decoded.payload).toString('base64') };
    case 'invalid':
      return { ...base, error: decoded.error.message };
  }
}

/**
 * JSON.stringify that never throws on what BSON can hold: bigints become strings, byte arrays
 * base64, BSON values use their own toJSON.
 */
export function toJson(value: unknown, indent?: number): string {
  return JSON.stringify(value, jsonReplacer, indent);
}

function jsonReplacer(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  return value;
}

/** A one-line summary of what a message carries, e.g. `mega item.added (json, via SNS)`. */
export function summary(decoded: Decoded): string {
  const via = decoded.envelope === undefined ? '' : ', SNS envelope';
  switch (decoded.kind) {
    case 'mega': {
      const e = decoded.payload.event;
      return `MEGA event ${e.domain === undefined ? '' : `${e.domain}/`}${e.name} v${e.version} (${decoded.encoding}${via})`;
    }
    case 'data':
      return `data object (${decoded.encoding}${via})`;
    case 'plaintext':
      return `plaintext, ${decoded.payload.length} characters (${decoded.encoding}${via})`;
    case 'binary':
      return `binary, ${decoded.payload.byteLength} bytes (${decoded.encoding}${via})`;
    case 'invalid':
      return `invalid body (${decoded.encoding}${via}): ${decoded.error.message}`;
  }
}

/** Indents every line of a block. */
export function indent(text: string, by = '  '): string {
  return text
    .split('\n')
    .map((line) => by + line)
    .join('\n');
}
