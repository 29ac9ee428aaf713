// Shared pieces of the reliability scenarios: numbered messages, a tally of what was processed,
// queue depth, listener child processes, and the figures file that docs/reliability.md is built from.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { GetQueueAttributesCommand, SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { FaultProxy, seededRandom } from '../support/fault-proxy.js';
import { startTestServer, TEST_CREDENTIALS, TEST_REGION, type TestServer } from '../support/fauxqs.js';

export const RESULTS_FILE = fileURLToPath(new URL('./results.json', import.meta.url));
const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const LISTENER_CHILD = fileURLToPath(new URL('./fixtures/listener-child.ts', import.meta.url));

export type Figures = Record<string, number | string | boolean>;

/**
 * Merges one scenario's measured figures into results.json (what docs/reliability.md reports) when
 * RECORD_RELIABILITY=1 (`npm run soak` sets it), so a plain `npm test` leaves the tracked file alone.
 */
export function recordFigures(scenario: string, figures: Figures): void {
  if (process.env.RECORD_RELIABILITY !== '1') return;
  let all: Record<string, unknown> = {};
  try {
    all = JSON.parse(readFileSync(RESULTS_FILE, 'utf8')) as Record<string, unknown>;
  } catch {
    // first run, or a damaged file: start again
  }
  all[scenario] = { ...figures, recordedAt: new Date().toISOString(), node: process.version };
  const sorted = Object.fromEntries(Object.entries(all).sort(([a], [b]) => a.localeCompare(b)));
  writeFileSync(RESULTS_FILE, JSON.stringify(sorted, null, 2) + '\n');
}

/** An SDK client that talks through the fault proxy, with timeouts so a black-holed request fails. */
export function clientVia(endpoint: string, opts: { requestTimeoutMs?: number; maxAttempts?: number } = {}): SQSClient {
  return new SQSClient({
    region: TEST_REGION,
    endpoint,
    credentials: TEST_CREDENTIALS,
    maxAttempts: opts.maxAttempts ?? 3,
    requestHandler: { requestTimeout: opts.requestTimeoutMs ?? 3_000, throwOnRequestTimeout: true, connectionTimeout: 1_000 },
  });
}

/** A numbered message body: a data object the scenarios' subscribers recognise. */
export const numberedBody = (run: string, seq: number, extra: Record<string, unknown> = {}) => JSON.stringify({ run, seq, ...extra });

/** Sends `seqs` as numbered messages, 10 per batch, several batches at once. */
export async function sendNumbered(sqs: SQSClient, queueUrl: string, run: string, seqs: readonly number[], extra: Record<string, unknown> = {}): Promise<void> {
  const batches: number[][] = [];
  for (let i = 0; i < seqs.length; i += 10) batches.push(seqs.slice(i, i + 10));
  let next = 0;
  const worker = async () => {
    while (next < batches.length) {
      const batch = batches[next++] ?? [];
      const out = await sqs.send(
        new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: batch.map((seq) => ({ Id: String(seq), MessageBody: numberedBody(run, seq, extra) })) }),
      );
      if ((out.Failed ?? []).length > 0) throw new Error(`SendMessageBatch failed: ${JSON.stringify(out.Failed)}`);
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
}

export const range = (n: number, from = 0) => Array.from({ length: n }, (_, i) => from + i);

export interface Depth {
  visible: number;
  inFlight: number;
  delayed: number;
}

export async function queueDepth(sqs: SQSClient, queueUrl: string): Promise<Depth> {
  const out = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'],
    }),
  );
  const a = out.Attributes ?? {};
  return {
    visible: Number(a.ApproximateNumberOfMessages ?? 0),
    inFlight: Number(a.ApproximateNumberOfMessagesNotVisible ?? 0),
    delayed: Number(a.ApproximateNumberOfMessagesDelayed ?? 0),
  };
}

export const isEmpty = (d: Depth) => d.visible + d.inFlight + d.delayed === 0;

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls `check` every `everyMs` until it holds; throws with `what` after `timeoutMs`. */
export async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs: number, everyMs = 50): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

/** Counts how often each number was processed to the end; the rest follows from it. */
export class Tally {
  private readonly counts = new Map<number, number>();
  total = 0;

  add(seq: number): void {
    this.counts.set(seq, (this.counts.get(seq) ?? 0) + 1);
    this.total += 1;
  }

  countOf(seq: number): number {
    return this.counts.get(seq) ?? 0;
  }

  has(seq: number): boolean {
    return this.counts.has(seq);
  }

  get distinct(): number {
    return this.counts.size;
  }

  /** Extra completions beyond the first, summed over all numbers. */
  get duplicates(): number {
    return this.total - this.counts.size;
  }

  missing(expected: readonly number[]): number[] {
    return expected.filter((seq) => !this.counts.has(seq));
  }
}

/** One line a listener child writes per event: `<event> <seq>` (see fixtures/listener-child.ts). */
export interface ChildLine {
  event: string;
  seq: number;
}

export interface ListenerChild {
  child: ChildProcess;
  /** Resolves once the child listens. */
  ready: Promise<void>;
  /** Resolves with the exit code (null when killed by a signal) and the signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr(): string;
}

export interface ListenerChildConfig {
  queueUrl: string;
  endpoint: string;
  /** Milliseconds each message takes. */
  workMs?: number;
  /** Probability that processing throws a RetriableError (the message is retried). */
  failRate?: number;
  visibilityTimeout?: number;
  concurrency?: number;
  maxInFlight?: number;
  shutdownTimeoutMs?: number;
  /** Retry delay in seconds after a retriable failure (default 0). */
  retryDelaySeconds?: number;
  /** Run with the idempotency guard: a RedisIdempotencyStore on this server, keyed by payload hash. */
  redisUrl?: string;
  /** The guard's claim expiry (`idempotency.inProgressSeconds`). */
  inProgressSeconds?: number;
}

const alive = new Set<ChildProcess>();
// A failed spec must not leave listener processes behind (mocha --exit ends the run with process.exit).
process.once('exit', () => {
  for (const child of alive) child.kill('SIGKILL');
});

/** Kills (SIGKILL) every listener child still running; for afterEach hooks, so a failed spec leaves none behind. */
export async function killStrayListeners(): Promise<void> {
  const waiting = [...alive].map((child) => new Promise<void>((resolve) => child.once('exit', () => resolve())));
  for (const child of alive) child.kill('SIGKILL');
  await Promise.all(waiting);
}

/** Starts a listener in its own node process; `onLine` gets each `<event> <seq>` it reports. */
export function spawnListener(config: ListenerChildConfig, onLine: (line: ChildLine) => void): ListenerChild {
  const child = spawn(process.execPath, ['--import', 'tsx', LISTENER_CHILD], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, RELIABILITY_CHILD_CONFIG: JSON.stringify(config), NODE_OPTIONS: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  alive.add(child);
  child.once('exit', () => alive.delete(child));
  let err = '';
  child.stderr?.on('data', (chunk: Buffer) => void (err = (err + chunk.toString()).slice(-8000)));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const ready = new Promise<void>((resolve, reject) => {
    let buffer = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        if (line === 'READY') resolve();
        const [event, seq] = line.split(' ');
        if (event !== undefined && seq !== undefined) onLine({ event, seq: Number(seq) });
      }
    });
    void exited.then(({ code, signal }) => reject(new Error(`listener child exited before it was ready (${code ?? signal}): ${err}`)));
  });
  ready.catch(() => undefined);
  return { child, ready, exited, stderr: () => err };
}

/**
 * Mocha hooks for a fault scenario: the shared fauxqs, and per test a fresh fault proxy in front of
 * it (seeded, so the same faults fall on the same requests run after run). Read them from the
 * returned object inside tests; they are set by the hooks.
 */
export function behindFaultProxy(seed?: number): { readonly server: TestServer; readonly proxy: FaultProxy } {
  const env = {} as { server: TestServer; proxy: FaultProxy };
  before(async () => {
    env.server = await startTestServer();
  });
  beforeEach(async () => {
    env.proxy = await FaultProxy.start({ target: env.server.endpoint, ...(seed === undefined ? {} : { random: seededRandom(seed) }) });
  });
  afterEach(() => env.proxy.close());
  return env;
}
