// Diagnostic (not part of `npm run bench`): CPU µs per message of the listener and the hand-written
// SDK loop at one concurrency, interleaved rounds in their own processes, medians and ratio.
//   npx tsx bench/support/drain-cpu.ts [--concurrency 4] [--messages 10000] [--rounds 5] [--prof DIR] [--node-flags '--single-threaded-gc']
// With --prof the listener's process writes a V8 CPU profile (.cpuprofile) to DIR when it exits;
// --node-flags are given to both consumer processes.
import { parseArgs } from 'node:util';
import { stats } from '../harness.js';
import { ConsumerProcess, processRound } from './consumer-process.js';
import type { ConsumerKind } from './consumer-worker.js';
import { benchClient } from './queues.js';
import { startBenchServer } from './server.js';

const { values } = parseArgs({
  options: { concurrency: { type: 'string', default: '4' }, messages: { type: 'string', default: '10000' }, rounds: { type: 'string', default: '5' }, prof: { type: 'string' }, 'node-flags': { type: 'string', default: '' } },
});
const concurrency = Number(values.concurrency);
const messages = Number(values.messages);
const rounds = Number(values.rounds);
const server = await startBenchServer();
const kinds: ConsumerKind[] = ['listener', 'sdk-loop'];
const flags = values['node-flags'].split(' ').filter(Boolean);
const workers = kinds.map(
  (k) => new ConsumerProcess(server.endpoint, { nodeFlags: [...flags, ...(k === 'listener' && values.prof ? ['--cpu-prof', `--cpu-prof-dir=${values.prof}`] : [])] }),
);
try {
  await Promise.all(workers.map((w) => w.ready()));
  const setup = { admin: benchClient(server.endpoint), client: benchClient(server.endpoint), messages };
  const cpu: number[][] = kinds.map(() => []);
  for (let r = 0; r <= rounds; r++) {
    for (let k = 0; k < kinds.length; k++) {
      const i = (r + k) % kinds.length;
      await processRound(setup, [workers[i]!], { label: kinds[i]!, consumer: kinds[i], concurrency, cpu: cpu[i] });
    }
    if (r > 0) console.error(`round ${r}: listener ${cpu[0]!.at(-1)!.toFixed(0)} µs/msg, loop ${cpu[1]!.at(-1)!.toFixed(0)} µs/msg`);
  }
  const [ours, loop] = cpu.map((c) => stats(c.slice(1)).median) as [number, number];
  console.log(`concurrency ${concurrency}, ${messages} messages, ${rounds} rounds: listener ${ours.toFixed(1)} µs/msg, loop ${loop.toFixed(1)} µs/msg, ratio ${(ours / loop).toFixed(3)}`);
} finally {
  await Promise.all(workers.map((w) => w.exit()));
  await server.stop();
}
