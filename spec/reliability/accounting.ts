// The accounting scenario, shared by its spec (a small N in `npm test`) and the soak (`npm run soak`):
// N uniquely numbered messages, several listener processes behind the fault proxy, random retriable
// failures in the subscriber, throttling and 5xx on some requests, and one listener killed with SIGKILL
// part way. At the end every number must have been processed and the queue must be empty.
import { FaultProxy, seededRandom } from '../support/fault-proxy.js';
import type { TestServer } from '../support/fauxqs.js';
import { isEmpty, queueDepth, range, sendNumbered, sleep, spawnListener, Tally, waitFor, type Figures, type ListenerChild } from './support.js';

export interface AccountingOptions {
  /** Messages to publish. */
  n: number;
  /** Listener processes (default 3). */
  listeners?: number;
  /** Probability that the subscriber fails retriably on a message (default 0.1). */
  failRate?: number;
  /** Share of requests answered with throttling or 5xx by the proxy (default 0.05). */
  faultRate?: number;
  /** Kill the first listener once this share of the numbers was processed (default 0.3). */
  crashAt?: number;
  /** Queue visibility timeout in seconds (default 2): how soon the crashed listener's messages return. */
  visibilityTimeout?: number;
  /** Give up after this long (default 60 s). */
  timeoutMs?: number;
  /** Progress lines, for the soak. */
  log?: (line: string) => void;
  /** Run the listeners with the idempotency guard (Redis store, payload-hash key) and publish every payload twice. */
  idempotency?: {
    redisUrl: string;
    /** Claim expiry in seconds (default 3): how long a crashed listener's messages wait. */
    inProgressSeconds?: number;
    /** Kill Redis once this share of the numbers was processed, and start it again `downMs` later (empty). */
    outage?: { at: number; downMs: number; kill: () => Promise<void>; restart: () => Promise<void> };
  };
}

/** Why a number was processed more than once in an idempotent run. */
export interface DuplicateExplanation {
  /** The killed listener finished it but may not have recorded it completed (it had not deleted it). */
  crashWindow: number;
  /** First started before the Redis outage, run again after it: the restarted Redis had lost its claim or completion. */
  storeRestart: number;
  unexplained: number;
}

export interface AccountingResult extends Figures {
  messagesSent: number;
  processed: number;
  duplicates: number;
  numbersSeenMoreThanOnce: number;
  lost: number;
  retriableFailures: number;
  unfinishedAtCrash: number;
  requests: number;
  faultsInjected: number;
  listeners: number;
  durationMs: number;
  /** Idempotent runs (0 otherwise): copies the guard skipped (deleted, or put back while another held the key). */
  duplicatesSkipped: number;
  /** Idempotent runs (0 otherwise): numbers processed twice, by the window that let them through. */
  crashWindowDuplicates: number;
  storeRestartDuplicates: number;
  unexplainedDuplicates: number;
}

export async function runAccounting(server: TestServer, options: AccountingOptions): Promise<AccountingResult> {
  const { n, listeners = 3, failRate = 0.1, faultRate = 0.05, crashAt = 0.3, visibilityTimeout = 2, timeoutMs = 60_000 } = options;
  const log = options.log ?? (() => {});
  const seqs = range(n);
  const queueUrl = await server.createQueue({ name: 'accounting', attributes: { VisibilityTimeout: String(visibilityTimeout) } });
  await sendNumbered(server.sqs, queueUrl, 'accounting', seqs);
  // Every payload twice, as a publish retry would: only the idempotency guard keeps it from running twice.
  if (options.idempotency) await sendNumbered(server.sqs, queueUrl, 'accounting', seqs);
  const messagesSent = options.idempotency ? 2 * n : n;
  log(`sent ${messagesSent} messages`);

  const proxy = await FaultProxy.start({ target: server.endpoint, random: seededRandom(n) });
  proxy.inject({ kind: 'throttle', rate: faultRate / 2 });
  proxy.inject({ kind: 'server-error', rate: faultRate / 2 / (1 - faultRate / 2), status: 503 });

  const tally = new Tally();
  let failures = 0;
  let skipped = 0;
  // Idempotent runs: each completion with who and when, each deletion by the victim, the outage's moments.
  const completions: { seq: number; by: number; at: number }[] = [];
  const firstStarted = new Map<number, number>();
  const deletedByVictim = new Set<number>();
  let crashAt_ = Number.POSITIVE_INFINITY;
  let outageAt = Number.POSITIVE_INFINITY;
  let restartedAt = Number.POSITIVE_INFINITY;
  const startedBy: Set<number>[] = [];
  const settledBy: Set<number>[] = [];
  const children: ListenerChild[] = [];
  const startedAt = Date.now();
  try {
    for (let i = 0; i < listeners; i += 1) {
      const started = new Set<number>();
      const settled = new Set<number>();
      startedBy.push(started);
      settledBy.push(settled);
      children.push(
        spawnListener(
          {
            queueUrl, endpoint: proxy.endpoint, workMs: 5, failRate, visibilityTimeout, concurrency: 2, retryDelaySeconds: 0,
            ...(options.idempotency ? { redisUrl: options.idempotency.redisUrl, inProgressSeconds: options.idempotency.inProgressSeconds ?? 3 } : {}),
          },
          ({ event, seq }) => {
            if (event === 'S') {
              started.add(seq);
              if (!firstStarted.has(seq)) firstStarted.set(seq, Date.now());
            }
            if (event === 'D') {
              tally.add(seq);
              settled.add(seq);
              completions.push({ seq, by: i, at: Date.now() });
            }
            if (event === 'K') skipped += 1;
            if (event === 'X' && i === 0 && Date.now() < crashAt_) deletedByVictim.add(seq);
            if (event === 'F') {
              failures += 1;
              settled.add(seq);
            }
          },
        ),
      );
    }
    await Promise.all(children.map((c) => c.ready));
    log(`${listeners} listeners ready`);

    // Kill mid-batch: past the crash point, at a moment the victim holds unfinished messages.
    const victimBusy = () => [...(startedBy[0] ?? [])].some((seq) => !settledBy[0]?.has(seq));
    await waitFor('the drain to reach the crash point', () => tally.distinct >= n * crashAt && victimBusy(), timeoutMs, 2);
    const victim = children[0];
    crashAt_ = Date.now();
    victim?.child.kill('SIGKILL');
    await victim?.exited;
    const unfinishedAtCrash = [...(startedBy[0] ?? [])].filter((seq) => !settledBy[0]?.has(seq)).length;
    log(`killed listener 0 at ${tally.distinct} processed; it had ${unfinishedAtCrash} unfinished`);

    const outage = options.idempotency?.outage;
    if (outage) {
      await waitFor('the drain to reach the Redis outage', () => tally.distinct >= n * outage.at, timeoutMs, 2);
      outageAt = Date.now();
      await outage.kill();
      log(`killed Redis at ${tally.distinct} processed`);
      await sleep(outage.downMs);
      await outage.restart();
      restartedAt = Date.now();
      log('Redis is back, empty');
    }

    let lastLog = Date.now();
    await waitFor(
      'every number processed and the queue empty',
      async () => {
        if (Date.now() - lastLog > 2_000) {
          lastLog = Date.now();
          log(`${tally.distinct}/${n} processed, ${tally.duplicates} duplicates, ${failures} retriable failures`);
        }
        return tally.distinct === n && isEmpty(await queueDepth(server.sqs, queueUrl));
      },
      timeoutMs - (Date.now() - startedAt),
      100,
    );
    const durationMs = Date.now() - startedAt;
    const stats = proxy.stats();
    const explained = options.idempotency ? explain(completions, firstStarted, deletedByVictim, { outageAt, restartedAt }) : { crashWindow: 0, storeRestart: 0, unexplained: 0 };
    return {
      duplicatesSkipped: skipped,
      crashWindowDuplicates: explained.crashWindow,
      storeRestartDuplicates: explained.storeRestart,
      unexplainedDuplicates: explained.unexplained,
      messagesSent,
      processed: tally.distinct,
      duplicates: tally.duplicates,
      numbersSeenMoreThanOnce: seqs.filter((seq) => tally.countOf(seq) > 1).length,
      lost: tally.missing(seqs).length,
      retriableFailures: failures,
      unfinishedAtCrash,
      requests: stats.requests,
      faultsInjected: stats.faults + failures + 1,
      proxyFaults: stats.faults,
      crashes: 1,
      listeners,
      durationMs,
    };
  } finally {
    for (const c of children) if (c.child.exitCode === null && c.child.signalCode === null) c.child.kill('SIGTERM');
    await Promise.all(children.map((c) => c.exited));
    await proxy.close();
  }
}

/** Sorts each number processed more than once by the window that let it through (docs/idempotency.md). */
function explain(
  completions: { seq: number; by: number; at: number }[],
  firstStarted: Map<number, number>,
  deletedByVictim: Set<number>,
  { outageAt, restartedAt }: { outageAt: number; restartedAt: number },
): DuplicateExplanation {
  const bySeq = new Map<number, { by: number; at: number }[]>();
  for (const c of completions) bySeq.set(c.seq, [...(bySeq.get(c.seq) ?? []), c]);
  const result: DuplicateExplanation = { crashWindow: 0, storeRestart: 0, unexplained: 0 };
  for (const [seq, runs] of bySeq) {
    if (runs.length < 2) continue;
    const [first] = runs;
    // Claimed in the Redis that died (any time before the empty one was up: the kill is not instant),
    // run again after the outage began: the restarted Redis had lost the key.
    if ((firstStarted.get(seq) ?? Infinity) < restartedAt && runs.some((r) => r.at >= outageAt)) result.storeRestart += 1;
    else if (first?.by === 0 && !deletedByVictim.has(seq)) result.crashWindow += 1;
    else result.unexplained += 1;
  }
  return result;
}
