import { DeleteMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { Backoff } from '../aws/backoff.js';
import { REQUEST_TIMEOUT_MS, withSharedTimeout } from '../aws/request-timeout.js';
import { withDeadline } from './shutdown.js';

const BATCH_SIZE = 10;

interface PendingDelete {
  messageId: string;
  receiptHandle: string;
  attempts: number;
  settle: (deleted: boolean) => void;
}

export interface DeleteBatcherOptions {
  /** How long a partial batch waits for company before it is sent (default 10 ms). */
  flushDelayMs?: number;
  /** Attempts per message before giving up and leaving it to be redelivered (default 8). */
  maxAttempts?: number;
  /** Reports a failed attempt; `final` when the batcher gives up on those messages. */
  onError: (error: Error, messageIds: string[], final: boolean) => void;
  backoff?: Backoff;
  /** Abandon a DeleteMessageBatch call (and retry it) after this long (default 20 s). */
  requestTimeoutMs?: number;
}

/**
 * Deletes messages with DeleteMessageBatch: a batch goes out as soon as it has 10 entries, or after a
 * short delay. Failed entries are retried with backoff; a message whose delete keeps failing is
 * reported and left on the queue (it will be delivered again: at-least-once, never lost).
 */
export class DeleteBatcher {
  private pending: PendingDelete[] = [];
  private timer: NodeJS.Timeout | undefined;
  /** Every delete asked for and not yet settled, wherever it is (queued, in flight, waiting to retry). */
  private readonly unsettled = new Set<PendingDelete>();
  private readonly retryTimers = new Set<NodeJS.Timeout>();
  /** Aborted by `flush` when it gives up: cancels the requests in flight and refuses new deletes. */
  private readonly closed = new AbortController();
  private idleWaiters: (() => void)[] = [];
  private readonly flushDelayMs: number;
  private readonly maxAttempts: number;
  private readonly backoff: Backoff;

  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
    private readonly options: DeleteBatcherOptions,
  ) {
    this.flushDelayMs = options.flushDelayMs ?? 10;
    this.maxAttempts = options.maxAttempts ?? 8;
    this.backoff = options.backoff ?? new Backoff(100, 5_000);
  }

  /**
   * Queues a delete; `settle` hears true once SQS confirmed it, false if the batcher gave up (at once
   * when it has given up already). A callback rather than a promise: this runs for every message.
   */
  delete(messageId: string, receiptHandle: string, settle: (deleted: boolean) => void): void {
    if (this.closed.signal.aborted) {
      settle(false);
      return;
    }
    const entry = { messageId, receiptHandle, attempts: 0, settle };
    this.unsettled.add(entry);
    this.enqueue(entry);
  }

  /**
   * Sends whatever is queued now and waits for every delete asked for so far to settle, but at most
   * `ms`, or until `cut` aborts. Then it gives up on the rest: requests in flight are cancelled, retries
   * dropped, their deletes settle false and later ones are refused. Resolves with the ids given up,
   * which stay on the queue and come back after their visibility timeout (at-least-once).
   */
  async flush(ms: number, cut?: AbortSignal): Promise<string[]> {
    if (await withDeadline(this.settled(), ms, cut)) return [];
    this.closed.abort(new Error('gave up deleting: the listener stopped'));
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    for (const timer of this.retryTimers) clearTimeout(timer);
    this.retryTimers.clear();
    this.pending = [];
    const givenUp = [...this.unsettled];
    for (const entry of givenUp) this.done(entry, false);
    return givenUp.map((entry) => entry.messageId);
  }

  private async settled(): Promise<void> {
    this.sendPending();
    while (this.unsettled.size > 0) {
      await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
      this.sendPending();
    }
  }

  private enqueue(entry: PendingDelete): void {
    this.pending.push(entry);
    if (this.pending.length >= BATCH_SIZE) {
      void this.send(this.pending.splice(0, BATCH_SIZE));
    }
    if (this.pending.length > 0) this.timer ??= setTimeout(() => this.sendPending(), this.flushDelayMs);
    else if (this.timer !== undefined) {
      // A full batch went out and nothing waits: no timer left to wake the process for nothing.
      clearTimeout(this.timer);
      this.timer = undefined;
    }
  }

  private sendPending(): void {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    while (this.pending.length > 0) void this.send(this.pending.splice(0, BATCH_SIZE));
  }

  private async send(batch: PendingDelete[]): Promise<void> {
    let response;
    try {
      const command = new DeleteMessageBatchCommand({
        QueueUrl: this.queueUrl,
        Entries: batch.map((entry, index) => ({ Id: String(index), ReceiptHandle: entry.receiptHandle })),
      });
      response = await withSharedTimeout(this.options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS, this.closed.signal, (abortSignal) =>
        this.client.send(command, { abortSignal }),
      );
    } catch (error) {
      this.retry(batch, toError(error));
      return;
    }
    this.backoff.reset();
    const answered = new Set<number>();
    for (const ok of response.Successful ?? []) {
      const index = Number(ok.Id);
      if (answered.has(index)) continue;
      answered.add(index);
      this.done(batch[index], true);
    }
    const retriable: PendingDelete[] = [];
    let retryError: Error | undefined;
    for (const failed of response.Failed ?? []) {
      const entry = batch[Number(failed.Id)];
      if (!entry || answered.has(Number(failed.Id))) continue;
      answered.add(Number(failed.Id));
      const error = new Error(`DeleteMessageBatch entry failed: ${failed.Code ?? 'unknown'} ${failed.Message ?? ''}`.trim());
      if (failed.SenderFault) {
        // A bad or expired receipt handle will not get better; the message comes back on its own.
        this.options.onError(error, [entry.messageId], true);
        this.done(entry, false);
      } else {
        retriable.push(entry);
        retryError ??= error;
      }
    }
    // An entry the response does not mention is tried again rather than assumed deleted.
    batch.forEach((entry, index) => {
      if (!answered.has(index)) retriable.push(entry);
    });
    if (retriable.length > 0) this.retry(retriable, retryError ?? new Error('DeleteMessageBatch did not answer for some entries'));
  }

  private retry(entries: PendingDelete[], error: Error): void {
    if (this.closed.signal.aborted) return; // given up already, and reported by flush's caller
    const again: PendingDelete[] = [];
    const givenUp: PendingDelete[] = [];
    for (const entry of entries) {
      entry.attempts += 1;
      (entry.attempts >= this.maxAttempts ? givenUp : again).push(entry);
    }
    if (again.length > 0) this.options.onError(error, again.map((e) => e.messageId), false);
    if (givenUp.length > 0) this.options.onError(error, givenUp.map((e) => e.messageId), true);
    for (const entry of givenUp) this.done(entry, false);
    if (again.length === 0) return;
    const timer = setTimeout(() => {
      this.retryTimers.delete(timer);
      for (const entry of again) this.enqueue(entry);
    }, this.backoff.next());
    this.retryTimers.add(timer);
  }

  private done(entry: PendingDelete | undefined, deleted: boolean): void {
    // A late answer for an entry flush gave up on (or a duplicate id) settles nothing twice.
    if (!entry || !this.unsettled.delete(entry)) return;
    entry.settle(deleted);
    if (this.unsettled.size === 0 && this.idleWaiters.length > 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const wake of waiters) wake();
    }
  }
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
