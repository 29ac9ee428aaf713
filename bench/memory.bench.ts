// Memory: a child process runs SqsListener over a queue of pre-loaded MEGA messages and samples
// its own RSS; the peak must stay under 200 MiB and the RSS of the last fifth of the run may be
// at most 10% above that of the first fifth (20,000 of 100,000 messages in a full run).
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { megaBody } from './support/bodies.js';
import type { MemorySample } from './support/memory-child.js';
import { waitEmpty, benchClient, createQueue, fillQueue } from './support/queues.js';
import { startBenchServer } from './support/server.js';
import { type BenchOptions, type BenchResult, fmt, isMain, parseOptions, printResult, targetRow } from './harness.js';

const CHILD = fileURLToPath(new URL('./support/memory-child.ts', import.meta.url));
const MiB = 2 ** 20;

function runChild(endpoint: string, queueUrl: string, messages: number): Promise<{ samples: MemorySample[]; duplicates: number }> {
  const child = fork(CHILD, [endpoint, queueUrl, String(messages)], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    let result: { samples: MemorySample[]; duplicates: number } | undefined;
    child.once('message', (m) => (result = m as typeof result));
    child.once('error', reject);
    child.once('exit', (code) => (result ? resolve(result) : reject(new Error(`memory child exited with code ${String(code)} before reporting`))));
  });
}

export async function runMemoryBench({ quick }: BenchOptions): Promise<BenchResult> {
  const messages = quick ? 20_000 : 100_000;
  const window = messages / 5;
  const server = await startBenchServer();
  try {
    const admin = benchClient(server.endpoint);
    const queueUrl = await createQueue(admin, 'memory');
    await fillQueue(admin, queueUrl, messages, (i) => megaBody(i));
    const started = performance.now();
    const { samples, duplicates } = await runChild(server.endpoint, queueUrl, messages);
    const seconds = (performance.now() - started) / 1000;
    await waitEmpty(admin, queueUrl, 'memory');

    const peak = Math.max(...samples.map((s) => s.rss)) / MiB;
    const within = (lo: number, hi: number) => {
      const inWindow = samples.filter((s) => s.processed >= lo && s.processed <= hi);
      if (inWindow.length === 0) throw new Error(`memory: no RSS sample between ${lo} and ${hi} processed messages`);
      return inWindow;
    };
    const firstWindow = within(0, window - 1);
    const lastWindow = within(messages - window, messages);
    const first = Math.max(...firstWindow.map((s) => s.rss)) / MiB;
    const last = Math.max(...lastWindow.map((s) => s.rss)) / MiB;
    // The lowest heapUsed in a window is the heap just after a collection: the live set, without garbage.
    const liveFirst = Math.min(...firstWindow.map((s) => s.heapUsed)) / MiB;
    const liveLast = Math.min(...lastWindow.map((s) => s.heapUsed)) / MiB;
    const label = `${(window / 1000).toFixed(0)}k`;
    const scale = quick ? ` (quick run: ${messages.toLocaleString('en-US')} messages instead of 100,000)` : '';
    return {
      title: `Memory while the listener drains ${messages.toLocaleString('en-US')} messages${scale}`,
      table: {
        head: ['measure', 'value'],
        rows: [
          ['messages drained', messages.toLocaleString('en-US')],
          ['drain time incl. child start-up (s)', seconds],
          ['RSS samples (every 20 ms)', samples.length],
          ['RSS before the listener starts (node + tsx + SDK loaded; MiB)', samples[0]!.rss / MiB],
          ['peak RSS (MiB)', peak],
          [`peak RSS over the first ${label} messages (MiB)`, first],
          [`peak RSS over the last ${label} messages (MiB)`, last],
          ['peak heapUsed (MiB)', Math.max(...samples.map((s) => s.heapUsed)) / MiB],
          [`lowest heapUsed over the first ${label} messages (MiB, live set after GC)`, liveFirst],
          [`lowest heapUsed over the last ${label} messages (MiB, live set after GC)`, liveLast],
          ['messages delivered twice', duplicates],
        ],
      },
      targets: [
        targetRow({ name: `memory: peak RSS draining ${messages.toLocaleString('en-US')} messages`, value: peak, goal: 'value<=', target: 200, unit: 'MiB' }),
        targetRow({
          name: `memory: RSS over the last ${label} vs the first ${label} messages`,
          value: last, baseline: first, goal: 'ratio<=', target: 1.1, unit: 'MiB',
        }),
      ],
      notes: [
        `The listener runs in a child process (node --import tsx, so RSS includes the TypeScript loader) that samples process.memoryUsage().rss every 20 ms; each window compares the highest sample within it. Peak ${fmt(peak)} MiB.`,
        ...(quick ? [`Quick run: scaled down to ${messages.toLocaleString('en-US')} messages; the windows are the first and last fifth.`] : []),
      ],
    };
  } finally {
    await server.stop();
  }
}

if (isMain(import.meta.url)) {
  printResult(await runMemoryBench(parseOptions()));
}
