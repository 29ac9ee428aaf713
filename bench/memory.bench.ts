// Memory: a child process runs SqsListener over a queue of pre-loaded MEGA messages and samples
// its own RSS; the peak must stay under 200 MiB and the RSS of the last fifth of the run may be
// at most 10% above that of the first fifth (20,000 of 100,000 messages in a full run). The
// hand-written SDK loop drains the same queue in its own child, for comparison (no target).
import { fork } from 'node:child_process';
import { megaBody } from './support/bodies.js';
import { compiledChild } from './support/children.js';
import type { MemorySample } from './support/memory-child.js';
import { waitEmpty, benchClient, createQueue, fillQueue } from './support/queues.js';
import { startBenchServer } from './support/server.js';
import { type BenchOptions, type BenchResult, fmt, isMain, parseOptions, printResult, targetRow } from './harness.js';

const MiB = 2 ** 20;

type Consumer = 'listener' | 'sdk-loop';

function runChild(endpoint: string, queueUrl: string, messages: number, consumer: Consumer): Promise<{ samples: MemorySample[]; duplicates: number }> {
  const child = fork(compiledChild('memory-child'), [endpoint, queueUrl, String(messages), consumer], { execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    let result: { samples: MemorySample[]; duplicates: number } | undefined;
    child.once('message', (m) => (result = m as typeof result));
    child.once('error', reject);
    child.once('exit', (code) => (result ? resolve(result) : reject(new Error(`memory child exited with code ${String(code)} before reporting`))));
  });
}

interface Drain {
  seconds: number;
  samples: MemorySample[];
  duplicates: number;
  peak: number;
  first: number;
  last: number;
  liveFirst: number;
  liveLast: number;
  /** Peak RSS in each fifth of the run, MiB. */
  fifths: number[];
}

export async function runMemoryBench({ quick }: BenchOptions): Promise<BenchResult> {
  const messages = quick ? 20_000 : 100_000;
  const window = messages / 5;
  const server = await startBenchServer();
  try {
    const admin = benchClient(server.endpoint);
    const drain = async (consumer: Consumer): Promise<Drain> => {
      const queueUrl = await createQueue(admin, `memory-${consumer}`);
      await fillQueue(admin, queueUrl, messages, (i) => megaBody(i));
      const started = performance.now();
      const { samples, duplicates } = await runChild(server.endpoint, queueUrl, messages, consumer);
      const seconds = (performance.now() - started) / 1000;
      await waitEmpty(admin, queueUrl, `memory ${consumer}`);
      const within = (lo: number, hi: number) => {
        const inWindow = samples.filter((s) => s.processed >= lo && s.processed <= hi);
        if (inWindow.length === 0) throw new Error(`memory ${consumer}: no RSS sample between ${lo} and ${hi} processed messages`);
        return inWindow;
      };
      const firstWindow = within(0, window - 1);
      const lastWindow = within(messages - window, messages);
      return {
        seconds,
        samples,
        duplicates,
        peak: Math.max(...samples.map((s) => s.rss)) / MiB,
        first: Math.max(...firstWindow.map((s) => s.rss)) / MiB,
        last: Math.max(...lastWindow.map((s) => s.rss)) / MiB,
        // The lowest heapUsed in a window is the heap just after a collection: the live set, without garbage.
        liveFirst: Math.min(...firstWindow.map((s) => s.heapUsed)) / MiB,
        liveLast: Math.min(...lastWindow.map((s) => s.heapUsed)) / MiB,
        fifths: [0, 1, 2, 3, 4].map((k) => Math.max(...within(k * window, (k + 1) * window - 1 + (k === 4 ? 1 : 0)).map((s) => s.rss)) / MiB),
      };
    };
    const ours = await drain('listener');
    const loop = await drain('sdk-loop');

    const label = `${(window / 1000).toFixed(0)}k`;
    const scale = quick ? ` (quick run: ${messages.toLocaleString('en-US')} messages instead of 100,000)` : '';
    const row = (name: string, pick: (d: Drain) => number | string): (string | number)[] => [name, pick(ours), pick(loop)];
    return {
      title: `Memory while the listener drains ${messages.toLocaleString('en-US')} messages${scale}`,
      table: {
        head: ['measure', 'SqsListener', 'hand-written SDK loop'],
        rows: [
          row('messages drained', () => messages.toLocaleString('en-US')),
          row('drain time incl. child start-up (s)', (d) => d.seconds),
          row('RSS samples (every 20 ms)', (d) => d.samples.length),
          row('RSS before the consumer starts (node + SDK loaded; MiB)', (d) => d.samples[0]!.rss / MiB),
          row('peak RSS (MiB)', (d) => d.peak),
          row(`peak RSS over the first ${label} messages (MiB)`, (d) => d.first),
          row(`peak RSS over the last ${label} messages (MiB)`, (d) => d.last),
          row(`last ${label} / first ${label}`, (d) => d.last / d.first),
          row('peak RSS in each fifth of the run (MiB)', (d) => d.fifths.map((v) => fmt(v)).join(' / ')),
          row('peak heapUsed (MiB)', (d) => Math.max(...d.samples.map((s) => s.heapUsed)) / MiB),
          row(`lowest heapUsed over the first ${label} messages (MiB)`, (d) => d.liveFirst),
          row(`lowest heapUsed over the last ${label} messages (MiB)`, (d) => d.liveLast),
          row('messages delivered twice', (d) => d.duplicates),
        ],
      },
      targets: [
        targetRow({ name: `memory: peak RSS draining ${messages.toLocaleString('en-US')} messages`, value: ours.peak, goal: 'value<=', target: 200, unit: 'MiB' }),
        // Only a full run holds the growth target: over a quick run's 20,000 messages V8 is still
        // growing its heap, so the ratio measures warm-up (the table still shows it).
        ...(quick
          ? []
          : [
              targetRow({
                name: `memory: RSS over the last ${label} vs the first ${label} messages`,
                value: ours.last, baseline: ours.first, goal: 'ratio<=', target: 1.1, unit: 'MiB',
              }),
            ]),
      ],
      notes: [
        `Each consumer runs in its own child process, compiled to JavaScript and run on plain node (no TypeScript loader), on its own queue of ${messages.toLocaleString('en-US')} messages; the child samples process.memoryUsage() every 20 ms and each window compares the highest RSS sample within it. Listener peak ${fmt(ours.peak)} MiB.`,
        'The SDK loop column has no target: it shows what Node and the AWS SDK alone do over the same drain (ReceiveMessage of 10, JSON.parse, DeleteMessageBatch).',
        ...(quick
          ? [
              `Quick run: scaled down to ${messages.toLocaleString('en-US')} messages; the windows are the first and last fifth. The last / first RSS ratio (${fmt(ours.last / ours.first)}) is informational here, not a target: at this size the heap has not warmed up. The full run holds it to <= 1.1.`,
            ]
          : []),
      ],
    };
  } finally {
    await server.stop();
  }
}

if (isMain(import.meta.url)) {
  printResult(await runMemoryBench(parseOptions()));
}
