// One consumer process, kept up across rounds (so its JIT is warm after the warm-up round, as in a
// long-running service). On {go} it drains that queue with the named consumer, reporting how many
// distinct messages it processed every 25 ms; on {stop} it reports the CPU time it spent since {go}
// (user + system, all its threads: the consumer's own cost, with nothing of the benchmark's) and stops.
import { benchClient } from './queues.js';
import { type Running, type SqsConsumerClass, startListener, startSdkLoop, startSqsConsumer, type StartConsumer } from './consumers.js';
import { DrainCounter } from './drain.js';

export type ConsumerKind = 'listener' | 'sdk-loop' | 'sqs-consumer-14' | 'sqs-consumer-15';
export type WorkerCommand =
  | { go: string; messages: number; consumer?: ConsumerKind; concurrency?: number }
  | { stop: true }
  | { exit: true };
export type WorkerReport =
  | { ready: true }
  | { processed: number }
  | { stopped: true; cpuMicros: number; duplicates: number };

const endpoint = process.argv[2];
if (!endpoint) throw new Error('usage: consumer-worker <endpoint>');
const client = benchClient(endpoint);
const send = (report: WorkerReport): void => {
  process.send?.(report);
};

async function consumerFor(kind: ConsumerKind, concurrency: number): Promise<StartConsumer> {
  switch (kind) {
    case 'listener':
      return startListener({ concurrency });
    case 'sdk-loop':
      return startSdkLoop(concurrency);
    case 'sqs-consumer-14':
      return startSqsConsumer();
    case 'sqs-consumer-15': {
      // Imported only here: sqs-consumer 15 needs Node 22+, the rest of the benchmarks run on 20.
      const { Consumer } = (await import('sqs-consumer-15')) as unknown as { Consumer: SqsConsumerClass };
      return startSqsConsumer(Consumer);
    }
  }
}

let running: Running | undefined;
let ticker: NodeJS.Timeout | undefined;
let counter: DrainCounter | undefined;
let reported = 0;
let cpu0: NodeJS.CpuUsage | undefined;

const flush = (): void => {
  if (counter && counter.processed !== reported) {
    reported = counter.processed;
    send({ processed: reported });
  }
};

process.on('message', (raw) => {
  const cmd = raw as WorkerCommand;
  if ('go' in cmd) {
    counter = new DrainCounter(cmd.messages);
    reported = 0;
    const queueUrl = cmd.go;
    cpu0 = process.cpuUsage();
    void consumerFor(cmd.consumer ?? 'listener', cmd.concurrency ?? 1).then((start) => {
      running = start(client, queueUrl, counter!);
      ticker = setInterval(flush, 25);
    });
  } else if ('stop' in cmd) {
    const used = process.cpuUsage(cpu0);
    clearInterval(ticker);
    flush();
    const duplicates = counter?.duplicates ?? 0;
    void running?.stop().then(() => send({ stopped: true, cpuMicros: used.user + used.system, duplicates }));
  } else {
    process.disconnect();
  }
});
send({ ready: true });
