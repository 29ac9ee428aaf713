import type { SQSClient } from '@aws-sdk/client-sqs';
import { z } from 'zod';
import { consumerOptionFields, int, optionIssues, queueUrl, resolveConsumerOptions, type ConsumerOptions, type ResolvedConsumerOptions } from '../consume/consumer-options.js';
import { SqsMegaError } from '../protocol/errors.js';
import { idempotencyIssues } from '../idempotency/options.js';
import type { AwsCredentials } from '../aws/clients.js';
import { SQS_MAX_VISIBILITY_SECONDS } from '../aws/limits.js';

/** SQS limits the listener's options must respect. */
const SQS_MAX_WAIT_SECONDS = 20;
const SQS_MAX_RECEIVE_BATCH = 10;
/** Most queues one listener takes (each has its own receive loops, heartbeat and delete batcher). */
const MAX_QUEUES = 20;
/** Extensions go out this late at the latest, leaving a tenth of the visibility timeout for the call. */
const MAX_HEARTBEAT_FRACTION = 0.9;

/** What each queue of a several-queue listener may set for itself; the rest is shared. */
export interface QueueOptions {
  queueUrl: string;
  /** With `polling: 'weighted'`, this queue's share of `maxInFlight` while several queues have work (default 1). */
  weight?: number;
  maxNumberOfMessages?: number;
  waitTimeSeconds?: number;
  visibilityTimeout?: number;
  deadLetterQueueUrl?: string;
  retryDelaySeconds?: (receiveCount: number) => number;
}

/** How a several-queue listener shares its `maxInFlight` among queues that all have work. */
export type QueuePolling = 'weighted' | 'strict';

interface ListenerSource {
  /** The queue to consume (or `queues`, exactly one of the two). */
  queueUrl?: string;
  /**
   * Several queues under one budget, highest priority first; their own settings override the
   * listener's (which serve as their defaults).
   */
  queues?: readonly QueueOptions[];
  /** With `queues`: `weighted` (default) shares by weight, `strict` serves a queue only when every queue above it is empty. */
  polling?: QueuePolling;
}

export interface SqsListenerOptions extends ConsumerOptions, ListenerSource {
  /** An SQS client to use; otherwise one is created from `region`, `endpoint` and `credentials`. */
  client?: SQSClient;
  region?: string;
  endpoint?: string;
  credentials?: AwsCredentials;
  /** Messages per ReceiveMessage call, 1..10 (default 10). */
  maxNumberOfMessages?: number;
  /** Long-polling wait, 0..20 s (default 20). */
  waitTimeSeconds?: number;
  /** How long a received message stays hidden, 0..43200 s (default 30); extended while it is processed. */
  visibilityTimeout?: number;
  /** ReceiveMessage loops running in parallel (default 1). */
  concurrency?: number;
  /** Most messages held in memory at once, received but not yet settled (default concurrency x maxNumberOfMessages x 2). */
  maxInFlight?: number;
  /** How long `stop()` lets running handlers finish before aborting their signals (default 30000 ms). */
  shutdownTimeoutMs?: number;
  /**
   * Extend a message's visibility each time this fraction of `visibilityTimeout` has passed since its
   * receive or last extension, above 0 and at most 0.9 (default 0.5). The rest is the time each
   * extension has to reach SQS before the message would become visible.
   */
  heartbeatFraction?: number;
  /** Whether `listen()` stops the listener on SIGTERM and SIGINT (default true). */
  handleSignals?: boolean;
}

/** One queue's settings after validation, the listener's filling what it did not set. */
export interface ResolvedQueueOptions {
  queueUrl: string;
  weight: number;
  maxNumberOfMessages: number;
  waitTimeSeconds: number;
  visibilityTimeout: number;
  deadLetterQueueUrl: string | undefined;
  retryDelaySeconds: (receiveCount: number) => number;
}

/** The options after validation, with every default filled in. */
export interface ResolvedListenerOptions extends ResolvedConsumerOptions {
  /** The first queue's (the only one's, with `queueUrl`). */
  queueUrl: string;
  /** Every queue, highest priority first; one entry for a `queueUrl` listener. */
  queues: readonly ResolvedQueueOptions[];
  polling: QueuePolling;
  maxNumberOfMessages: number;
  waitTimeSeconds: number;
  visibilityTimeout: number;
  concurrency: number;
  maxInFlight: number;
  shutdownTimeoutMs: number;
  heartbeatFraction: number;
  handleSignals: boolean;
}

/** The listener was given options it cannot work with; `issues` lists each one with its path. */
export class ListenerOptionsError extends SqsMegaError {
  constructor(readonly issues: readonly { path: string; message: string }[]) {
    super(`Invalid SqsListener options: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
  }
}

const batch = int(1, SQS_MAX_RECEIVE_BATCH);
const wait = int(0, SQS_MAX_WAIT_SECONDS);
const visibility = int(0, SQS_MAX_VISIBILITY_SECONDS);

const queueSchema = z
  .object({
    queueUrl,
    weight: int(1, 1000).optional(),
    maxNumberOfMessages: batch.optional(),
    waitTimeSeconds: wait.optional(),
    visibilityTimeout: visibility.optional(),
    deadLetterQueueUrl: consumerOptionFields.deadLetterQueueUrl,
    retryDelaySeconds: consumerOptionFields.retryDelaySeconds,
  })
  .strict();

const schema = z
  .object({
    ...consumerOptionFields,
    queueUrl: queueUrl.optional(),
    queues: z.array(queueSchema).min(1).max(MAX_QUEUES).optional(),
    polling: z.enum(['weighted', 'strict']).optional(),
    region: z.string().min(1).optional(),
    endpoint: z.string().min(1).optional(),
    credentials: z
      .custom<AwsCredentials>((v) => typeof v === 'function' || (typeof v === 'object' && v !== null && 'accessKeyId' in v && 'secretAccessKey' in v), 'must be credentials or a credential provider')
      .optional(),
    maxNumberOfMessages: batch.default(SQS_MAX_RECEIVE_BATCH),
    waitTimeSeconds: wait.default(SQS_MAX_WAIT_SECONDS),
    visibilityTimeout: visibility.default(30),
    concurrency: int(1, 100).default(1),
    maxInFlight: int(1, 100_000).optional(),
    shutdownTimeoutMs: int(0, 24 * 3_600_000).default(30_000),
    heartbeatFraction: z
      .number()
      .gt(0, 'must be above 0')
      .max(MAX_HEARTBEAT_FRACTION, `must be at most ${MAX_HEARTBEAT_FRACTION}: the rest of visibilityTimeout is the time each extension has to reach SQS`)
      .default(0.5),
    handleSignals: z.boolean().default(true),
  })
  .strict();

/** Validates the options and fills in defaults; throws ListenerOptionsError naming every bad field. */
export function resolveListenerOptions(options: SqsListenerOptions): ResolvedListenerOptions {
  if (typeof options !== 'object' || options === null) {
    throw new ListenerOptionsError([{ path: '(options)', message: 'must be an object with at least queueUrl or queues' }]);
  }
  const parsed = schema.safeParse(options);
  if (!parsed.success) {
    throw new ListenerOptionsError(optionIssues(parsed.error));
  }
  const o = parsed.data;
  const clashes = idempotencyIssues(o);
  if (clashes.length > 0) throw new ListenerOptionsError(clashes);
  if (o.client !== undefined) {
    const clashing = (['region', 'endpoint', 'credentials'] as const).filter((k) => o[k] !== undefined);
    if (clashing.length > 0) {
      throw new ListenerOptionsError([{ path: clashing.join(', '), message: 'configure the client you pass instead (client was given)' }]);
    }
  }
  const consumer = resolveConsumerOptions(options, o);
  const queues = resolveQueues(options, o, consumer);
  const first = queues[0] as ResolvedQueueOptions;
  return {
    ...consumer,
    queueUrl: first.queueUrl,
    queues,
    polling: o.polling ?? 'weighted',
    maxNumberOfMessages: first.maxNumberOfMessages,
    waitTimeSeconds: first.waitTimeSeconds,
    visibilityTimeout: first.visibilityTimeout,
    concurrency: o.concurrency,
    // One budget for all queues: by default as much as separate listeners would hold together.
    maxInFlight: o.maxInFlight ?? queues.reduce((sum, q) => sum + o.concurrency * q.maxNumberOfMessages * 2, 0),
    shutdownTimeoutMs: o.shutdownTimeoutMs,
    heartbeatFraction: o.heartbeatFraction,
    handleSignals: o.handleSignals,
  };
}

type ParsedOptions = z.infer<typeof schema>;

/** `queueUrl` or `queues` (exactly one), each queue with the listener's settings as its defaults. */
function resolveQueues(options: SqsListenerOptions, o: ParsedOptions, consumer: ResolvedConsumerOptions): ResolvedQueueOptions[] {
  const fail = (path: string, message: string): never => {
    throw new ListenerOptionsError([{ path, message }]);
  };
  if (o.queueUrl === undefined && o.queues === undefined) fail('queueUrl', 'required (or queues, for several queues)');
  if (o.queueUrl !== undefined && o.queues !== undefined) fail('queueUrl, queues', 'give one of queueUrl and queues, not both');
  if (o.queues === undefined) {
    if (o.polling !== undefined) fail('polling', 'applies to queues only');
    if (o.deadLetterQueueUrl !== undefined && o.deadLetterQueueUrl === o.queueUrl) fail('deadLetterQueueUrl', 'must differ from queueUrl');
    const { maxNumberOfMessages, waitTimeSeconds, visibilityTimeout } = o;
    return [{ queueUrl: o.queueUrl as string, weight: 1, maxNumberOfMessages, waitTimeSeconds, visibilityTimeout, deadLetterQueueUrl: consumer.deadLetterQueueUrl, retryDelaySeconds: consumer.retryDelaySeconds }];
  }
  const urls = new Set(o.queues.map((q) => q.queueUrl));
  if (urls.size < o.queues.length) fail('queues', 'each queue may appear once');
  return o.queues.map((q, i) => {
    if (q.weight !== undefined && o.polling === 'strict') fail(`queues.${i}.weight`, "has no effect with polling 'strict' (the order of queues is their priority)");
    const deadLetterQueueUrl = q.deadLetterQueueUrl ?? consumer.deadLetterQueueUrl;
    if (deadLetterQueueUrl !== undefined && urls.has(deadLetterQueueUrl)) fail(`queues.${i}.deadLetterQueueUrl`, 'must not be one of the queues listened to');
    return {
      queueUrl: q.queueUrl,
      weight: q.weight ?? 1,
      maxNumberOfMessages: q.maxNumberOfMessages ?? o.maxNumberOfMessages,
      waitTimeSeconds: q.waitTimeSeconds ?? o.waitTimeSeconds,
      visibilityTimeout: q.visibilityTimeout ?? o.visibilityTimeout,
      deadLetterQueueUrl,
      // Functions are taken as given (zod would wrap them).
      retryDelaySeconds: options.queues?.[i]?.retryDelaySeconds ?? consumer.retryDelaySeconds,
    };
  });
}
