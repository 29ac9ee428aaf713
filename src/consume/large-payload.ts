import type { Message } from '@aws-sdk/client-sqs';
import type { DecodeOptions } from '../codec/body.js';
import type { Decoded } from '../codec/decoded.js';
import { describeError, type ListenerLogger } from '../aws/logger.js';
import type { PayloadResolver } from '../large-payloads/resolve.js';

type Decode = (body: string, options?: DecodeOptions) => Decoded;

/** The message as the rest of the per-message path sees it once any S3 pointer is resolved. */
export type PreparedBody =
  | { kind: 'ready'; message: Message; decode: (body: string) => Decoded; onDeleted?: () => Promise<void> }
  | { kind: 'retry'; error: Error };

/**
 * Resolves an AWS Extended Client pointer before decoding (docs/large-payloads.md): the payload
 * replaces the pointer, so subscribers never know it travelled through S3; a pointer that can never
 * resolve decodes as `invalid` (and follows the invalid-message policy); an S3 failure that can pass
 * asks for a retry. Without a resolver the message goes on untouched.
 */
export async function prepareBody(resolver: PayloadResolver | undefined, message: Message, decode: Decode, logger: ListenerLogger, signal: AbortSignal): Promise<PreparedBody> {
  if (resolver === undefined) return { kind: 'ready', message, decode };
  const resolution = await resolver.resolve(message, signal);
  if (resolution.kind === 'inline') return { kind: 'ready', message, decode };
  if (resolution.kind === 'retry') return resolution;
  if (resolution.kind === 'invalid') {
    const error = resolution.error;
    return { kind: 'ready', message, decode: (body) => ({ kind: 'invalid', encoding: 'text', error, body }) };
  }
  const { pointer } = resolution;
  const maxBodyBytes = resolver.options.maxPayloadBytes;
  const ready: PreparedBody = { kind: 'ready', message: { ...message, Body: resolution.body }, decode: (body) => decode(body, { maxBodyBytes }) };
  if (resolver.options.deleteAfterConsume) {
    ready.onDeleted = () =>
      resolver.release(pointer).catch((error: unknown) => {
        logger.warn('could not delete the large payload of a deleted message; a lifecycle rule will have to', {
          bucket: pointer.bucket,
          key: pointer.key,
          error: error instanceof Error ? describeError(error) : String(error),
        });
      });
  }
  return ready;
}

/** The receive count as SQS reports it (1 when it does not). */
export function receiveCountOf(message: Message): number {
  const count = Number(message.Attributes?.ApproximateReceiveCount);
  return Number.isFinite(count) && count > 0 ? count : 1;
}
