// Listener throughput: drain a queue of pre-loaded MEGA messages on fauxqs (in its own process)
// with SqsListener (default options, one subscriber), a hand-written SDK loop at the same
// concurrency, and sqs-consumer's fastest configuration; rounds interleaved, medians compared.
import { benchClient } from './support/queues.js';
import { startBenchServer } from './support/server.js';
import { startListener, startSdkLoop, startSqsConsumer } from './support/consumers.js';
import { drainRound, type DrainSetup } from './support/drain-round.js';
import { type BenchOptions, type BenchResult, interleave, isMain, parseOptions, printResult, stats, targetRow } from './harness.js';

/** SqsListener's default `concurrency`; the SDK loop runs the same number of receive loops. */
const DEFAULT_CONCURRENCY = 1;

export async function runListenerBench({ quick }: BenchOptions): Promise<BenchResult> {
  const messages = quick ? 4_000 : 20_000;
  const rounds = quick ? 3 : 7;
  const server = await startBenchServer();
  try {
    const setup: DrainSetup = { admin: benchClient(server.endpoint), client: benchClient(server.endpoint), messages, serverPid: server.pid };
    const sqsConsumerSetup: DrainSetup = { ...setup, client: benchClient(server.endpoint) };
    const loopSetup: DrainSetup = { ...setup, client: benchClient(server.endpoint) };
    // CPU µs per message of each measured round (warm-up rounds are dropped below).
    const cpu: Record<string, number[]> = { SqsListener: [], 'SDK loop': [], 'sqs-consumer': [] };
    const load: Record<string, number[]> = { SqsListener: [], 'SDK loop': [], 'sqs-consumer': [] };
    const results = await interleave(
      [
        { name: 'SqsListener', round: () => drainRound(setup, 'listener', startListener(), cpu['SqsListener'], load['SqsListener']) },
        { name: 'SDK loop', round: () => drainRound(loopSetup, 'sdk-loop', startSdkLoop(DEFAULT_CONCURRENCY), cpu['SDK loop'], load['SDK loop']) },
        { name: 'sqs-consumer', round: () => drainRound(sqsConsumerSetup, 'sqs-consumer', startSqsConsumer(), cpu['sqs-consumer'], load['sqs-consumer']) },
      ],
      { warmup: 1, rounds, onRound: (name, v) => console.error(`  listener: ${name} ${Math.round(v)} msg/s`) },
    );
    const cpuMedian = (name: string) => stats(cpu[name]!.slice(1)).median;
    const loadMedian = (name: string) => (load[name]!.length > 1 ? `${Math.round(stats(load[name]!.slice(1)).median * 100)}%` : '-');
    const ours = results['SqsListener']!;
    const loop = results['SDK loop']!;
    const consumer = results['sqs-consumer']!;
    return {
      title: `Listener throughput (${messages.toLocaleString('en-US')} MEGA messages, ${rounds} rounds)`,
      table: {
        head: ['consumer', 'median msg/s', 'min', 'max', 'consumer CPU µs/message', 'fauxqs CPU (of one core)'],
        rows: [
          ['SqsListener (defaults, 1 subscriber)', ours.median, ours.min, ours.max, cpuMedian('SqsListener'), loadMedian('SqsListener')],
          [`SDK loop (receive 10 + DeleteMessageBatch, concurrency ${DEFAULT_CONCURRENCY})`, loop.median, loop.min, loop.max, cpuMedian('SDK loop'), loadMedian('SDK loop')],
          ['sqs-consumer 14.2.8 (handleMessageBatch, batchSize 10)', consumer.median, consumer.min, consumer.max, cpuMedian('sqs-consumer'), loadMedian('sqs-consumer')],
        ],
      },
      targets: [
        targetRow({
          name: 'listener vs hand-written SDK loop',
          value: ours.median, baseline: loop.median, min: ours.min, max: ours.max,
          goal: 'ratio>=', target: 0.9, unit: 'msg/s',
        }),
        targetRow({
          name: 'listener vs sqs-consumer (handleMessageBatch, batchSize 10)',
          value: ours.median, baseline: consumer.median, min: ours.min, max: ours.max,
          goal: 'ratio>=', target: 1.5, unit: 'msg/s',
        }),
      ],
      figures: [
        {
          kind: 'bar',
          file: 'listener-throughput.svg',
          title: `Draining ${messages.toLocaleString('en-US')} MEGA messages from fauxqs (median of ${rounds}, whiskers min-max)`,
          yLabel: 'messages per second',
          bars: [
            { label: 'SqsListener', value: ours.median, min: ours.min, max: ours.max },
            { label: 'SDK loop', value: loop.median, min: loop.min, max: loop.max },
            { label: 'sqs-consumer', value: consumer.median, min: consumer.min, max: consumer.max },
          ],
        },
      ],
      notes: [
        'CPU µs per message: CPU time of the consumer process (all threads) over the round, divided by the messages; fauxqs runs in its own process and is not counted; its own CPU use (from /proc) is the last column: near 100% means the single-threaded server, not the consumer, set the pace.',
        'A round ends when every message was processed once and the server reports the queue empty (deletes included).',
        'SqsListener runs with default options (waitTimeSeconds 20, concurrency 1, visibilityTimeout 30); only its logger is silenced and signal handling is off.',
      ],
    };
  } finally {
    await server.stop();
  }
}

if (isMain(import.meta.url)) {
  printResult(await runListenerBench(parseOptions()));
}
