// CPU µs per message of publishBatch against the hand-written loop with no server: the SQS client
// answers every SendMessageBatch itself, either inside the SDK (`--sdk`: a request handler, so the
// SDK still serialises and parses) or in place of `send` (default: only the publishing code runs).
// Usage: npx tsx bench/support/publish-cpu.ts [--sdk] [count] [rounds]
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { SqsPublisher } from '../../src/publish/publish-sqs.js';
import { handWrittenPublish, megaPayloads } from './publish-baseline.js';

const args = process.argv.slice(2);
const sdk = args.includes('--sdk');
const [count = 20_000, rounds = 7] = args.filter((a) => !a.startsWith('--')).map(Number);

function sdkClient(): SQSClient {
  return new SQSClient({
    region: 'us-east-1',
    endpoint: 'http://127.0.0.1:1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
    requestHandler: {
      handle: async (request: { body?: unknown }) => {
        const entries = (JSON.parse(Buffer.from(request.body as Uint8Array).toString()) as { Entries: { Id: string; MessageBody: string }[] }).Entries;
        const body = JSON.stringify({ Successful: entries.map((e, i) => ({ Id: e.Id, MessageId: `m-${i}`, MD5OfMessageBody: createHash('md5').update(e.MessageBody).digest('hex') })), Failed: [] });
        return { response: { statusCode: 200, headers: { 'content-type': 'application/x-amz-json-1.0' }, body: Readable.from([Buffer.from(body)]) } };
      },
    },
  });
}

function stubClient(): SQSClient {
  let n = 0;
  const client = { send: async (command: SendMessageBatchCommand) => ({ Successful: command.input.Entries!.map((e) => ({ Id: e.Id, MessageId: `m-${n++}` })), Failed: [] }) };
  return client as unknown as SQSClient;
}

const client = sdk ? sdkClient() : stubClient();
const queueUrl = 'http://127.0.0.1:1/000000000000/q';
const payloads = megaPayloads(count);

const loop = (): Promise<void> => handWrittenPublish(client, queueUrl, payloads);
const publisher = new SqsPublisher({ queueUrl, client });
async function ours(): Promise<void> {
  const r = await publisher.publishBatch(payloads);
  if (r.failed.length > 0) throw new Error(`failed: ${r.failed[0]?.ok === false ? r.failed[0].error.message : ''}`);
}

const cpu = async (f: () => Promise<void>): Promise<number> => {
  const c0 = process.cpuUsage();
  await f();
  const u = process.cpuUsage(c0);
  return (u.user + u.system) / count;
};
const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const a: number[] = [];
const b: number[] = [];
await cpu(ours);
await cpu(loop);
for (let r = 0; r < rounds; r++) {
  if (r % 2 === 0) { a.push(await cpu(ours)); b.push(await cpu(loop)); } else { b.push(await cpu(loop)); a.push(await cpu(ours)); }
}
console.log(`${sdk ? 'sdk' : 'stub'}: publishBatch ${med(a).toFixed(2)} µs/msg, loop ${med(b).toFixed(2)} µs/msg, ratio(loop/ours) ${(med(b) / med(a)).toFixed(3)}`);
