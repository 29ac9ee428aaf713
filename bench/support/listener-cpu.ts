// CPU µs per message of SqsListener against the hand-written SDK loop with no server, in one process:
// the SQS client answers ReceiveMessage and DeleteMessageBatch itself, either inside the SDK (`--sdk`:
// a request handler, so the SDK still serialises, signs and parses) or in place of `send` (default:
// only the consumers' own code runs). A diagnostic for the listener's per-message path.
// Usage: npx tsx bench/support/listener-cpu.ts [--sdk] [--concurrency 4] [count] [rounds]
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { parseArgs } from 'node:util';
import { SQSClient } from '@aws-sdk/client-sqs';
import { stats } from '../harness.js';
import { megaBody } from './bodies.js';
import { startListener, startSdkLoop, type StartConsumer } from './consumers.js';
import { DrainCounter } from './drain.js';

const { values, positionals } = parseArgs({ options: { sdk: { type: 'boolean' }, concurrency: { type: 'string', default: '4' } }, allowPositionals: true });
const [count = 20_000, rounds = 7] = positionals.map(Number);
const concurrency = Number(values.concurrency);

/** An in-memory queue: what is left to receive and how many deletes arrived. */
class MemoryQueue {
  private next = 0;
  deleted = 0;
  private readonly sentAt = String(Date.now());
  constructor(private readonly bodies: string[]) {}

  receive(max: number, withAttributes: boolean) {
    const out = [];
    for (; out.length < max && this.next < this.bodies.length; this.next++) {
      const body = this.bodies[this.next]!;
      out.push({
        MessageId: `m-${this.next}`,
        ReceiptHandle: `r-${this.next}`,
        Body: body,
        MD5OfBody: createHash('md5').update(body).digest('hex'),
        ...(withAttributes ? { Attributes: { ApproximateReceiveCount: '1', SentTimestamp: this.sentAt } } : {}),
      });
    }
    return out;
  }

  /** Stands in for an empty long poll: answers after a while, or at once when the caller aborts. */
  idle(signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, 20);
      signal?.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
    });
  }
}

type Input = { MaxNumberOfMessages?: number; MessageSystemAttributeNames?: string[]; Entries?: { Id: string }[] };

async function answer(queue: MemoryQueue, operation: string, input: Input, signal?: AbortSignal): Promise<unknown> {
  if (operation === 'ReceiveMessage') {
    const messages = queue.receive(input.MaxNumberOfMessages ?? 1, (input.MessageSystemAttributeNames?.length ?? 0) > 0);
    if (messages.length === 0) await queue.idle(signal);
    return { Messages: messages };
  }
  queue.deleted += input.Entries!.length;
  return { Successful: input.Entries!.map((e) => ({ Id: e.Id })), Failed: [] };
}

function client(queue: MemoryQueue): SQSClient {
  if (!values.sdk) {
    const send = (command: { constructor: { name: string }; input: Input }, options?: { abortSignal?: AbortSignal }) =>
      answer(queue, command.constructor.name.replace(/Command$/, ''), command.input, options?.abortSignal);
    return { send } as unknown as SQSClient;
  }
  return new SQSClient({
    region: 'us-east-1',
    endpoint: 'http://127.0.0.1:1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
    requestHandler: {
      handle: async (request: { body?: unknown; headers: Record<string, string> }, options?: { abortSignal?: AbortSignal }) => {
        const operation = request.headers['x-amz-target']!.split('.').pop()!;
        const input = JSON.parse(Buffer.from(request.body as string).toString()) as Input;
        const body = JSON.stringify(await answer(queue, operation, input, options?.abortSignal as AbortSignal | undefined));
        return { response: { statusCode: 200, headers: { 'content-type': 'application/x-amz-json-1.0' }, body: Readable.from([Buffer.from(body)]) } };
      },
    },
  });
}

const bodies = Array.from({ length: count }, (_, i) => megaBody(i));
async function round(start: StartConsumer): Promise<number> {
  const queue = new MemoryQueue(bodies);
  const c = client(queue);
  const counter = new DrainCounter(count);
  const c0 = process.cpuUsage();
  const running = start(c, 'http://127.0.0.1:1/000000000000/q', counter);
  await counter.done;
  while (queue.deleted < count) await new Promise((r) => setImmediate(r));
  const used = process.cpuUsage(c0);
  await running.stop();
  return (used.user + used.system) / count;
}

const listener = startListener({ concurrency });
const loop = startSdkLoop(concurrency);
const a: number[] = [];
const b: number[] = [];
await round(listener);
await round(loop);
for (let r = 0; r < rounds; r++) {
  if (r % 2 === 0) { a.push(await round(listener)); b.push(await round(loop)); } else { b.push(await round(loop)); a.push(await round(listener)); }
}
const [ours, bare] = [stats(a).median, stats(b).median];
console.log(`${values.sdk ? 'sdk' : 'stub'}, concurrency ${concurrency}: listener ${ours.toFixed(1)} µs/msg, loop ${bare.toFixed(1)} µs/msg, difference ${(ours - bare).toFixed(1)} µs/msg, ratio ${(ours / bare).toFixed(3)}`);
