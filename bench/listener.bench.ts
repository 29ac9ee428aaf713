// Listener throughput: drain a queue of pre-loaded MEGA messages on fauxqs (in its own process)
// with SqsListener (default options, one subscriber), a hand-written SDK loop at the same
// concurrency, and sqs-consumer's fastest configuration; rounds interleaved, medians compared.
import { benchClient } from './support/queues.js';
import { startBenchServer } from './support/server.js';
import { startListener, startSdkLoop, startSqsConsumer } from './support/consumers.js';
import { drainRound, type DrainSetup } from './support/drain-round.js';
import { type BenchOptions, type BenchResult, interleave, isMain, parseOptions, printResult, targetRow } from './harness.js';

/** SqsListener's default `concurrency`; the SDK loop runs the same number of receive loops. */
const DEFAULT_CONCURRENCY = 1;

export async function runListenerBench({ quick }: BenchOptions): Promise<BenchResult> {
  const messages = quick ? 4_000 : 20_000;
  const rounds = quick ? 3 : 5;
  const server = await startBenchServer();
  try {
    const setup: DrainSetup = { admin: benchClient(server.endpoint), client: benchClient(server.endpoint), messages };
    const sqsConsumerSetup: DrainSetup = { ...setup, client: benchClient(server.endpoint) };
    const loopSetup: DrainSetup = { ...setup, client: benchClient(server.endpoint) };
    const results = await interleave(
      [
        { name: 'SqsListener', round: () => drainRound(setup, 'listener', startListener()) },
        { name: 'SDK loop', round: () => drainRound(loopSetup, 'sdk-loop', startSdkLoop(DEFAULT_CONCURRENCY)) },
        { name: 'sqs-consumer', round: () => drainRound(sqsConsumerSetup, 'sqs-consumer', startSqsConsumer()) },
      ],
      { warmup: 1, rounds, onRound: (name, v) => console.error(`  listener: ${name} ${Math.round(v)} msg/s`) },
    );
    const ours = results['SqsListener']!;
    const loop = results['SDK loop']!;
    const consumer = results['sqs-consumer']!;
    return {
      title: `Listener throughput (${messages.toLocaleString('en-US')} MEGA messages, ${rounds} rounds)`,
      table: {
        head: ['consumer', 'median msg/s', 'min', 'max'],
        rows: [
          ['SqsListener (defaults, 1 subscriber)', ours.median, ours.min, ours.max],
          [`SDK loop (receive 10 + DeleteMessageBatch, concurrency ${DEFAULT_CONCURRENCY})`, loop.median, loop.min, loop.max],
          ['sqs-consumer 14.2.8 (handleMessageBatch, batchSize 10)', consumer.median, consumer.min, consumer.max],
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
