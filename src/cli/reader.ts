import type { Message, SQSClient } from '@aws-sdk/client-sqs';
import { ChangeMessageVisibilityBatchCommand, DeleteMessageBatchCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import type { PayloadResolver } from '../large-payloads/resolve.js';
import { showMessage, type Shown } from './large-payload.js';
import type { CliIO } from './io.js';
import { decodedView, indent, summary, toJson } from './render.js';

export interface ReadOptions {
  queueUrl: string;
  max: number;
  /** Long-poll wait per receive; the read ends at the first receive that comes back empty. */
  waitSeconds: number;
  visibilityTimeout: number;
  json: boolean;
  quiet: boolean;
  /** What to do with each received batch after it was printed. */
  settle: 'delete' | 'keep' | 'release-at-end';
  /** Resolves AWS Extended Client pointers, so the payload from S3 is what is shown. */
  largePayloads: PayloadResolver;
}

export interface ReadResult {
  received: number;
  deleted: number;
  released: number;
}

/**
 * Receives up to `max` messages and prints each one as it arrives. Messages stay hidden while the
 * read goes on (so none is shown twice); `release-at-end` then makes them visible again at once.
 */
export async function readMessages(client: SQSClient, options: ReadOptions, io: CliIO): Promise<ReadResult> {
  const result: ReadResult = { received: 0, deleted: 0, released: 0 };
  const toRelease: Message[] = [];
  const seen = new Set<string>();
  const progress = new Progress(io, options.max, options.quiet || options.max <= 10);
  try {
    while (result.received < options.max) {
      const out = await client.send(
        new ReceiveMessageCommand({
          QueueUrl: options.queueUrl,
          MaxNumberOfMessages: Math.min(10, options.max - result.received),
          WaitTimeSeconds: options.waitSeconds,
          VisibilityTimeout: options.visibilityTimeout,
          MessageAttributeNames: ['All'],
          MessageSystemAttributeNames: ['ApproximateReceiveCount', 'SentTimestamp', 'MessageGroupId'],
        }),
      );
      // A message seen before came back (a visibility timeout shorter than the read): the queue
      // has nothing new for this read, so stop rather than list it twice.
      const batch = (out.Messages ?? []).filter((m) => m.MessageId === undefined || !seen.has(m.MessageId));
      if (batch.length === 0) break;
      for (const message of batch) {
        if (message.MessageId !== undefined) seen.add(message.MessageId);
        result.received += 1;
        io.stdout.write(render(message, await showMessage(options.largePayloads, message), result.received, options.json));
      }
      if (options.settle === 'delete') result.deleted += await deleteBatch(client, options.queueUrl, batch);
      if (options.settle === 'release-at-end') toRelease.push(...batch);
      progress.update(result.received);
    }
  } finally {
    progress.done();
    // Even when the read fails halfway, what was hidden for a peek is made visible again.
    for (let i = 0; i < toRelease.length; i += 10) {
      result.released += await releaseBatch(client, options.queueUrl, toRelease.slice(i, i + 10));
    }
  }
  return result;
}

function render(message: Message, shown: Shown, n: number, json: boolean): string {
  const { decoded, fromS3 } = shown;
  const view = { ...decodedView(decoded), ...(fromS3 === undefined ? {} : { fromS3 }) };
  const meta = {
    messageId: message.MessageId,
    receiveCount: Number(message.Attributes?.ApproximateReceiveCount ?? 0) || undefined,
    sentAt: sentAt(message),
    groupId: message.Attributes?.MessageGroupId,
    attributes: stringAttributes(message),
  };
  if (json) return toJson({ ...meta, ...view }) + '\n';
  const lines = [`#${n} ${meta.messageId ?? '(no id)'}  ${summary(decoded)}`];
  const details = [
    meta.receiveCount === undefined ? undefined : `receive count ${meta.receiveCount}`,
    meta.sentAt === undefined ? undefined : `sent ${meta.sentAt}`,
    meta.groupId === undefined ? undefined : `group ${meta.groupId}`,
  ].filter((d) => d !== undefined);
  if (details.length > 0) lines.push(`  ${details.join(', ')}`);
  if (meta.attributes !== undefined) lines.push(`  attributes: ${toJson(meta.attributes)}`);
  if (fromS3 !== undefined) lines.push(`  payload from S3: ${fromS3}`);
  if (view.envelope !== undefined) {
    const e = view.envelope;
    lines.push(`  envelope: SNS ${e.type} ${e.messageId} from ${e.topicArn}${e.subject === undefined ? '' : ` (subject ${JSON.stringify(e.subject)})`}`);
  }
  if (view.error !== undefined) lines.push(`  error: ${view.error}`);
  else lines.push('  payload:', indent(typeof view.payload === 'string' ? view.payload : toJson(view.payload, 2), '    '));
  return lines.join('\n') + '\n\n';
}

function sentAt(message: Message): string | undefined {
  const ms = Number(message.Attributes?.SentTimestamp);
  return Number.isFinite(ms) && ms > 0 ? new Date(ms).toISOString() : undefined;
}

function stringAttributes(message: Message): Record<string, string> | undefined {
  const entries = Object.entries(message.MessageAttributes ?? {}).map(
    ([name, value]) => [name, value.StringValue ?? (value.BinaryValue === undefined ? '' : Buffer.from(value.BinaryValue).toString('base64'))] as const,
  );
  return entries.length === 0 ? undefined : Object.fromEntries(entries);
}

async function deleteBatch(client: SQSClient, queueUrl: string, batch: Message[]): Promise<number> {
  const out = await client.send(
    new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: batch.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })) }),
  );
  return out.Successful?.length ?? 0;
}

async function releaseBatch(client: SQSClient, queueUrl: string, batch: Message[]): Promise<number> {
  const out = await client.send(
    new ChangeMessageVisibilityBatchCommand({
      QueueUrl: queueUrl,
      Entries: batch.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle, VisibilityTimeout: 0 })),
    }),
  );
  return out.Successful?.length ?? 0;
}

/** `received 40/100` on stderr: rewritten in place on a terminal, a line at most every second otherwise. */
class Progress {
  private lastLine = 0;
  private shown = false;

  constructor(
    private readonly io: CliIO,
    private readonly max: number,
    private readonly silent: boolean,
  ) {}

  update(received: number): void {
    if (this.silent) return;
    if (this.io.stderr.isTTY === true) {
      this.io.stderr.write(`\rreceived ${received}/${this.max}`);
      this.shown = true;
    } else if (Date.now() - this.lastLine >= 1000 || received === this.max) {
      this.lastLine = Date.now();
      this.io.stderr.write(`received ${received}/${this.max}\n`);
    }
  }

  done(): void {
    if (this.shown) this.io.stderr.write('\n');
  }
}
