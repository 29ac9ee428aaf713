import { ChangeMessageVisibilityBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { REQUEST_TIMEOUT_MS, withTimeout } from '../aws/request-timeout.js';
import { visibilityLeftSeconds } from '../aws/visibility-limit.js';

const BATCH_SIZE = 10;
/** Shortest time an extension request is given, even when its message may already be visible again. */
const MIN_REQUEST_MS = 250;
/** Shortest wait before a failed extension is tried again. */
const MIN_RETRY_MS = 100;

/** A message whose visibility the heartbeat keeps extending. */
interface HeartbeatEntry {
  readonly messageId: string;
  readonly receiptHandle: string;
  /** When its ReceiveMessage call went out (ms since epoch): SQS's 12 hours per receive count from here. */
  readonly receivedAt: number;
  /** When the next extension is due (ms since epoch). */
  extendAt: number;
  /** When the message becomes visible unless extended: counted from when the last successful request went out. */
  expiresAt: number;
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
 * Keeps messages hidden while their handlers run. Each message is extended (ChangeMessageVisibilityBatch)
 * when its own period is up; one shared timer (not one per message) is armed for the earliest due
 * message and takes along those due soon, to fill batches. Each batch is a call of its own, abandoned
 * well before its messages would become visible, so one hung call holds up no other message.
 */
export class Heartbeat {
  /** One entry per receipt handle: a held FIFO message handed to its handler keeps its schedule. */
  private readonly entries = new Map<string, HeartbeatEntry>();
  /** The extension call in flight for each receipt handle. */
  private readonly extending = new Map<string, Promise<void>>();
  private readonly periodMs: number;
  private readonly visibilityMs: number;
  private timer: { at: number; handle: NodeJS.Timeout } | undefined;
  /** Set while started; aborting it abandons the calls in flight. */
  private running: AbortController | undefined;

  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
    private readonly options: HeartbeatOptions,
  ) {
    this.visibilityMs = options.visibilityTimeout * 1000;
    this.periodMs = this.visibilityMs * options.fraction;
  }

  /** Whether the heartbeat does anything: a zero visibility timeout has nothing to extend. */
  get enabled(): boolean {
    return this.periodMs > 0;
  }

  get size(): number {
    return this.entries.size;
  }

  start(): void {
    if (!this.enabled || this.running) return;
    this.running = new AbortController();
    for (const entry of this.entries.values()) this.armFor(entry.extendAt);
  }

  /** Stops extending anything, and abandons the extensions in flight. */
  stop(): void {
    clearTimeout(this.timer?.handle);
    this.timer = undefined;
    this.running?.abort(new Error('heartbeat stopped'));
    this.running = undefined;
    this.entries.clear();
  }

  /**
   * Starts keeping a message hidden; `receivedAt` is when the ReceiveMessage call went out (the
   * conservative start). A receipt handle already tracked keeps its entry.
   */
  track(messageId: string, receiptHandle: string, receivedAt: number): void {
    if (!this.enabled || this.entries.has(receiptHandle)) return;
    const entry = { messageId, receiptHandle, receivedAt, extendAt: receivedAt + this.periodMs, expiresAt: receivedAt + this.visibilityMs };
    this.entries.set(receiptHandle, entry);
    this.armFor(entry.extendAt);
  }

  untrack(receiptHandle: string): void {
    this.entries.delete(receiptHandle);
  }

  /**
   * Resolves once no extension of this message is in flight. A retry or a release waits for it after
   * `untrack`, so that an extension sent just before cannot land after and hide the message again.
   */
  async settled(receiptHandle: string): Promise<void> {
    await this.extending.get(receiptHandle);
  }

  /** Arms the shared timer for `at`, unless it already fires by then. */
  private armFor(at: number): void {
    if (!this.running || (this.timer && this.timer.at <= at)) return;
    clearTimeout(this.timer?.handle);
    const handle = setTimeout(() => {
      this.timer = undefined;
      this.extendDue();
    }, Math.max(0, at - Date.now()));
    handle.unref();
    this.timer = { at, handle };
  }

  /** Sends every message due, with those due within a quarter period, in batches; re-arms for the rest. */
  private extendDue(): void {
    const now = Date.now();
    const due: HeartbeatEntry[] = [];
    let next = Infinity;
    for (const entry of this.entries.values()) {
      // Past SQS's 12 hours per receive nothing can be added: such a message comes back regardless.
      if (this.extending.has(entry.receiptHandle) || visibilityLeftSeconds(entry.receivedAt, now) === 0) continue;
      if (entry.extendAt <= now + this.periodMs / 4) due.push(entry);
      else next = Math.min(next, entry.extendAt);
    }
    // Messages that expire together share a call, so each call's deadline suits all of its messages.
    due.sort((a, b) => a.expiresAt - b.expiresAt);
    for (let i = 0; i < due.length; i += BATCH_SIZE) this.send(due.slice(i, i + BATCH_SIZE), now);
    if (next < Infinity) this.armFor(next);
  }

  private send(batch: HeartbeatEntry[], now: number): void {
    const left = Math.min(...batch.map((entry) => entry.expiresAt)) - now;
    // Give up on the call halfway to the expiry, leaving time for another attempt.
    const budget = Math.min(REQUEST_TIMEOUT_MS, Math.max(MIN_REQUEST_MS, left / 2));
    // Due again then unless the call succeeds (which sets the next period): a failure is retried.
    const retryAt = now + (left > 0 ? Math.max(MIN_RETRY_MS, left / 2) : this.periodMs);
    for (const entry of batch) entry.extendAt = retryAt;
    const call = this.extend(batch, now, budget).finally(() => {
      for (const entry of batch) {
        this.extending.delete(entry.receiptHandle);
        if (this.entries.get(entry.receiptHandle) === entry) this.armFor(entry.extendAt);
      }
    });
    for (const entry of batch) this.extending.set(entry.receiptHandle, call);
  }

  private async extend(batch: HeartbeatEntry[], sentAt: number, budget: number): Promise<void> {
    const grantable = (entry: HeartbeatEntry) => Math.min(this.options.visibilityTimeout, visibilityLeftSeconds(entry.receivedAt, sentAt));
    const stillTracked = (entry: HeartbeatEntry | undefined): entry is HeartbeatEntry =>
      entry !== undefined && this.entries.get(entry.receiptHandle) === entry;
    try {
      const response = await withTimeout(budget, this.running?.signal ?? AbortSignal.abort(), (abortSignal) =>
        this.client.send(
          new ChangeMessageVisibilityBatchCommand({
            QueueUrl: this.queueUrl,
            Entries: batch.map((entry, index) => ({
              Id: String(index),
              ReceiptHandle: entry.receiptHandle,
              VisibilityTimeout: grantable(entry),
            })),
          }),
          { abortSignal },
        ),
      );
      const extended: string[] = [];
      for (const ok of response.Successful ?? []) {
        const entry = batch[Number(ok.Id)];
        if (!entry) continue;
        entry.extendAt = sentAt + this.periodMs;
        entry.expiresAt = sentAt + grantable(entry) * 1000;
        extended.push(entry.messageId);
      }
      if (extended.length > 0) this.options.onExtended?.(extended);
      // A message that finished while the call was out (deleted, retried) has nothing left to extend.
      const failed = (response.Failed ?? []).flatMap((f) => {
        const entry = batch[Number(f.Id)];
        return stillTracked(entry) ? [`${entry.messageId} (${f.Code ?? 'unknown'})`] : [];
      });
      if (failed.length > 0) this.options.onError(new Error('ChangeMessageVisibilityBatch entries failed'), failed);
    } catch (error) {
      const ids = batch.filter(stillTracked).map((entry) => entry.messageId);
      if (ids.length > 0) this.options.onError(error instanceof Error ? error : new Error(String(error)), ids);
    }
  }
}
