// One listener process of the multi-process scaling bench. It stays up across rounds (so its JIT is
// warm after the warm-up round): on {go: queueUrl} it runs SqsListener (default options) on that queue,
// reporting how many distinct messages it processed every 25 ms, until {stop: true}.
import { benchClient } from './queues.js';
import { type Running, startListener } from './consumers.js';
import { DrainCounter } from './drain.js';

export type WorkerCommand = { go: string; messages: number } | { stop: true } | { exit: true };
export type WorkerReport = { ready: true } | { processed: number } | { stopped: true };

const endpoint = process.argv[2];
if (!endpoint) throw new Error('usage: listener-worker <endpoint>');
const client = benchClient(endpoint);
const send = (report: WorkerReport): void => {
  process.send?.(report);
};

let running: Running | undefined;
let ticker: NodeJS.Timeout | undefined;
let counter: DrainCounter | undefined;
let reported = 0;

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
    running = startListener()(client, cmd.go, counter);
    ticker = setInterval(flush, 25);
  } else if ('stop' in cmd) {
    clearInterval(ticker);
    flush();
    void running?.stop().then(() => send({ stopped: true }));
  } else {
    process.disconnect();
  }
});
send({ ready: true });
