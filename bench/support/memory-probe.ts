// Diagnostic for the memory benchmark: drains a pre-loaded queue with SqsListener, forcing a full GC
// at 20/40/60/80/99% of the messages and printing the live heap, which shows whether anything is
// retained per message (RSS alone cannot: it follows V8's heap sizing). --snap also writes heap
// snapshots to the working directory. Usage:
//   node --expose-gc --import tsx bench/support/memory-probe.ts [messages] [--snap]
import { writeHeapSnapshot } from 'node:v8';
import { benchClient, createQueue, fillQueue } from './queues.js';
import { startListener } from './consumers.js';
import { DrainCounter } from './drain.js';
import { megaBody } from './bodies.js';
import { startBenchServer } from './server.js';

const count = Number(process.argv[2] ?? 100_000);
const snap = process.argv.includes('--snap');
const server = await startBenchServer();
const admin = benchClient(server.endpoint);
const queueUrl = await createQueue(admin, 'probe');
await fillQueue(admin, queueUrl, count, (i) => megaBody(i));
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with node --expose-gc');
const counter = new DrainCounter(count);
const marks = [0.2, 0.4, 0.6, 0.8, 0.99].map((f) => Math.floor(f * count));
const MiB = 2 ** 20;
const timer = setInterval(() => {
  if (marks.length > 0 && counter.processed >= marks[0]!) {
    marks.shift();
    gc();
    const m = process.memoryUsage();
    console.log(`${counter.processed}: live heap ${(m.heapUsed / MiB).toFixed(2)} MiB, rss ${(m.rss / MiB).toFixed(0)} MiB, external ${(m.external / MiB).toFixed(2)}, arrayBuffers ${(m.arrayBuffers / MiB).toFixed(2)}`);
    if (snap) writeHeapSnapshot(`memory-probe-${counter.processed}.heapsnapshot`);
  }
}, 5);
const running = startListener()(benchClient(server.endpoint), queueUrl, counter);
await counter.done;
clearInterval(timer);
await running.stop();
await server.stop();
