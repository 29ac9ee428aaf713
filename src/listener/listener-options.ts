import type { SQSClient } from '@aws-sdk/client-sqs';
import { z } from 'zod';
import {
  consumerOptionFields,
  DEFAULT_HANDLER_TIMEOUT_SECONDS,
  int,
  optionIssues,
  queueUrl,
  resolveConsumerOptions,
  SQS_MAX_VISIBILITY_SECONDS,
  type ConsumerOptions,
  type ResolvedConsumerOptions,
  type RetriableErrorClass,
} from '../consume/consumer-options.js';
import { SqsMegaError } from '../protocol/errors.js';
import { idempotencyIssues } from '../idempotency/options.js';
import type { AwsCredentials } from '../aws/clients.js';

/** SQS limits the listener's options must respect. */
export { SQS_MAX_VISIBILITY_SECONDS, DEFAULT_HANDLER_TIMEOUT_SECONDS };
export type { RetriableErrorClass };
export const SQS_MAX_WAIT_SECONDS = 20;
export const SQS_MAX_RECEIVE_BATCH = 10;
/** Extensions go out this late at the latest, leaving a tenth of the visibility timeout for the call. */
const MAX_HEARTBEAT_FRACTION = 0.9;

export interface SqsListenerOptions extends ConsumerOptions {
  /** The queue to consume. */
  queueUrl: string;
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

/** The options after validation, with every default filled in. */
export interface ResolvedListenerOptions extends ResolvedConsumerOptions {
  queueUrl: string;
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

const schema = z
  .object({
    ...consumerOptionFields,
    queueUrl,
    region: z.string().min(1).optional(),
    endpoint: z.string().min(1).optional(),
    credentials: z
      .custom<AwsCredentials>((v) => typeof v === 'function' || (typeof v === 'object' && v !== null && 'accessKeyId' in v && 'secretAccessKey' in v), 'must be credentials or a credential provider')
      .optional(),
    maxNumberOfMessages: int(1, SQS_MAX_RECEIVE_BATCH).default(SQS_MAX_RECEIVE_BATCH),
    waitTimeSeconds: int(0, SQS_MAX_WAIT_SECONDS).default(SQS_MAX_WAIT_SECONDS),
    visibilityTimeout: int(0, SQS_MAX_VISIBILITY_SECONDS).default(30),
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
    throw new ListenerOptionsError([{ path: '(options)', message: 'must be an object with at least queueUrl' }]);
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
  if (o.deadLetterQueueUrl !== undefined && o.deadLetterQueueUrl === o.queueUrl) {
    throw new ListenerOptionsError([{ path: 'deadLetterQueueUrl', message: 'must differ from queueUrl' }]);
  }
  return {
    ...resolveConsumerOptions(options, o),
    queueUrl: o.queueUrl,
    maxNumberOfMessages: o.maxNumberOfMessages,
    waitTimeSeconds: o.waitTimeSeconds,
    visibilityTimeout: o.visibilityTimeout,
    concurrency: o.concurrency,
    maxInFlight: o.maxInFlight ?? o.concurrency * o.maxNumberOfMessages * 2,
    shutdownTimeoutMs: o.shutdownTimeoutMs,
    heartbeatFraction: o.heartbeatFraction,
    handleSignals: o.handleSignals,
  };
}
