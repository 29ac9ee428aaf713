// Test harness: a real SQS/SNS-compatible server (fauxqs) on 127.0.0.1 with real SDK clients.
// Integration specs use this; nothing here stubs the SDK.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
  type Message,
} from '@aws-sdk/client-sqs';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { buildApp } from 'fauxqs';

export const TEST_REGION = 'us-east-1';
export const TEST_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' } as const;

export interface CreateQueueOptions {
  /** Base name; a unique suffix is always added so tests never share a queue. */
  name?: string;
  /** SQS queue attributes; `FifoQueue: 'true'` also gives the name its `.fifo` suffix. */
  attributes?: Record<string, string>;
}

export interface ReceiveAllOptions {
  /** Keep polling until at least this many messages arrived (or `timeoutMs` passes). Default 1. */
  min?: number;
  /** Upper bound on the whole drain. Default 3000 ms. */
  timeoutMs?: number;
  /** Delete what was received, so the queue is left empty. Default true. */
  deleteMessages?: boolean;
}

export interface TestServer {
  endpoint: string;
  sqs: SQSClient;
  sns: SNSClient;
  createQueue(opts?: CreateQueueOptions): Promise<string>;
  /** `FifoTopic: 'true'` in attributes also gives the name its `.fifo` suffix. */
  createTopic(name?: string, attributes?: Record<string, string>): Promise<string>;
  subscribe(topicArn: string, queueUrl: string, opts: { raw: boolean }): Promise<void>;
  queueArn(queueUrl: string): Promise<string>;
  /**
   * Drains a queue: receives (with all message and system attributes) until `min` messages arrived and
   * one more receive comes back empty, or until `timeoutMs`. Returns messages in arrival order.
   */
  receiveAll(queueUrl: string, opts?: ReceiveAllOptions): Promise<Message[]>;
}

interface RunningServer extends TestServer {
  stop(): Promise<void>;
}

let shared: Promise<RunningServer> | undefined;

/** The one in-process fauxqs of this mocha run, started on first use. */
export function startTestServer(): Promise<TestServer> {
  shared ??= startInProcess();
  return shared;
}

// Root-level hook: this module is first evaluated while mocha loads spec files, so the hook
// lands on the root suite and runs once after every spec.
if (typeof after === 'function') {
  after(async () => {
    if (shared === undefined) return;
    const server = await shared;
    shared = undefined;
    await server.stop();
  });
}

async function startInProcess(): Promise<RunningServer> {
  // buildApp + our own listen() so the server binds to loopback only (startFauxqs binds 0.0.0.0, and
  // its `host` option rewrites queue URLs to sqs.<region>.<host>, which is not a loopback name).
  const app = buildApp({ logger: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('fauxqs did not report a TCP port');
  const endpoint = `http://127.0.0.1:${address.port}`;
  return { ...clientsFor(endpoint), stop: () => app.close() };
}

let counter = 0;
function uniqueName(base: string): string {
  counter += 1;
  return `${base}-${process.pid}-${counter}-${randomUUID().slice(0, 8)}`;
}

/** Clients and helpers for any fauxqs endpoint (in-process or child process). */
export function clientsFor(endpoint: string): TestServer {
  const config = { region: TEST_REGION, endpoint, credentials: TEST_CREDENTIALS };
  const sqs = new SQSClient(config);
  const sns = new SNSClient(config);

  async function queueArn(queueUrl: string): Promise<string> {
    const out = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }));
    const arn = out.Attributes?.QueueArn;
    if (arn === undefined) throw new Error(`no QueueArn for ${queueUrl}`);
    return arn;
  }

  return {
    endpoint,
    sqs,
    sns,
    queueArn,
    async createQueue(opts = {}) {
      const fifo = opts.attributes?.FifoQueue === 'true';
      const name = uniqueName(opts.name ?? 'q') + (fifo ? '.fifo' : '');
      const out = await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: opts.attributes }));
      if (out.QueueUrl === undefined) throw new Error(`CreateQueue ${name} returned no URL`);
      return out.QueueUrl;
    },
    async createTopic(name, attributes) {
      const fifo = attributes?.FifoTopic === 'true';
      const out = await sns.send(new CreateTopicCommand({ Name: uniqueName(name ?? 't') + (fifo ? '.fifo' : ''), Attributes: attributes }));
      if (out.TopicArn === undefined) throw new Error('CreateTopic returned no ARN');
      return out.TopicArn;
    },
    async subscribe(topicArn, queueUrl, opts) {
      await sns.send(
        new SubscribeCommand({
          TopicArn: topicArn,
          Protocol: 'sqs',
          Endpoint: await queueArn(queueUrl),
          Attributes: { RawMessageDelivery: String(opts.raw) },
        }),
      );
    },
    async receiveAll(queueUrl, opts = {}) {
      const min = opts.min ?? 1;
      const deadline = Date.now() + (opts.timeoutMs ?? 3000);
      const received: Message[] = [];
      for (;;) {
        const out = await sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: queueUrl,
            MaxNumberOfMessages: 10,
            WaitTimeSeconds: 0,
            VisibilityTimeout: 60,
            MessageAttributeNames: ['All'],
            MessageSystemAttributeNames: ['All'],
          }),
        );
        const batch = out.Messages ?? [];
        received.push(...batch);
        if (batch.length > 0 && opts.deleteMessages !== false) {
          await sqs.send(
            new DeleteMessageBatchCommand({
              QueueUrl: queueUrl,
              Entries: batch.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })),
            }),
          );
        }
        if (batch.length === 0 && received.length >= min) return received;
        if (Date.now() >= deadline) return received;
        if (batch.length === 0) await sleep(50);
      }
    },
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export interface ServerProcess {
  endpoint: string;
  pid: number;
  stop(): Promise<void>;
}

// Runs in the child: loopback-only listen on a free port, prints it, closes cleanly on SIGTERM/SIGINT.
const CHILD_SCRIPT = `
import { buildApp } from 'fauxqs';
const app = buildApp({ logger: false });
await app.listen({ port: Number(process.env.FAUXQS_PORT ?? 0), host: '127.0.0.1' });
process.stdout.write('FAUXQS_LISTENING ' + app.server.address().port + '\\n');
const close = () => app.close().then(() => process.exit(0), () => process.exit(1));
process.once('SIGTERM', close);
process.once('SIGINT', close);
`;

const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** fauxqs in its own node process (for benchmarks and kill/restart tests). */
export function startServerProcess(opts: { port?: number } = {}): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--input-type=module', '-e', CHILD_SCRIPT], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, FAUXQS_LOGGER: 'false', FAUXQS_PORT: String(opts.port ?? 0), NODE_OPTIONS: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  return new Promise<ServerProcess>((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => fail(new Error(`fauxqs child did not start in 15 s: ${err}`)), 15_000);
    function fail(error: Error): void {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(error);
    }
    child.stderr.on('data', (chunk: Buffer) => {
      err = (err + chunk.toString()).slice(-4000);
    });
    const early = (code: number | null): void => fail(new Error(`fauxqs child exited early (code ${code}): ${err}`));
    child.once('exit', early);
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const port = /FAUXQS_LISTENING (\d+)/.exec(out)?.[1];
      if (port === undefined) return;
      clearTimeout(timer);
      child.removeListener('exit', early);
      child.stdout.removeAllListeners('data');
      child.stdout.resume();
      resolve({
        endpoint: `http://127.0.0.1:${port}`,
        pid: child.pid ?? -1,
        async stop() {
          if (child.exitCode !== null || child.signalCode !== null) return;
          child.kill('SIGTERM');
          const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
          await exited;
          clearTimeout(killer);
        },
      });
    });
  });
}
