// Scaling: listener throughput as `concurrency` grows (1, 2, 4, 8 receive loops in one process) and
// as listener processes are added on one queue (1, 2, 4 processes of the default concurrency 1).
// No targets: the figures feed the sizing notes of docs/performance.md.
import { startListener, startSdkLoop, startSqsConsumer } from './support/consumers.js';
import { drainRound, type DrainSetup } from './support/drain-round.js';
import { ConsumerProcess, processRound } from './support/consumer-process.js';
import { clientWithLatency } from './support/latency.js';
import { benchClient } from './support/queues.js';
import { startBenchServer } from './support/server.js';
import { type BenchOptions, type BenchResult, type Contender, interleave, isMain, parseOptions, printResult, stats } from './harness.js';

const FULL_CONCURRENCY = [1, 2, 4, 8];
const FULL_PROCESSES = [1, 2, 4];
// A quick run only checks that every kind of round works.
const QUICK_CONCURRENCY = [1, 4];
const QUICK_PROCESSES = [1, 2];
/** Added to every request of the consumer in the latency series, like a round trip to real SQS. */
const LATENCY_MS = 20;

export async function runScalingBench({ quick }: BenchOptions): Promise<BenchResult> {
  const messages = quick ? 3_000 : 20_000;
  // Latency-bound rounds are slow at low concurrency (about 10 messages per round trip), so fewer messages.
  const latencyMessages = quick ? 500 : 3_000;
  const rounds = quick ? 1 : 3;
  const CONCURRENCY = quick ? QUICK_CONCURRENCY : FULL_CONCURRENCY;
  const PROCESSES = quick ? QUICK_PROCESSES : FULL_PROCESSES;
  const server = await startBenchServer();
  const pool: ConsumerProcess[] = [];
  try {
    const admin = benchClient(server.endpoint);
    pool.push(...Array.from({ length: Math.max(...PROCESSES) }, () => new ConsumerProcess(server.endpoint)));
    await Promise.all(pool.map((w) => w.ready()));
    const load: Record<string, number[]> = {};
    // The baselines at the same latency (full runs only: at ~200 msg/s they are the slowest rounds).
    const slowLoop: DrainSetup = { admin, client: clientWithLatency(server.endpoint, LATENCY_MS), messages: latencyMessages };
    const slowConsumer: DrainSetup = { admin, client: clientWithLatency(server.endpoint, LATENCY_MS), messages: latencyMessages };
    const latencyBaselines: Contender[] = quick
      ? []
      : [
          {
            name: 'latency SDK loop',
            round: () => drainRound(slowLoop, 'latency-sdk-loop', startSdkLoop(1)),
          },
          {
            name: 'latency sqs-consumer',
            round: () => drainRound(slowConsumer, 'latency-sqs-consumer', startSqsConsumer()),
          },
        ];
    const contenders: Contender[] = [
      ...CONCURRENCY.map((c) => {
        const setup: DrainSetup = { admin, client: benchClient(server.endpoint), messages, serverPid: server.pid };
        const name = `concurrency ${c}`;
        load[name] = [];
        return { name, round: () => drainRound(setup, `concurrency-${c}`, startListener({ concurrency: c }), undefined, load[name]) };
      }),
      ...CONCURRENCY.map((c) => {
        const setup: DrainSetup = { admin, client: clientWithLatency(server.endpoint, LATENCY_MS), messages: latencyMessages };
        return { name: `latency ${c}`, round: () => drainRound(setup, `latency-${c}`, startListener({ concurrency: c })) };
      }),
      ...latencyBaselines,
      ...PROCESSES.map((p) => {
        const name = `processes ${p}`;
        load[name] = [];
        return { name, round: () => processRound({ admin, client: admin, messages, serverPid: server.pid }, pool.slice(0, p), { label: `procs-${p}`, serverLoad: load[name]! }) };
      }),
    ];
    const r = await interleave(contenders, { warmup: 1, rounds, onRound: (name, v) => console.error(`  scaling: ${name} ${Math.round(v)} msg/s`) });
    const med = (name: string) => r[name]!.median;
    const base = med('concurrency 1');
    // The first sample of each contender is its warm-up round.
    const serverCpu = (name: string) => (load[name]!.length > 1 ? `${Math.round(stats(load[name]!.slice(1)).median * 100)}%` : '-');
    return {
      title: `Scaling (${messages.toLocaleString('en-US')} messages per round, ${rounds} round${rounds > 1 ? 's' : ''}, medians; 2 cores shared with fauxqs)`,
      table: {
        head: ['setup', 'receive loops', 'median msg/s', 'min', 'max', 'vs concurrency 1 (same latency)', 'fauxqs CPU (of one core)'],
        rows: [
          ...CONCURRENCY.map((c) => {
            const s = r[`concurrency ${c}`]!;
            return [`1 process, concurrency ${c}`, c, s.median, s.min, s.max, s.median / base, serverCpu(`concurrency ${c}`)];
          }),
          ...CONCURRENCY.map((c) => {
            const s = r[`latency ${c}`]!;
            return [`1 process, concurrency ${c}, +${LATENCY_MS} ms per request`, c, s.median, s.min, s.max, s.median / med('latency 1'), '-'];
          }),
          ...(quick ? [] : (['SDK loop', 'sqs-consumer'] as const)).map((who) => {
            const s = r[`latency ${who}`]!;
            const what = who === 'SDK loop' ? 'hand-written SDK loop, concurrency 1' : 'sqs-consumer (handleMessageBatch, batchSize 10)';
            return [`${what}, +${LATENCY_MS} ms per request`, 1, s.median, s.min, s.max, s.median / med('latency 1'), '-'];
          }),
          ...PROCESSES.map((p) => {
            const s = r[`processes ${p}`]!;
            return [`${p} process${p > 1 ? 'es' : ''}, concurrency 1 each`, p, s.median, s.min, s.max, s.median / base, serverCpu(`processes ${p}`)];
          }),
        ],
      },
      targets: [],
      figures: [
        {
          kind: 'line',
          file: 'listener-scaling.svg',
          title: 'Listener throughput against receive loops in flight (fauxqs, 2 cores)',
          xLabel: 'receive loops in flight (concurrency, or processes x 1)',
          yLabel: 'messages per second',
          logX: true,
          logY: true,
          series: [
            { label: 'concurrency n, loopback', points: CONCURRENCY.map((c) => ({ x: c, y: med(`concurrency ${c}`) })) },
            { label: 'n processes, loopback', points: PROCESSES.map((p) => ({ x: p, y: med(`processes ${p}`) })) },
            { label: `concurrency n, +${LATENCY_MS} ms/request`, points: CONCURRENCY.map((c) => ({ x: c, y: med(`latency ${c}`) })) },
          ],
        },
      ],
      notes: [
        `At +${LATENCY_MS} ms, the SDK loop and sqs-consumer rows compare with the listener at concurrency 1 (same column).`,
        `The "+${LATENCY_MS} ms" rows delay every request of the listener's SQS client by ${LATENCY_MS} ms (an SDK middleware), like the round trip to real SQS; they drain ${latencyMessages.toLocaleString('en-US')} messages per round.`,
        'Every process (the bench itself, each listener process and fauxqs) shares the same 2 cores, so these figures show where the CPU runs out, not what real SQS would allow.',
        'Listener processes are started once and kept across rounds (their warm-up round warms their JIT); each reports its count over IPC every 25 ms.',
      ],
    };
  } finally {
    await Promise.all(pool.map((w) => w.exit()));
    await server.stop();
  }
}

if (isMain(import.meta.url)) {
  printResult(await runScalingBench(parseOptions()));
}
