import { createHash } from 'node:crypto';
import type { Decoded } from '../codec/decoded.js';
import type { MessageContext } from '../dispatch/context.js';

/**
 * What makes two messages "the same":
 * - `'messageId'` (default): the transport's message id; catches redeliveries of one message;
 * - `'payloadHash'`: a SHA-256 of the decoded payload in a canonical form; also catches the same
 *   payload published twice (a publish retry gets a new message id);
 * - a function of the decoded message and its context; `undefined` or `''` means "no key".
 * A message without a key is processed normally, with no claim.
 */
export type IdempotencyKey = 'messageId' | 'payloadHash' | ((decoded: Decoded, context: MessageContext) => string | undefined);

/** The store key of a message under a strategy, or undefined when it has none. May throw (a user function). */
export function keyOf(strategy: IdempotencyKey, context: MessageContext): string | undefined {
  if (strategy === 'messageId') return context.messageId === '' ? undefined : `id:${context.messageId}`;
  if (strategy === 'payloadHash') return payloadHash(context.decoded);
  const key = strategy(context.decoded, context);
  return typeof key === 'string' && key !== '' ? key : undefined;
}

/**
 * `sha256:<hex>` of the payload's kind and canonical form; undefined for a body that did not decode.
 * The SNS envelope (its own message id and time) is left out, so the same payload sent to a queue
 * directly and through a topic hashes the same.
 */
export function payloadHash(decoded: Decoded): string | undefined {
  if (decoded.kind === 'invalid') return undefined;
  const hash = createHash('sha256').update(decoded.kind).update('\n');
  if (decoded.kind === 'plaintext') hash.update(decoded.payload);
  else if (decoded.kind === 'binary') hash.update(decoded.payload);
  else hash.update(canonical(decoded.payload));
  return `sha256:${hash.digest('hex')}`;
}

/**
 * JSON with object keys sorted, and the values BSON adds written as their JSON encoding writes them
 * (a Date as its ISO string, a bigint as its digits, bytes as base64): key order and JSON-or-BSON on
 * the wire do not change the hash. `undefined` members are left out, as JSON.stringify does.
 */
export function canonical(value: unknown): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') return Number.isFinite(value) ? JSON.stringify(value) : 'null';
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (value instanceof Uint8Array) return JSON.stringify(Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64'));
  if (Array.isArray(value)) return `[${value.map((item) => (item === undefined ? 'null' : canonical(item))).join(',')}]`;
  if (typeof value === 'object') {
    const members = Object.keys(value)
      .sort()
      .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
      .map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`);
    return `{${members.join(',')}}`;
  }
  return 'null';
}
