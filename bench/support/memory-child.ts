// Drains a pre-loaded queue with SqsListener (default options, one subscriber) while sampling its own
// RSS, then sends the samples to the parent over IPC. Run by bench/memory.bench.ts.
import { benchClient } from './queues.js';
import { startListener } from './consumers.js';
import { DrainCounter } from './drain.js';

export interface MemorySample {
  /** Distinct messages processed when the sample was taken. */
  processed: number;
  rss: number;
  heapUsed: number;
}

const [endpoint, queueUrl, count] = process.argv.slice(2);
if (!endpoint || !queueUrl || !count) throw new Error('usage: memory-child <endpoint> <queueUrl> <messages>');

const counter = new DrainCounter(Number(count));
const samples: MemorySample[] = [];
const sample = (): void => {
  const m = process.memoryUsage();
  samples.push({ processed: counter.processed, rss: m.rss, heapUsed: m.heapUsed });
};
sample();
const sampler = setInterval(sample, 20);
const running = startListener()(benchClient(endpoint), queueUrl, counter);
await counter.done;
sample();
clearInterval(sampler);
await running.stop();
process.send?.({ samples, duplicates: counter.duplicates }, () => process.disconnect());
