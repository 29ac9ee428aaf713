import type { PublishBatchEntry, PublishBatchFailure, PublishBatchResult } from './batch.js';
import { mapMessageAttributes, type MessageAttributes } from './publish-attributes.js';
import { PublishError, PublisherOptionsError } from './publish-errors.js';
import { checkFifoId, prepareMessage, type PreparedMessage, type PublishPayload, type SizeLimit } from './publish-message.js';

/** A value for each entry, computed from the payload and its input position. */
export type PerEntry<T> = (payload: PublishPayload, index: number) => T;

/** Per-entry settings of a batch publish. */
export interface BatchEntryOptions {
  /** The same attributes for every entry, or attributes per entry. */
  messageAttributes?: MessageAttributes | PerEntry<MessageAttributes | undefined>;
  /** FIFO: one group for every entry, or a group per entry. */
  messageGroupId?: string | PerEntry<string>;
  /** FIFO: a deduplication id per entry (one id for all would drop all but the first). */
  messageDeduplicationId?: PerEntry<string>;
}

/** How a batch publish is sent. */
export interface BatchSendOptions {
  /** Requests in flight at once (default 4; FIFO targets always use 1 to keep order). */
  concurrency?: number;
  /** Tries per entry, counting the first (default 4); only transient failures are retried. */
  maxAttempts?: number;
  /** First retry delay in ms (default 100), doubled per attempt with full jitter. */
  retryDelayMs?: number;
}

export interface PreparedBatch {
  /** Encodes and returns the next sendable message, recording unsendable ones in `results`. */
  nextMessage: () => PreparedMessage | undefined;
  /** One slot per payload, filled as entries fail to prepare or get their final outcome. */
  results: PublishBatchEntry[];
}

/**
 * Encodes and sizes each payload once, on demand. A payload that cannot be sent (bad payload, too
 * large, bad per-entry option) becomes a failed entry, not a thrown error; options shared by all
 * entries are validated up front and throw.
 */
export function prepareBatch(
  payloads: readonly PublishPayload[],
  options: BatchEntryOptions & { binaryEncoding?: boolean },
  size: SizeLimit,
  checkEntry?: (groupId: string | undefined) => void,
): PreparedBatch {
  if (!Array.isArray(payloads)) throw new PublisherOptionsError('payloads must be an array', 'payloads');
  const binary = options.binaryEncoding === true;
  const attributesOption = options.messageAttributes;
  const attributesFn = typeof attributesOption === 'function' ? attributesOption : undefined;
  const shared = attributesFn === undefined ? mapMessageAttributes(attributesOption as MessageAttributes | undefined) : undefined;
  const groupOption = options.messageGroupId;
  const groupFn = typeof groupOption === 'function' ? groupOption : undefined;
  const sharedGroup = groupFn === undefined ? groupOption as string | undefined : undefined;
  if (groupFn === undefined) {
    checkFifoId(sharedGroup, 'messageGroupId');
    checkEntry?.(sharedGroup);
  }
  const dedupFn = options.messageDeduplicationId;
  if (dedupFn !== undefined && typeof dedupFn !== 'function') {
    throw new PublisherOptionsError('messageDeduplicationId in a batch must be a function (payload, index) => id', 'messageDeduplicationId');
  }

  const results = new Array<PublishBatchEntry>(payloads.length);
  let cursor = 0;
  const nextMessage = (): PreparedMessage | undefined => {
    while (cursor < payloads.length) {
      const index = cursor++;
      const payload = payloads[index] as PublishPayload;
      try {
        const attributes = shared ?? mapMessageAttributes(attributesFn?.(payload, index));
        let groupId = sharedGroup;
        if (groupFn !== undefined) {
          groupId = groupFn(payload, index);
          checkFifoId(groupId, 'messageGroupId');
          checkEntry?.(groupId);
        }
        const dedupId = dedupFn?.(payload, index);
        checkFifoId(dedupId, 'messageDeduplicationId');
        return prepareMessage(payload, index, binary, attributes, size, groupId, dedupId);
      } catch (error) {
        results[index] = { index, ok: false, error: error instanceof Error ? error : new Error(String(error)) };
      }
    }
    return undefined;
  };
  return { nextMessage, results };
}

export function resolveSendOptions(options: BatchSendOptions, fifo: boolean): { concurrency: number; maxAttempts: number; retryBaseDelayMs: number } {
  const concurrency = positiveInteger(options.concurrency, 4, 'concurrency');
  const maxAttempts = positiveInteger(options.maxAttempts, 4, 'maxAttempts');
  const retryDelayMs = options.retryDelayMs ?? 100;
  if (typeof retryDelayMs !== 'number' || !Number.isFinite(retryDelayMs) || retryDelayMs < 0) {
    throw new PublisherOptionsError(`retryDelayMs must be a number of milliseconds >= 0, got ${String(retryDelayMs)}`, 'retryDelayMs');
  }
  return { concurrency: fifo ? 1 : concurrency, maxAttempts, retryBaseDelayMs: retryDelayMs };
}

function positiveInteger(value: number | undefined, fallback: number, option: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) throw new PublisherOptionsError(`${option} must be an integer >= 1, got ${String(value)}`, option);
  return value;
}

/** Attaches `failed` to the outcome list; a gap (which would be a bug) is reported, never dropped. */
export function finishBatch(results: PublishBatchEntry[]): PublishBatchResult {
  const failed: PublishBatchFailure[] = [];
  for (let index = 0; index < results.length; index++) {
    let entry = results[index];
    if (entry === undefined) {
      entry = { index, ok: false, error: new PublishError('entry was never sent', 'NotSent', false) };
      results[index] = entry;
    }
    if (!entry.ok) failed.push(entry);
  }
  Object.defineProperty(results, 'failed', { value: failed, enumerable: false });
  return results as unknown as PublishBatchResult;
}
