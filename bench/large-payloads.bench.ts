// Large payloads: peak RSS of a child process whose SqsListener (default options, `largePayloads`
// on) consumes messages of 20 MiB each through fauxqs S3, against the RSS it started with. The
// bound documented in docs/large-payloads.md is checked here.
import { fork } from 'node:child_process';
import { S3Client, CreateBucketCommand } from '@aws-sdk/client-s3';
import { SqsPublisher } from '../src/publish/publish-sqs.js';
import type { LargePayloadSample } from './support/large-payload-child.js';
import { compiledChild } from './support/children.js';
import { benchClient, createQueue, waitEmpty } from './support/queues.js';
import { startBenchServer } from './support/server.js';
import { type BenchOptions, type BenchResult, isMain, parseOptions, printResult, targetRow } from './harness.js';

const MiB = 2 ** 20;
const PAYLOAD_BYTES = 20 * MiB;
/** The default maxInFlight of one queue with one receive loop (concurrency 1 x 10 messages x 2). */
const MAX_IN_FLIGHT = 20;
/**
 * The documented bound (docs/large-payloads.md), peak RSS above the idle listener's: every message in
 * flight holds its payload about twice (the downloaded bytes and the decoded string), so
 * 2 x maxInFlight x payload size.
 */
const BOUND_MIB = (2 * MAX_IN_FLIGHT * PAYLOAD_BYTES) / MiB;

function runChild(endpoint: string, queueUrl: string, messages: number): Promise<LargePayloadSample[]> {
  const child = fork(compiledChild('large-payload-child'), [endpoint, queueUrl, String(messages), String(PAYLOAD_BYTES)], { execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    let samples: LargePayloadSample[] | undefined;
    child.once('message', (m) => (samples = (m as { samples: LargePayloadSample[] }).samples));
    child.once('error', reject);
    child.once('exit', (code) => (samples ? resolve(samples) : reject(new Error(`large-payload child exited with code ${String(code)} before reporting`))));
  });
}

/** The same 20 messages in quick mode (about 15 s): fewer than maxInFlight would never fill the budget. */
export async function runLargePayloadsBench(_options: BenchOptions): Promise<BenchResult> {
  const messages = MAX_IN_FLIGHT;
  const server = await startBenchServer();
  const s3 = new S3Client({ region: 'us-east-1', endpoint: server.endpoint, forcePathStyle: true, credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' } });
  const admin = benchClient(server.endpoint);
  try {
    const bucket = `bench-payloads-${process.pid}`;
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const queueUrl = await createQueue(admin, 'large-payloads');
    const publisher = new SqsPublisher({ queueUrl, client: admin, largePayloads: { bucket, s3Client: s3 } });
    for (let i = 0; i < messages; i++) await publisher.publish({ type: 'blob', id: i, filler: 'x'.repeat(PAYLOAD_BYTES) });
    const started = performance.now();
    const samples = await runChild(server.endpoint, queueUrl, messages);
    const seconds = (performance.now() - started) / 1000;
    await waitEmpty(admin, queueUrl, 'large payloads');
    const mib = (b: number) => b / MiB;
    const idle = mib(samples[0]!.rss);
    const peak = mib(Math.max(...samples.map((s) => s.rss)));
    const peakHeap = mib(Math.max(...samples.map((s) => s.heapUsed)));
    const peakExternal = mib(Math.max(...samples.map((s) => s.external)));
    return {
      title: `Large payloads: memory while consuming ${messages} messages of 20 MiB through S3`,
      table: {
        head: ['measure', 'MiB'],
        rows: [
          ['RSS of the idle listener', Math.round(idle)],
          ['peak RSS', Math.round(peak)],
          ['peak RSS above idle', Math.round(peak - idle)],
          ['peak V8 heap used', Math.round(peakHeap)],
          ['peak external (buffers)', Math.round(peakExternal)],
        ],
      },
      targets: [
        targetRow({ name: `large payloads: peak RSS above idle while consuming 20 MiB messages (bound ${BOUND_MIB} MiB)`, value: peak - idle, goal: 'value<=', target: BOUND_MIB, unit: 'MiB' }),
      ],
      notes: [
        `${messages} messages of ${PAYLOAD_BYTES / MiB} MiB, published with SqsPublisher largePayloads to fauxqs S3 beforehand; consumed in ${seconds.toFixed(1)} s by a child process on plain node, RSS sampled every 10 ms.`,
      ],
    };
  } finally {
    s3.destroy();
    admin.destroy();
    await server.stop();
  }
}

if (isMain(import.meta.url)) {
  printResult(await runLargePayloadsBench(parseOptions()));
}
