// Consumers run in their own processes (bench/support/consumer-worker.ts), so that the CPU time a
// round charges to them is theirs alone: not the benchmark's queue filling and watching, not the
// server's (fauxqs runs in yet another process).
import { type ChildProcess, fork } from 'node:child_process';
import { DeleteQueueCommand } from '@aws-sdk/client-sqs';
import { megaBody } from './bodies.js';
import { compiledChild } from './children.js';
import type { ConsumerKind, WorkerCommand, WorkerReport } from './consumer-worker.js';
import type { DrainSetup } from './drain-round.js';
import { processCpuSeconds } from './proc-cpu.js';
import { createQueue, fillQueue, waitEmpty } from './queues.js';


export interface WorkerOptions {
  /** Node binary to run the worker on (default: this process's). */
  node?: string;
  /** Extra node flags, e.g. ['--cpu-prof']. */
  nodeFlags?: string[];
}

export class ConsumerProcess {
  processed = 0;
  /** CPU microseconds and duplicates of the last round (set when it stopped). */
  lastCpuMicros = 0;
  lastDuplicates = 0;
  private readonly child: ChildProcess;
  private waiters: { when: (r: WorkerReport) => boolean; resolve: () => void }[] = [];
  onProgress: () => void = () => {};

  constructor(endpoint: string, { node, nodeFlags = [] }: WorkerOptions = {}) {
    // Compiled, on plain node: every consumer (ours and the baselines) as a deployed service runs it.
    this.child = fork(compiledChild('consumer-worker'), [endpoint], {
      execPath: node ?? process.execPath,
      execArgv: nodeFlags,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.child.on('message', (raw) => {
      const report = raw as WorkerReport;
      if ('processed' in report) {
        this.processed = report.processed;
        this.onProgress();
      }
      if ('stopped' in report) {
        this.lastCpuMicros = report.cpuMicros;
        this.lastDuplicates = report.duplicates;
      }
      this.waiters = this.waiters.filter((w) => (w.when(report) ? (w.resolve(), false) : true));
    });
  }

  private until(when: (r: WorkerReport) => boolean): Promise<void> {
    return new Promise((resolve) => this.waiters.push({ when, resolve }));
  }

  ready(): Promise<void> {
    return this.until((r) => 'ready' in r);
  }

  go(queueUrl: string, messages: number, consumer?: ConsumerKind, concurrency?: number): void {
    this.processed = 0;
    this.send({ go: queueUrl, messages, consumer, concurrency });
  }

  stop(): Promise<void> {
    const stopped = this.until((r) => 'stopped' in r);
    this.send({ stop: true });
    return stopped;
  }

  exit(): Promise<void> {
    if (this.child.exitCode !== null) return Promise.resolve();
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.send({ exit: true });
    return exited;
  }

  private send(cmd: WorkerCommand): void {
    this.child.send(cmd);
  }
}

export interface ProcessRoundOptions {
  label: string;
  consumer?: ConsumerKind;
  concurrency?: number;
  /** Receives the server's CPU use (fraction of one core) during the round. */
  serverLoad?: number[];
  /** Receives the consumer processes' CPU microseconds per message (all of them together). */
  cpu?: number[];
}

/**
 * One round with `workers` consumer processes on one fresh, pre-filled queue, timed until every
 * message was processed once and the server reports the queue empty; returns messages per second.
 */
export async function processRound(setup: DrainSetup, workers: ConsumerProcess[], opts: ProcessRoundOptions): Promise<number> {
  const { admin, messages } = setup;
  const queueUrl = await createQueue(admin, opts.label.replace(/[^a-zA-Z0-9-]/g, '-'));
  await fillQueue(admin, queueUrl, messages, (i) => megaBody(i));
  let resolveDone!: () => void;
  const done = new Promise<void>((r) => (resolveDone = r));
  const check = () => {
    if (workers.reduce((n, w) => n + w.processed, 0) >= messages) resolveDone();
  };
  for (const w of workers) w.onProgress = check;
  const server0 = setup.serverPid === undefined ? undefined : processCpuSeconds(setup.serverPid);
  const t0 = performance.now();
  for (const w of workers) w.go(queueUrl, messages, opts.consumer, opts.concurrency);
  const timer = setTimeout(() => resolveDone(), 120_000);
  await done;
  clearTimeout(timer);
  const total = workers.reduce((n, w) => n + w.processed, 0);
  if (total < messages) throw new Error(`${opts.label}: processed ${total} of ${messages} in 120 s`);
  await waitEmpty(admin, queueUrl, opts.label);
  const elapsed = performance.now() - t0;
  const server1 = setup.serverPid === undefined ? undefined : processCpuSeconds(setup.serverPid);
  if (server0 !== undefined && server1 !== undefined) opts.serverLoad?.push((server1 - server0) / (elapsed / 1000));
  await Promise.all(workers.map((w) => w.stop()));
  opts.cpu?.push(workers.reduce((n, w) => n + w.lastCpuMicros, 0) / messages);
  const duplicates = workers.reduce((n, w) => n + w.lastDuplicates, 0);
  if (duplicates > 0) console.warn(`${opts.label}: ${duplicates} messages were delivered twice`);
  await admin.send(new DeleteQueueCommand({ QueueUrl: queueUrl }));
  return messages / (elapsed / 1000);
}
