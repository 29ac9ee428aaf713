// Publishing: SqsPublisher.publishBatch of N MEGA payloads against a hand-written SendMessageBatch
// loop (JSON.stringify, chunks of 10, the same number of requests in flight) on fauxqs in its own process.
import { DeleteQueueCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { MegaPayload } from '../src/protocol/types.js';
import { compiledSource } from './support/children.js';
import { DEFAULT_CONCURRENCY, handWrittenPublish, megaPayloads } from './support/publish-baseline.js';
import { benchClient, createQueue, messagesLeft } from './support/queues.js';
import { startBenchServer } from './support/server.js';
import { type BenchOptions, type BenchResult, fmt, interleave, isMain, parseOptions, printResult, stats, targetRow } from './harness.js';

type Publish = (client: SQSClient, queueUrl: string, payloads: readonly MegaPayload[]) => Promise<void>;

/** publishBatch of the compiled package (as a service runs it), with the routing attributes on or off. */
async function ours(routingAttributes: boolean): Promise<Publish> {
  const { SqsPublisher } = (await import(compiledSource('index.js'))) as typeof import('../src/index.js');
  return async (client, queueUrl, payloads) => {
    const results = await new SqsPublisher({ queueUrl, client, routingAttributes }).publishBatch(payloads);
    if (results.failed.length > 0) throw new Error(`publishBatch: ${results.failed.length} entries failed`);
  };
}

export async function runPublishBench({ quick }: BenchOptions): Promise<BenchResult> {
  const count = quick ? 4_000 : 20_000;
  // Publishing rounds are short (about a second) and the machine is shared: more rounds steady the median.
  const rounds = quick ? 3 : 9;
  const payloads = megaPayloads(count);
  const server = await startBenchServer();
  try {
    const admin = benchClient(server.endpoint);
    // CPU µs per message of the publishing process, per round (the first is the warm-up).
    const cpu: Record<string, number[]> = { 'publish-batch': [], 'publish-routing': [], 'publish-loop': [] };
    const round = (label: string, client: SQSClient, publish: Publish) => async () => {
      const queueUrl = await createQueue(admin, label);
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      await publish(client, queueUrl, payloads);
      const elapsed = performance.now() - t0;
      const used = process.cpuUsage(cpu0);
      cpu[label]!.push((used.user + used.system) / count);
      const stored = await messagesLeft(admin, queueUrl);
      if (stored !== count) throw new Error(`${label}: ${stored} of ${count} messages arrived`);
      await admin.send(new DeleteQueueCommand({ QueueUrl: queueUrl }));
      return count / (elapsed / 1000);
    };
    const r = await interleave(
      [
        // The target compares the same wire output: bodies without message attributes, as the loop sends.
        { name: 'publishBatch', round: round('publish-batch', benchClient(server.endpoint), await ours(false)) },
        { name: 'routing', round: round('publish-routing', benchClient(server.endpoint), await ours(true)) },
        { name: 'hand-written', round: round('publish-loop', benchClient(server.endpoint), handWrittenPublish) },
      ],
      { warmup: 1, rounds, onRound: (name, v) => console.error(`  publish: ${name} ${Math.round(v)} msg/s`) },
    );
    const cpuMedian = (label: string) => stats(cpu[label]!.slice(1)).median;
    const o = r['publishBatch']!;
    const a = r['routing']!;
    const b = r['hand-written']!;
    return {
      title: `Publishing ${count.toLocaleString('en-US')} MEGA payloads (${rounds} rounds, medians)`,
      table: {
        head: ['publisher', 'median msg/s', 'min', 'max', 'publisher CPU µs/message'],
        rows: [
          [`SqsPublisher.publishBatch (concurrency ${DEFAULT_CONCURRENCY}, routingAttributes: false)`, o.median, o.min, o.max, cpuMedian('publish-batch')],
          ['SqsPublisher.publishBatch (defaults: the three mega.* routing attributes on every message)', a.median, a.min, a.max, cpuMedian('publish-routing')],
          [`hand-written SendMessageBatch loop (JSON.stringify, ${DEFAULT_CONCURRENCY} in flight)`, b.median, b.min, b.max, cpuMedian('publish-loop')],
        ],
      },
      targets: [
        targetRow({
          name: 'publishBatch vs hand-written SendMessageBatch loop',
          value: o.median, baseline: b.median, min: o.min, max: o.max,
          goal: 'ratio>=', target: 0.9, unit: 'msg/s',
        }),
      ],
      notes: [
        'publishBatch validates each MEGA payload, writes its wire form, checks sizes (1 MiB per message and per batch) and reports per entry; the loop only stringifies.',
        `The target row compares the same wire output (the loop sends no message attributes, so publishBatch runs with routingAttributes: false); with its defaults, publishBatch also writes mega.name, mega.domain and mega.version on every message (for SNS filter policies), which the SDK serializes and checksums: ${fmt(a.median / b.median)}x the loop.`,
        'publishBatch is the compiled package, as a service runs it.',
        'Each round publishes to a fresh queue; the message count on the server is checked after every round.',
      ],
    };
  } finally {
    await server.stop();
  }
}

if (isMain(import.meta.url)) {
  printResult(await runPublishBench(parseOptions()));
}
