import { toPublishError, type BatchResponse } from './batch.js';
import type { AwsClientOptions } from '../aws/clients.js';
import { PublisherOptionsError } from './publish-errors.js';

/** What a single publish returns; `sequenceNumber` only for FIFO queues and topics. */
export interface PublishResult {
  messageId: string;
  sequenceNumber?: string;
}

export function publishResult(messageId: string | undefined, sequenceNumber: string | undefined): PublishResult {
  if (messageId === undefined || messageId === '') throw toPublishError(new Error('the service returned no MessageId'));
  return sequenceNumber === undefined ? { messageId } : { messageId, sequenceNumber };
}

/** Constructor options are an object, and a given client excludes settings it would ignore. */
export function checkClientOptions(options: (AwsClientOptions & { client?: unknown }) | undefined, owner: string): void {
  if (options === null || typeof options !== 'object') throw new PublisherOptionsError(`${owner} needs an options object`, 'options');
  if (options.client === undefined) return;
  const ignored = (['region', 'endpoint', 'credentials'] as const).filter((key) => options[key] !== undefined);
  if (ignored.length > 0) {
    throw new PublisherOptionsError(`${owner}: pass either client or ${ignored.join('/')}, not both (the client already has its own)`, ignored[0] ?? 'client');
  }
}

type Successful = ReadonlyArray<{ Id?: string; MessageId?: string; SequenceNumber?: string }> | undefined;
type Failed = ReadonlyArray<{ Id?: string; Code?: string; Message?: string; SenderFault?: boolean }> | undefined;

/**
 * Normalises SendMessageBatch / PublishBatch output (entry ids are request positions). A success
 * without a message id is left out, so the runner reports that entry instead of inventing an id.
 */
export function batchResponse(successful: Successful, failed: Failed): BatchResponse {
  const ok: { id: number; messageId: string; sequenceNumber?: string }[] = [];
  for (const s of successful ?? []) {
    if (s.MessageId === undefined || s.MessageId === '') continue;
    ok.push(s.SequenceNumber === undefined ? { id: Number(s.Id), messageId: s.MessageId } : { id: Number(s.Id), messageId: s.MessageId, sequenceNumber: s.SequenceNumber });
  }
  return {
    successful: ok,
    failed: (failed ?? []).map((f) => ({ id: Number(f.Id), code: f.Code ?? 'Unknown', message: f.Message ?? '', senderFault: f.SenderFault === true })),
  };
}
