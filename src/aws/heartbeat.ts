import { ChangeMessageVisibilityBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { timeoutOptions } from './request-timeout.js';
import { visibilityLeftSeconds } from './visibility-limit.js';

const BATCH_SIZE = 10;
const MIN_TICK_MS = 100;

/** A message whose visibility the heartbeat keeps extending. */
export interface HeartbeatEntry {
  readonly messageId: string;
  readonly receiptHandle: string;
  /** When its ReceiveMessage call went out (ms since epoch). */
  readonly receivedAt: number;
  /** When the message needs its next extension (ms since epoch). */
  extendAt: number;
}

export interface HeartbeatOptions {
  /** The visibility timeout each extension sets, in seconds. */
  visibilityTimeout: number;
  /** Extend once this fraction of the timeout has passed since the last receive or extension. */
  fraction: number;
  onError: (error: Error, messageIds: string[]) => void;
  onExtended?: (messageIds: string[]) => void;
}

/**
 * Keeps messages hidden while their handlers run: one shared timer (not one per message) ticks at half
 * the extension period and extends, with ChangeMessageVisibilityBatch, every tracked message that is due.
 * A slow but healthy handler therefore never sees its message handed to another consumer.
 */
export class Heartbeat {
  private readonly entries = new Set<HeartbeatEntry>();
  private readonly periodMs: number;
  private timer: NodeJS.Timeout | undefined;
  private current: Promise<void> | undefined;

  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
    private readonly options: HeartbeatOptions,
  ) {
    this.periodMs = options.visibilityTimeout * 1000 * options.fraction;
  }

  /** Whether the heartbeat does anything: a zero visibility timeout has nothing to extend. */
  get enabled(): boolean {
    return this.periodMs > 0;
  }

  get size(): number {
    return this.entries.size;
  }

  start(): void {
    if (!this.enabled || this.timer) return;
    this.timer = setInterval(() => void this.tick(), Math.max(MIN_TICK_MS, this.periodMs / 2));
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.entries.clear();
  }

  /** Starts watching a message; `receivedAt` is when the ReceiveMessage call went out (the conservative start). */
  track(messageId: string, receiptHandle: string, receivedAt: number): HeartbeatEntry {
    const entry: HeartbeatEntry = { messageId, receiptHandle, receivedAt, extendAt: receivedAt + this.periodMs };
    if (this.enabled) this.entries.add(entry);
    return entry;
  }

  untrack(entry: HeartbeatEntry): void {
    this.entries.delete(entry);
  }

  /** Extends every due message; exported for tests, normally run by the timer. */
  tick(now = Date.now()): Promise<void> {
    // A slow SQS must not pile up overlapping heartbeats.
    this.current ??= this.extendDue(now).finally(() => {
      this.current = undefined;
    });
    return this.current;
  }

  /**
   * Resolves once no extension is in flight. A retry waits for it, so that an extension sent just
   * before the handler finished cannot land after the retry delay and override it.
   */
  async settled(): Promise<void> {
    await this.current;
  }

  private async extendDue(now: number): Promise<void> {
    const due: HeartbeatEntry[] = [];
    // Past SQS's 12 hours per receive nothing can be extended: such a message comes back regardless.
    for (const entry of this.entries) if (entry.extendAt <= now && visibilityLeftSeconds(entry.receivedAt, now) > 0) due.push(entry);
    const sends: Promise<void>[] = [];
    for (let i = 0; i < due.length; i += BATCH_SIZE) sends.push(this.extend(due.slice(i, i + BATCH_SIZE), now));
    await Promise.all(sends);
  }

  private async extend(batch: HeartbeatEntry[], now: number): Promise<void> {
    const sentAt = Date.now();
    try {
      const response = await this.client.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: this.queueUrl,
          Entries: batch.map((entry, index) => ({
            Id: String(index),
            ReceiptHandle: entry.receiptHandle,
            VisibilityTimeout: Math.min(this.options.visibilityTimeout, visibilityLeftSeconds(entry.receivedAt, now)),
          })),
        }),
        timeoutOptions(),
      );
      const extended: string[] = [];
      for (const ok of response.Successful ?? []) {
        const entry = batch[Number(ok.Id)];
        if (!entry) continue;
        entry.extendAt = sentAt + this.periodMs;
        extended.push(entry.messageId);
      }
      if (extended.length > 0) this.options.onExtended?.(extended);
      // A message that finished while the call was out (deleted, retried) has nothing left to extend.
      const failed = (response.Failed ?? []).flatMap((f) => {
        const entry = batch[Number(f.Id)];
        return entry && this.entries.has(entry) ? [`${entry.messageId} (${f.Code ?? 'unknown'})`] : [];
      });
      if (failed.length > 0) this.options.onError(new Error('ChangeMessageVisibilityBatch entries failed'), failed);
    } catch (error) {
      // Left due: the next tick tries again.
      const stillTracked = batch.filter((e) => this.entries.has(e)).map((e) => e.messageId);
      if (stillTracked.length > 0) this.options.onError(error instanceof Error ? error : new Error(String(error)), stillTracked);
    }
  }
}
