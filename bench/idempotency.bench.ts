// The idempotency guard's cost: SqsListener (defaults, one subscriber) draining the same queue with
// and without a RedisIdempotencyStore (real redis-server on loopback, payload-hash key), 20 ms added
// to every SQS request as a round trip to real SQS would, rounds interleaved in the same run. Redis
// round trips are counted, not assumed.
import { RedisIdempotencyStore, type RedisCommandClient } from '../src/idempotency/redis-store.js';
import { startRedis } from '../spec/support/redis.js';
import { startListener } from './support/consumers.js';
import { drainRound, type DrainSetup } from './support/drain-round.js';
import { clientWithLatency } from './support/latency.js';
import { benchClient } from './support/queues.js';
import { startBenchServer } from './support/server.js';
import { type BenchOptions, type BenchResult, interleave, isMain, parseOptions, printResult, targetRow } from './harness.js';

const LATENCY_MS = 20;

export async function runIdempotencyBench({ quick }: BenchOptions): Promise<BenchResult> {
  const messages = quick ? 500 : 3_000;
  const rounds = quick ? 3 : 7;
  const server = await startBenchServer();
  const redis = await startRedis();
  try {
    const admin = benchClient(server.endpoint);
    let commands = 0;
    const counted: RedisCommandClient = { sendCommand: (args) => ((commands += 1), redis.client.sendCommand(args)) };
    const store = new RedisIdempotencyStore({ client: counted });
    const plain: DrainSetup = { admin, client: clientWithLatency(server.endpoint, LATENCY_MS), messages };
    const guarded: DrainSetup = { admin, client: clientWithLatency(server.endpoint, LATENCY_MS), messages };
    const perMessage: number[] = [];
    const results = await interleave(
      [
        { name: 'without', round: () => drainRound(plain, 'idempotency-off', startListener()) },
        {
          name: 'Redis store',
          round: async () => {
            await redis.client.flushAll(); // every round's payloads are new to the store
            const before = commands;
            const rate = await drainRound(guarded, 'idempotency-redis', startListener({ idempotency: { store, key: 'payloadHash' } }));
            perMessage.push((commands - before) / messages);
            return rate;
          },
        },
      ],
      { warmup: 1, rounds, onRound: (name, v) => console.error(`  idempotency: ${name} ${Math.round(v)} msg/s`) },
    );
    const off = results['without']!;
    const on = results['Redis store']!;
    const trips = Math.max(...perMessage);
    return {
      title: `Idempotency guard cost (${messages.toLocaleString('en-US')} MEGA messages, +${LATENCY_MS} ms per SQS request, ${rounds} rounds)`,
      table: {
        head: ['listener', 'median msg/s', 'min', 'max', 'Redis round trips per message'],
        rows: [
          ['SqsListener (defaults)', off.median, off.min, off.max, 0],
          ['SqsListener + RedisIdempotencyStore (payloadHash)', on.median, on.min, on.max, trips],
        ],
      },
      targets: [
        targetRow({ name: 'listener with the Redis idempotency store vs without', value: on.median, baseline: off.median, min: on.min, max: on.max, goal: 'ratio>=', target: 0.9, unit: 'msg/s' }),
      ],
      notes: [
        `Each message costs ${trips} Redis round trips: the claim (SET NX PX GET) and, after the verdict, the completion (EVAL); a duplicate costs one (the claim). They run per message, beside the batched SQS calls, so at ${LATENCY_MS} ms per SQS request they hide behind them.`,
        'redis-server runs on loopback (no persistence); a Redis across a network adds its round trip to each message\'s latency, not to the batch calls.',
      ],
    };
  } finally {
    await redis.stop();
    await server.stop();
  }
}

if (isMain(import.meta.url)) {
  printResult(await runIdempotencyBench(parseOptions()));
}
