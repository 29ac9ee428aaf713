import { resolvePublishLargePayloads, type LargePayloadPublishOptions } from '../large-payloads/options.js';
import { PayloadOffloader } from '../large-payloads/offload.js';
import { LargePayloadError } from '../large-payloads/errors.js';
import type { AwsClientOptions } from '../aws/clients.js';
import type { BatchResponse, SendBatch } from './batch.js';
import type { PreparedMessage } from './publish-message.js';

/** The publisher's `largePayloads`, validated against what the target accepts; undefined when not set. */
export function offloaderFor(option: LargePayloadPublishOptions | undefined, limit: number, aws: AwsClientOptions): PayloadOffloader | undefined {
  if (option === undefined) return undefined;
  return new PayloadOffloader(resolvePublishLargePayloads(option, limit), { region: aws.region, endpoint: aws.endpoint, credentials: aws.credentials });
}

/** Stores an offloaded payload before its pointer is sent: a failed upload means nothing is sent. */
export async function uploadFirst(offloader: PayloadOffloader | undefined, message: PreparedMessage): Promise<void> {
  if (offloader !== undefined && message.upload !== undefined) await offloader.upload(message.upload);
}

/**
 * Wraps a batch sender so each offloaded entry is stored before its request goes out. An entry whose
 * upload failed is left out of the request and reported failed (retried by the batch runner when
 * S3's failure can pass); the others go as usual.
 */
export function uploadingFirst(offloader: PayloadOffloader | undefined, send: SendBatch): SendBatch {
  if (offloader === undefined) return send;
  return async (entries) => {
    const outcomes = await Promise.allSettled(entries.map((m) => (m.upload === undefined ? undefined : offloader.upload(m.upload))));
    const ready: number[] = [];
    const failed: BatchResponse['failed'][number][] = [];
    outcomes.forEach((outcome, id) => {
      if (outcome.status === 'fulfilled') ready.push(id);
      else failed.push(uploadFailure(id, outcome.reason));
    });
    if (ready.length === 0) return { successful: [], failed };
    // The request's entry ids are positions in what is sent; map them back to positions in `entries`.
    const response = await send(ready.map((id) => entries[id] as PreparedMessage));
    return {
      successful: response.successful.map((s) => ({ ...s, id: ready[s.id] ?? -1 })),
      failed: [...failed, ...response.failed.map((f) => ({ ...f, id: ready[f.id] ?? -1 }))],
    };
  };
}

function uploadFailure(id: number, reason: unknown): BatchResponse['failed'][number] {
  const transient = reason instanceof LargePayloadError && reason.transient;
  const message = reason instanceof Error ? reason.message : String(reason);
  return { id, code: 'LargePayloadUploadFailed', message, senderFault: !transient };
}
