// Drains a pre-loaded queue with SqsListener (default options, one subscriber) or the hand-written SDK
// loop while sampling its own RSS, then sends the samples to the parent over IPC. Run by
// bench/memory.bench.ts, compiled to JavaScript (dist/bench-children/) and run on plain
// node, as a service would run it: no TypeScript loader in the process.
import { benchClient } from './queues.js';
import { startListener, startSdkLoop } from './consumers.js';
import { DrainCounter } from './drain.js';

export interface MemorySample {
  /** Distinct messages processed when the sample was taken. */
  processed: number;
  rss: number;
  heapUsed: number;
}

const [endpoint, queueUrl, count, consumer = 'listener'] = process.argv.slice(2);
if (!endpoint || !queueUrl || !count) throw new Error('usage: memory-child <endpoint> <queueUrl> <messages> [listener|sdk-loop]');

const counter = new DrainCounter(Number(count));
const samples: MemorySample[] = [];
const sample = (): void => {
  const m = process.memoryUsage();
  samples.push({ processed: counter.processed, rss: m.rss, heapUsed: m.heapUsed });
};
sample();
const sampler = setInterval(sample, 20);
const start = consumer === 'sdk-loop' ? startSdkLoop(1) : startListener();
const running = start(benchClient(endpoint), queueUrl, counter);
await counter.done;
sample();
clearInterval(sampler);
await running.stop();
process.send?.({ samples, duplicates: counter.duplicates }, () => process.disconnect());
