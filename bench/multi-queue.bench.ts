// One listener over several queues, on fauxqs (own process), with and without 20 ms added to every
// request (a fault proxy in front of fauxqs): strict-priority pickup latency under a flooded low
// queue, the weighted share, throughput against two separate listeners, and idle receive cost.
import type { SQSClient } from '@aws-sdk/client-sqs';
import { SqsListener } from '../src/listener/listener.js';
import type { SqsListenerOptions } from '../src/listener/listener-options.js';
import { DataSubscriber } from '../src/dispatch/data-subscribers.js';
import type { MessageContext } from '../src/dispatch/context.js';
import type { DataObject } from '../src/protocol/types.js';
import { silentLogger } from '../src/aws/logger.js';
import { FaultProxy } from '../spec/support/fault-proxy.js';
import { benchClient, createQueue, fillQueue } from './support/queues.js';
import { startBenchServer } from './support/server.js';
import { type BenchOptions, type BenchResult, isMain, parseOptions, printResult, targetRow, type TargetRow } from './harness.js';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Counts processed messages per queue and keeps the latency of those that carry their send time. */
class Recorder extends DataSubscriber {
  readonly perQueue = new Map<string, number>();
  readonly latencies: number[] = [];
  constructor(private readonly workMs = 0) {
    super();
  }
  async process(payload: DataObject, context: MessageContext) {
    const q = context.queueUrl ?? '';
    this.perQueue.set(q, (this.perQueue.get(q) ?? 0) + 1);
    if (typeof payload.sentAt === 'number') this.latencies.push(Date.now() - payload.sentAt);
    if (this.workMs > 0) await sleep(this.workMs);
  }
  count(q: string): number {
    return this.perQueue.get(q) ?? 0;
  }
  get total(): number {
    return [...this.perQueue.values()].reduce((a, b) => a + b, 0);
  }
}

function listener(client: SQSClient, recorder: Recorder, options: Partial<SqsListenerOptions>): SqsListener {
  // A short shutdown: stop() then cancels the long polls of idle queues instead of waiting them out.
  const l = new SqsListener({ client, logger: silentLogger, handleSignals: false, shutdownTimeoutMs: 300, ...options } as SqsListenerOptions);
  l.registerSubscriber(recorder);
  return l;
}

async function until(done: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`${what}: not done within ${timeoutMs} ms`);
    await sleep(5);
  }
}

const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};

/** Publishes `count` timestamped messages in batches of 10, as fast as the admin client goes. */
async function publishUrgent(admin: SQSClient, queueUrl: string, count: number): Promise<void> {
  await fillQueue(admin, queueUrl, count, () => JSON.stringify({ sentAt: Date.now() }), 4);
}

interface Scale {
  urgent: number;
  flood: number;
  share: number;
  drain: number;
  idleSeconds: number;
}

async function strictLatency(admin: SQSClient, client: SQSClient, scale: Scale, flooded: boolean): Promise<number[]> {
  const [high, low] = [await createQueue(admin, 'mq-high'), await createQueue(admin, 'mq-low')];
  if (flooded) await fillQueue(admin, low, scale.flood, (i) => JSON.stringify({ i }));
  const recorder = new Recorder();
  const l = listener(client, recorder, { queues: [{ queueUrl: high }, { queueUrl: low }], polling: 'strict' });
  const running = l.listen();
  try {
    if (flooded) await until(() => recorder.count(low) >= scale.flood / 10, 60_000, 'flood start');
    else await sleep(300);
    await publishUrgent(admin, high, scale.urgent);
    await until(() => recorder.latencies.length >= scale.urgent, 60_000, 'urgent messages');
    if (flooded && recorder.count(low) >= scale.flood) throw new Error('the flood was drained before the urgent messages: raise the flood');
  } finally {
    await l.stop();
    await running;
  }
  return recorder.latencies;
}

async function weightedShare(admin: SQSClient, client: SQSClient, scale: Scale): Promise<number> {
  const [high, low] = [await createQueue(admin, 'mq-w3'), await createQueue(admin, 'mq-w1')];
  await Promise.all([fillQueue(admin, high, scale.share, (i) => JSON.stringify({ i })), fillQueue(admin, low, scale.share, (i) => JSON.stringify({ i }))]);
  // Handlers that take 40 ms make the budget (maxInFlight 20) the bottleneck, which weights divide.
  const recorder = new Recorder(40);
  const l = listener(client, recorder, { queues: [{ queueUrl: high, weight: 3 }, { queueUrl: low, weight: 1 }], maxInFlight: 20, concurrency: 2 });
  const running = l.listen();
  try {
    // Counted while both queues still have messages: stop at as many as one queue holds.
    await until(() => recorder.total >= scale.share, 120_000, 'weighted share');
  } finally {
    await l.stop();
    await running;
  }
  return recorder.count(high) / (recorder.count(high) + recorder.count(low));
}

async function throughput(admin: SQSClient, client: SQSClient, scale: Scale, together: boolean): Promise<number> {
  const queues = [await createQueue(admin, 'mq-t'), await createQueue(admin, 'mq-t')];
  await Promise.all(queues.map((q) => fillQueue(admin, q, scale.drain, (i) => JSON.stringify({ i }))));
  const recorder = new Recorder();
  const listeners = together ? [listener(client, recorder, { queues: queues.map((queueUrl) => ({ queueUrl })) })] : queues.map((queueUrl) => listener(client, recorder, { queueUrl }));
  const started = performance.now();
  const running = listeners.map((l) => l.listen());
  await until(() => recorder.total >= 2 * scale.drain, 180_000, 'throughput');
  const seconds = (performance.now() - started) / 1000;
  await Promise.all(listeners.map((l) => l.stop()));
  await Promise.all(running);
  return (2 * scale.drain) / seconds;
}

async function idleReceives(admin: SQSClient, client: SQSClient, proxy: FaultProxy, scale: Scale, queues: number, polling: 'weighted' | 'strict'): Promise<number> {
  const urls = await Promise.all(Array.from({ length: queues }, () => createQueue(admin, 'mq-idle')));
  const options: Partial<SqsListenerOptions> = queues === 1 ? { queueUrl: urls[0] } : { queues: urls.map((queueUrl) => ({ queueUrl })), polling };
  const l = listener(client, new Recorder(), options);
  proxy.resetStats();
  const running = l.listen();
  await sleep(scale.idleSeconds * 1000);
  const receives = proxy.stats().byAction['ReceiveMessage']?.requests ?? 0;
  // The long polls in flight return within their wait once stop() is called.
  await l.stop();
  await running;
  return receives / scale.idleSeconds / queues;
}

export async function runMultiQueueBench({ quick }: BenchOptions): Promise<BenchResult> {
  const scale: Scale = quick
    ? { urgent: 200, flood: 3_000, share: 600, drain: 1_500, idleSeconds: 3 }
    : { urgent: 200, flood: 20_000, share: 4_000, drain: 10_000, idleSeconds: 20 };
  const server = await startBenchServer();
  const proxy = await FaultProxy.start({ target: server.endpoint });
  const admin = benchClient(server.endpoint);
  const client = benchClient(proxy.endpoint);
  const targets: TargetRow[] = [];
  const rows: (string | number)[][] = [];
  try {
    for (const delayMs of [0, 20]) {
      proxy.clear();
      if (delayMs > 0) proxy.inject({ kind: 'delay', delayMs });
      const tag = delayMs > 0 ? ` (+${delayMs} ms per request)` : '';
      console.error(`  multi-queue${tag}: strict latency`);
      const empty = await strictLatency(admin, client, scale, false);
      const loaded = await strictLatency(admin, client, scale, true);
      const [p50e, p99e, p50l, p99l] = [percentile(empty, 50), percentile(empty, 99), percentile(loaded, 50), percentile(loaded, 99)];
      rows.push([`strict: ${scale.urgent} urgent messages, p50 / p99 ms${tag}`, `${p50e} / ${p99e}`, `${p50l} / ${p99l} (low queue of ${scale.flood.toLocaleString('en-US')} draining)`]);
      targets.push(targetRow({ name: `strict: urgent p99 while the low queue drains vs idle${tag}`, value: p99l, baseline: p99e, goal: 'ratio<=', target: 1.5, unit: 'ms' }));

      console.error(`  multi-queue${tag}: weighted share`);
      const share = await weightedShare(admin, client, scale);
      rows.push([`weighted 3:1, both full: high queue's share${tag}`, '75%', `${(share * 100).toFixed(1)}%`]);
      targets.push(targetRow({ name: `weighted 3:1: high queue's share, within 70-80%${tag}`, value: Math.abs(share * 100 - 75), goal: 'value<=', target: 5, unit: 'points off 75%' }));

      console.error(`  multi-queue${tag}: throughput`);
      const separate = await throughput(admin, client, scale, false);
      const together = await throughput(admin, client, scale, true);
      rows.push([`throughput over two full queues, msg/s${tag}`, `${Math.round(separate)} (two listeners)`, `${Math.round(together)} (one listener)`]);
      targets.push(targetRow({ name: `one listener over two queues vs two listeners${tag}`, value: together, baseline: separate, goal: 'ratio>=', target: 0.9, unit: 'msg/s' }));

      console.error(`  multi-queue${tag}: idle receives`);
      const single = await idleReceives(admin, client, proxy, scale, 1, 'weighted');
      const weighted = await idleReceives(admin, client, proxy, scale, 2, 'weighted');
      const strict = await idleReceives(admin, client, proxy, scale, 2, 'strict');
      rows.push([`idle: ReceiveMessage per second per queue over ${scale.idleSeconds} s${tag}`, `${single.toFixed(2)} (one listener)`, `${weighted.toFixed(2)} weighted, ${strict.toFixed(2)} strict`]);
    }
  } finally {
    admin.destroy();
    client.destroy();
    await proxy.close();
    await server.stop();
  }
  return {
    title: `One listener, several queues${quick ? ' (quick: smaller counts)' : ''}`,
    targets,
    table: { head: ['measure', 'baseline', 'several queues'], rows },
    notes: [
      'Strict: the high queue long-polls (20 s) while empty and short-polls while it has work, so an empty high queue never holds the low one back, and new urgent work is picked up by the long poll already open.',
      'Weighted: handlers take 40 ms and maxInFlight is 20, so the budget is the bottleneck; weights divide the budget, they never slow a listener that keeps up with every queue.',
      `Idle receives are counted at the proxy over ${scale.idleSeconds} s (the first receive of each loop included); in strict mode each queue above the last starts with one short poll.`,
      quick ? `Quick mode: ${scale.flood} low-priority messages instead of 20,000, ${scale.share} per queue for the share, ${scale.drain} per queue for throughput.` : 'Full counts.',
    ],
  };
}

if (isMain(import.meta.url)) {
  printResult(await runMultiQueueBench(parseOptions()));
}
