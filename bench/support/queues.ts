// Queue chores for the benchmarks: create, fill, and check that a queue is really empty.
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  SendMessageBatchCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';

export function benchClient(endpoint: string): SQSClient {
  return new SQSClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
  });
}

let queueSeq = 0;

export async function createQueue(sqs: SQSClient, prefix: string): Promise<string> {
  const name = `${prefix}-${process.pid}-${Date.now()}-${queueSeq++}`;
  const out = await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: { VisibilityTimeout: '30' } }));
  if (!out.QueueUrl) throw new Error(`CreateQueue ${name} returned no QueueUrl`);
  return out.QueueUrl;
}

/** Sends `count` bodies made by `body(i)` with SendMessageBatch, `parallel` batches in flight. */
export async function fillQueue(
  sqs: SQSClient,
  queueUrl: string,
  count: number,
  body: (i: number) => string,
  parallel = 8,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const start = next;
      const end = Math.min(count, start + 10);
      next = end;
      const entries = [];
      for (let i = start; i < end; i++) entries.push({ Id: String(i - start), MessageBody: body(i) });
      const out = await sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }));
      if (out.Failed?.length) throw new Error(`fillQueue: ${out.Failed.length} entries failed: ${out.Failed[0]?.Message}`);
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
}

/** Visible + in flight + delayed messages, as the server reports them. */
export async function messagesLeft(sqs: SQSClient, queueUrl: string): Promise<number> {
  const out = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'],
    }),
  );
  const a = out.Attributes ?? {};
  return (
    Number(a.ApproximateNumberOfMessages ?? 0) +
    Number(a.ApproximateNumberOfMessagesNotVisible ?? 0) +
    Number(a.ApproximateNumberOfMessagesDelayed ?? 0)
  );
}

/** Resolves when the server reports no message left (polling every `everyMs`); throws after `timeoutMs`. */
export async function waitEmpty(sqs: SQSClient, queueUrl: string, label: string, timeoutMs = 30_000, everyMs = 10): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const left = await messagesLeft(sqs, queueUrl);
    if (left === 0) return;
    if (Date.now() > deadline) throw new Error(`${label}: ${left} messages still on the queue ${timeoutMs} ms after all were processed (not deleted)`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
