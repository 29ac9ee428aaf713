import { DecodeError } from './errors.js';
import { MAX_DEPTH } from './limits.js';

// BSON element types that are plain data, with their fixed value sizes (-1: sized by content).
const PLAIN_TYPES = new Map<number, number>([
  [0x01, 8], // double
  [0x02, -1], // string
  [0x03, -1], // embedded document
  [0x04, -1], // array
  [0x05, -1], // binary
  [0x06, 0], // undefined (deprecated), read as null
  [0x07, 12], // ObjectId, read as its hex string
  [0x08, 1], // boolean
  [0x09, 8], // UTC datetime, read as a Date
  [0x0a, 0], // null
  [0x10, 4], // int32
  [0x12, 8], // int64
  [0x13, 16], // Decimal128, read as its string
]);

// Types that carry code, patterns or server internals rather than data: never deserialized.
const UNSAFE_TYPES = new Map<number, string>([
  [0x0b, 'regular expression'],
  [0x0c, 'DBPointer'],
  [0x0d, 'JavaScript code'],
  [0x0e, 'symbol'],
  [0x0f, 'JavaScript code with scope'],
  [0x11, 'timestamp'],
  [0xff, 'MinKey'],
  [0x7f, 'MaxKey'],
]);

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** True when the bytes are framed as one BSON document: declared length = byte length, trailing 0. */
export function looksLikeBsonDocument(bytes: Uint8Array): boolean {
  if (bytes.length < 5 || bytes[bytes.length - 1] !== 0) return false;
  const declared = (bytes[0]! | (bytes[1]! << 8) | (bytes[2]! << 16) | (bytes[3]! << 24)) >>> 0;
  return declared === bytes.length;
}

/**
 * Walks a framed BSON document without recursion and without building values, checking every
 * length against its container, UTF-8 in keys, nesting depth and element types. Throws a
 * DecodeError naming the problem and the path; after it passes, the document is safe to hand
 * to the bson deserializer.
 */
export function scanBsonDocument(bytes: Uint8Array): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const ends: number[] = [bytes.length - 1]; // offset of each open document's terminating 0
  const names: string[] = [];
  const path = (last?: string): string => [...names, ...(last === undefined ? [] : [last])].join('.') || '(document)';
  const fail = (problem: string, at?: string): never => {
    throw new DecodeError(`malformed BSON at ${path(at)}: ${problem}`, path(at));
  };
  let pos = 4;
  while (ends.length > 0) {
    const end = ends[ends.length - 1]!;
    if (pos === end) {
      if (bytes[pos] !== 0) fail('document does not end with a zero byte');
      pos++;
      ends.pop();
      names.pop();
      continue;
    }
    if (pos > end) fail('element runs past the end of its document');
    const type = bytes[pos++]!;
    const nameEnd = bytes.indexOf(0, pos);
    if (nameEnd === -1 || nameEnd >= end) fail('unterminated key');
    let name: string;
    try {
      name = utf8.decode(bytes.subarray(pos, nameEnd));
    } catch (error) {
      throw new DecodeError(`malformed BSON at ${path()}: a key is not valid UTF-8`, path(), { cause: error });
    }
    pos = nameEnd + 1;
    const unsafe = UNSAFE_TYPES.get(type);
    if (unsafe !== undefined) {
      throw new DecodeError(`BSON ${unsafe} at ${path(name)} is not plain data`, path(name));
    }
    const size = PLAIN_TYPES.get(type);
    if (size === undefined) fail(`unknown element type 0x${type.toString(16).padStart(2, '0')}`, name);
    if (size! >= 0) {
      pos += size!;
      if (type === 0x08 && bytes[pos - 1]! > 1) fail('boolean is neither 0 nor 1', name);
      if (pos > end) fail('value runs past the end of its document', name);
      continue;
    }
    if (pos + 4 > end) fail('length runs past the end of its document', name);
    const length = view.getInt32(pos, true);
    if (type === 0x03 || type === 0x04) {
      if (length < 5 || pos + length > end) fail('embedded document length does not fit', name);
      if (ends.length >= MAX_DEPTH) {
        throw new DecodeError(`BSON nesting is deeper than ${MAX_DEPTH} levels (limit MAX_DEPTH) at ${path(name)}`, path(name));
      }
      ends.push(pos + length - 1);
      names.push(name);
      pos += 4;
    } else if (type === 0x02) {
      if (length < 1 || pos + 4 + length > end || bytes[pos + 3 + length] !== 0) fail('string length does not fit', name);
      pos += 4 + length;
    } else {
      // binary: length, subtype, bytes
      if (length < 0 || pos + 5 + length > end) fail('binary length does not fit', name);
      pos += 5 + length;
    }
  }
  if (pos !== bytes.length) fail('bytes after the end of the document');
}
