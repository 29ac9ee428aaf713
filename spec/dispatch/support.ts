// Builders shared by the dispatch specs: decoded messages and contexts without any codec or bus.
import type { Decoded } from '../../src/codec/decoded.js';
import type { MessageContext } from '../../src/dispatch/context.js';
import type { DataObject, MegaPayload } from '../../src/protocol/types.js';

export function megaPayload(
  event: Partial<MegaPayload['event']> & { name: string },
  object?: Partial<NonNullable<MegaPayload['object']>> & { current: DataObject },
): MegaPayload {
  return {
    protocol: 'mega',
    version: 1,
    event: { timestamp: new Date('2020-05-04T15:53:23.123Z'), version: 1, attributes: {}, ...event },
    ...(object === undefined ? {} : { object: { version: 1, ...object } }),
    extra: {},
  };
}

export const mega = (payload: MegaPayload): Decoded & { kind: 'mega' } => ({ kind: 'mega', payload, encoding: 'json' });
export const data = (payload: DataObject): Decoded & { kind: 'data' } => ({ kind: 'data', payload, encoding: 'json' });
export const plaintext = (payload: string): Decoded => ({ kind: 'plaintext', payload, encoding: 'text' });
export const binary = (payload: Uint8Array): Decoded => ({ kind: 'binary', payload, encoding: 'blob' });
export const invalid = (body: string): Decoded => ({ kind: 'invalid', error: new Error('bad body'), body, encoding: 'json' });

export function contextFor(decoded: Decoded): MessageContext {
  return { messageId: 'm-1', receiveCount: 1, messageAttributes: {}, decoded, signal: new AbortController().signal };
}
