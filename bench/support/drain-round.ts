// One measured drain: fill a fresh queue (not timed), start a consumer, and time until every
// message was processed once AND the server reports the queue empty (so deletes are paid for).
import { DeleteQueueCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { megaBody } from './bodies.js';
import type { StartConsumer } from './consumers.js';
import { DrainCounter } from './drain.js';
import { processCpuSeconds } from './proc-cpu.js';
import { createQueue, fillQueue, waitEmpty } from './queues.js';

export interface DrainSetup {
  /** Fills queues and watches them; never used by the consumer under test. */
  admin: SQSClient;
  /** The consumer's own client, kept across rounds (warm connections, like a long-running service). */
  client: SQSClient;
  messages: number;
  /** The fauxqs process, whose CPU use during each round is recorded in `serverLoad`. */
  serverPid?: number;
}

/** Per contender: the server's CPU use as a fraction of one core during each round. */
export type ServerLoad = number[];

/**
 * Returns messages per second. When `cpu` is given, the CPU time this process spent per message
 * (microseconds) is pushed to it: a measure of the consumer's own cost that other processes on the
 * machine disturb far less than the wall clock.
 */
export async function drainRound(
  setup: DrainSetup,
  label: string,
  start: StartConsumer,
  cpu?: number[],
  serverLoad?: ServerLoad,
): Promise<number> {
  const { admin, client, messages } = setup;
  const queueUrl = await createQueue(admin, label.replace(/[^a-zA-Z0-9-]/g, '-'));
  await fillQueue(admin, queueUrl, messages, (i) => megaBody(i));
  const counter = new DrainCounter(messages);
  const server0 = setup.serverPid === undefined ? undefined : processCpuSeconds(setup.serverPid);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const running = start(client, queueUrl, counter);
  let elapsed: number;
  try {
    await withTimeout(counter.done, 120_000, () => `${label}: processed ${counter.processed} of ${messages} in 120 s`);
    await waitEmpty(admin, queueUrl, label);
    elapsed = performance.now() - t0;
    const used = process.cpuUsage(cpu0);
    cpu?.push((used.user + used.system) / messages);
    const server1 = setup.serverPid === undefined ? undefined : processCpuSeconds(setup.serverPid);
    if (server0 !== undefined && server1 !== undefined) serverLoad?.push((server1 - server0) / (elapsed / 1000));
  } finally {
    await running.stop();
  }
  const rate = messages / (elapsed / 1000);
  if (counter.duplicates > 0) console.warn(`${label}: ${counter.duplicates} messages were delivered twice`);
  await admin.send(new DeleteQueueCommand({ QueueUrl: queueUrl }));
  return rate;
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message())), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
