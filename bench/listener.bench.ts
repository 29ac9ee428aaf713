// Listener throughput and CPU per message: drain a queue of pre-loaded MEGA messages on fauxqs (in
// its own process) with SqsListener (default options, one subscriber) and a hand-written SDK loop,
// both at concurrency 1 and 4, and with sqs-consumer's fastest configuration (its current major 15,
// on Node 22+; 14.2.8 measured the same within the noise and is left to the scaling bench). Every consumer runs in its own long-lived process, which measures its own
// CPU time; rounds are interleaved and medians compared. Each listener runs right next to the loop of
// the same concurrency in every round (first one, then the other), so the CPU ratio is also read round
// by round, a pair at a time: the machine's slow swings then touch both sides of each ratio alike.
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConsumerProcess, processRound } from './support/consumer-process.js';
import type { ConsumerKind } from './support/consumer-worker.js';
import type { DrainSetup } from './support/drain-round.js';
import { nodeBinaryFor22Plus } from './support/node-binary.js';
import { benchClient } from './support/queues.js';
import { startBenchServer } from './support/server.js';
import { type BenchOptions, type BenchResult, type Stats, isMain, parseOptions, printResult, stats, type TargetRow, targetRow } from './harness.js';

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));

interface Subject {
  name: string;
  label: string;
  consumer: ConsumerKind;
  concurrency: number;
  node?: string;
}

export async function runListenerBench({ quick }: BenchOptions): Promise<BenchResult> {
  const messages = quick ? 4_000 : 20_000;
  // 11 rounds rather than 7: neighbouring rounds on this 2-core machine differ by up to 1.5x.
  const rounds = quick ? 3 : 11;
  const node22 = nodeBinaryFor22Plus(ROOT);
  const node22Version = node22 === process.execPath ? process.versions.node : node22.match(/node\/([\d.]+)\//)?.[1] ?? '22+';
  const subjects: Subject[] = [
    { name: 'SqsListener c1', label: 'SqsListener (defaults: concurrency 1, 1 subscriber)', consumer: 'listener', concurrency: 1 },
    { name: 'SDK loop c1', label: 'SDK loop (receive 10 + DeleteMessageBatch, concurrency 1)', consumer: 'sdk-loop', concurrency: 1 },
    { name: 'SqsListener c4', label: 'SqsListener (concurrency 4, 1 subscriber)', consumer: 'listener', concurrency: 4 },
    { name: 'SDK loop c4', label: 'SDK loop (receive 10 + DeleteMessageBatch, concurrency 4)', consumer: 'sdk-loop', concurrency: 4 },
    { name: 'sqs-consumer 15', label: `sqs-consumer 15 (handleMessageBatch, batchSize 10; Node ${node22Version})`, consumer: 'sqs-consumer-15', concurrency: 1, node: node22 },
  ];
  const server = await startBenchServer();
  const workers = subjects.map((s) => new ConsumerProcess(server.endpoint, { node: s.node }));
  try {
    await Promise.all(workers.map((w) => w.ready()));
    const setup: DrainSetup = { admin: benchClient(server.endpoint), client: benchClient(server.endpoint), messages, serverPid: server.pid };
    // CPU µs per message and server load of each round (the first, warm-up, round is dropped below).
    const cpu: Record<string, number[]> = {};
    const load: Record<string, number[]> = {};
    const rates: Record<string, number[]> = {};
    const round = async (i: number): Promise<void> => {
      const s = subjects[i]!;
      const options = { label: s.name, consumer: s.consumer, concurrency: s.concurrency, cpu: cpu[s.name], serverLoad: load[s.name] };
      const rate = await processRound(setup, [workers[i]!], options);
      rates[s.name]!.push(rate);
      console.error(`  listener: ${s.name} ${Math.round(rate)} msg/s, ${Math.round(cpu[s.name]!.at(-1)!)} µs CPU/msg`);
    };
    for (const s of subjects) (cpu[s.name] = []), (load[s.name] = []), (rates[s.name] = []);
    // Groups run in turn (rotated each round); within a group, in alternating order.
    const groups = [[0, 1], [2, 3], [4]];
    for (let r = 0; r <= rounds; r++) {
      for (let g = 0; g < groups.length; g++) {
        const group = groups[(r + g) % groups.length]!;
        for (const i of r % 2 === 0 ? group : [...group].reverse()) await round(i);
      }
    }
    // Round 0 warmed the processes up and is left out of every figure.
    const results: Record<string, Stats> = Object.fromEntries(subjects.map((s) => [s.name, stats(rates[s.name]!.slice(1))]));
    const cpuStats = (name: string) => stats(cpu[name]!.slice(1));
    const loadMedian = (name: string) => `${Math.round(stats(load[name]!.slice(1)).median * 100)}%`;
    const rate = (name: string) => results[name]!;
    const cpuTarget = (c: number): TargetRow => {
      const ours = cpuStats(`SqsListener c${c}`);
      const loop = cpuStats(`SDK loop c${c}`);
      const loopRounds = cpu[`SDK loop c${c}`]!;
      const paired = stats(cpu[`SqsListener c${c}`]!.map((v, r) => v / loopRounds[r]!).slice(1));
      return targetRow({
        name: `listener CPU per message vs hand-written SDK loop, concurrency ${c}`,
        value: ours.median, baseline: loop.median, ratio: paired.median, min: ours.min, max: ours.max,
        goal: 'ratio<=', target: 1.1, unit: 'µs/msg',
        note: `ratio: median of the ${paired.samples.length} rounds' ratios, each of a pair run back to back (they spread ${paired.min.toFixed(2)}-${paired.max.toFixed(2)}); the ratio of the medians is ${(ours.median / loop.median).toFixed(2)}`,
      });
    };
    const ours = rate('SqsListener c1');
    const consumer = rate('sqs-consumer 15');
    return {
      title: `Listener throughput and CPU (${messages.toLocaleString('en-US')} MEGA messages, ${rounds} rounds)`,
      table: {
        head: ['consumer', 'median msg/s', 'min', 'max', 'consumer CPU µs/message (median)', 'CPU min-max', 'fauxqs CPU (of one core)'],
        rows: subjects.map((s) => {
          const r = rate(s.name);
          const c = cpuStats(s.name);
          return [s.label, r.median, r.min, r.max, c.median, `${Math.round(c.min)}-${Math.round(c.max)}`, loadMedian(s.name)];
        }),
      },
      targets: [
        targetRow({
          name: 'listener vs hand-written SDK loop',
          value: ours.median, baseline: rate('SDK loop c1').median, min: ours.min, max: ours.max,
          goal: 'ratio>=', target: 0.9, unit: 'msg/s',
        }),
        targetRow({
          name: 'listener vs sqs-consumer 15 (handleMessageBatch, batchSize 10)',
          value: ours.median, baseline: consumer.median, min: ours.min, max: ours.max,
          goal: 'ratio>=', target: 1.5, unit: 'msg/s',
        }),
        cpuTarget(1),
        cpuTarget(4),
      ],
      figures: [
        {
          kind: 'bar',
          file: 'listener-throughput.svg',
          title: `Draining ${messages.toLocaleString('en-US')} MEGA messages from fauxqs (median of ${rounds}, whiskers min-max)`,
          yLabel: 'messages per second',
          bars: subjects.map((s) => ({ label: s.name, value: rate(s.name).median, min: rate(s.name).min, max: rate(s.name).max })),
        },
      ],
      notes: [
        'CPU µs per message: CPU time (user + system, all threads) of the consumer\'s own process from the start of the round until the queue is empty, divided by the messages. Each consumer runs in its own long-lived child process, so the benchmark\'s queue filling and watching are not counted, nor fauxqs (another process), whose CPU use (from /proc) is the last column.',
        'A round ends when every message was processed once and the server reports the queue empty (deletes included).',
        'SqsListener runs with default options (waitTimeSeconds 20, visibilityTimeout 30, concurrency 1 unless stated); only its logger is silenced and signal handling is off.',
        `sqs-consumer 15 needs Node 22+ and runs on Node ${node22Version}; everything else on this process's Node (${process.versions.node}).`,
      ],
    };
  } finally {
    await Promise.all(workers.map((w) => w.exit()));
    await server.stop();
  }
}

if (isMain(import.meta.url)) {
  printResult(await runListenerBench(parseOptions()));
}
