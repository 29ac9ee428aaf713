import type { SQSClient } from '@aws-sdk/client-sqs';
import { z } from 'zod';
import type { DispatchOutcome } from '../dispatch/outcome.js';
import type { MessageContext } from '../dispatch/context.js';
import { SqsMegaError } from '../protocol/errors.js';
import { defaultRetryDelaySeconds } from './backoff.js';
import type { AwsCredentials } from './clients.js';
import type { ListenerLogger } from './logger.js';
import { jsonLogger, safeLogger } from './logger.js';
import { QUEUE_URL_EXAMPLE, queueUrlProblem } from './queue-url.js';

/** SQS limits the listener's options must respect. */
export const SQS_MAX_VISIBILITY_SECONDS = 43_200;
export const SQS_MAX_WAIT_SECONDS = 20;
export const SQS_MAX_RECEIVE_BATCH = 10;
/** How long a message's processing may run before it is given up as a retry (15 minutes). */
export const DEFAULT_HANDLER_TIMEOUT_SECONDS = 900;

/** An Error class (or subclass), whatever its constructor takes. */
export type RetriableErrorClass = abstract new (...args: never[]) => Error;

export interface SqsListenerOptions {
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
  /** Errors (and their subclasses) that mean RETRIABLE_ERROR rather than FATAL_ERROR. */
  retriableErrors?: readonly RetriableErrorClass[];
  /** Seconds before a retried message is visible again, from its receive count (default: random up to 2^n, at most 900). */
  retryDelaySeconds?: (receiveCount: number) => number;
  /** Where FATAL_ERROR and invalid messages are copied before they are deleted. */
  deadLetterQueueUrl?: string;
  /** Console-compatible logger; structured fields go in the second argument (default: JSON lines on stderr). */
  logger?: ListenerLogger;
  /** How long `stop()` lets running handlers finish before aborting their signals (default 30000 ms). */
  shutdownTimeoutMs?: number;
  /** Extend a message's visibility each time this fraction of `visibilityTimeout` has passed (default 0.5). */
  heartbeatFraction?: number;
  /**
   * Longest a message's processing may run (hooks and every matching subscriber), in seconds, more
   * than 0 and at most 43200 (default 900, 15 minutes). Past it the message is given up as a retry:
   * the context's `signal` is aborted with a HandlerTimeoutError, the heartbeat stops extending it,
   * its visibility is set to the retry delay (it is not deleted), an `error` event with stage
   * `timeout` names the subscribers still running, and its `maxInFlight` slot goes to the next
   * message. Whatever the abandoned handler returns later is ignored.
   *
   * 15 minutes is long enough for genuine batch work, short enough that hung handlers cannot quietly
   * stall the listener for good. 43200 is SQS's own limit: a message cannot be kept hidden longer
   * than 12 hours after its receive, so a handler running past that has lost its message anyway.
   */
  handlerTimeoutSeconds?: number;
  /** Whether `listen()` stops the listener on SIGTERM and SIGINT (default true). */
  handleSignals?: boolean;
  /** Runs before a message is dispatched; an error there is logged and ignored. */
  onBeforeProcess?: (context: MessageContext) => void | Promise<void>;
  /** Runs after a message is dispatched, before it is deleted or retried; an error there is logged and ignored. */
  onAfterProcess?: (context: MessageContext, outcome: DispatchOutcome) => void | Promise<void>;
}

/** The options after validation, with every default filled in. */
export interface ResolvedListenerOptions {
  queueUrl: string;
  maxNumberOfMessages: number;
  waitTimeSeconds: number;
  visibilityTimeout: number;
  concurrency: number;
  maxInFlight: number;
  retriableErrors: readonly RetriableErrorClass[];
  retryDelaySeconds: (receiveCount: number) => number;
  deadLetterQueueUrl: string | undefined;
  logger: ListenerLogger;
  shutdownTimeoutMs: number;
  heartbeatFraction: number;
  handlerTimeoutSeconds: number;
  handleSignals: boolean;
  onBeforeProcess: SqsListenerOptions['onBeforeProcess'];
  onAfterProcess: SqsListenerOptions['onAfterProcess'];
}

/** The listener was given options it cannot work with; `issues` lists each one with its path. */
export class ListenerOptionsError extends SqsMegaError {
  constructor(readonly issues: readonly { path: string; message: string }[]) {
    super(`Invalid SqsListener options: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
  }
}

const int = (min: number, max: number) =>
  z.number().int(`must be an integer from ${min} to ${max}`).min(min, `must be from ${min} to ${max}`).max(max, `must be from ${min} to ${max}`);
const fn = (what: string) => z.custom<(...args: never[]) => unknown>((v) => typeof v === 'function', `must be ${what}`);
const url = z.string().superRefine((v, ctx) => {
  const problem = queueUrlProblem(v);
  if (problem !== undefined) ctx.addIssue({ code: 'custom', message: `must be a queue URL such as ${QUEUE_URL_EXAMPLE} (${problem})` });
});

const schema = z
  .object({
    queueUrl: url,
    client: z.custom<SQSClient>((v) => typeof (v as { send?: unknown } | null)?.send === 'function', 'must be an SQSClient').optional(),
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
    retriableErrors: z
      .array(
        z.custom<RetriableErrorClass>(
          (v) => typeof v === 'function' && (v === Error || (v as { prototype?: unknown }).prototype instanceof Error),
          'must be an Error class or subclass',
        ),
      )
      .default([]),
    retryDelaySeconds: fn('a function of the receive count').optional(),
    deadLetterQueueUrl: url.optional(),
    logger: z
      .custom<ListenerLogger>(
        (v) => typeof v === 'object' && v !== null && ['debug', 'info', 'warn', 'error'].every((k) => typeof (v as Record<string, unknown>)[k] === 'function'),
        'must have debug, info, warn and error methods',
      )
      .optional(),
    shutdownTimeoutMs: int(0, 24 * 3_600_000).default(30_000),
    heartbeatFraction: z.number().gt(0, 'must be above 0').lt(1, 'must be below 1').default(0.5),
    handlerTimeoutSeconds: z
      .number()
      .gt(0, `must be more than 0 and at most ${SQS_MAX_VISIBILITY_SECONDS} seconds`)
      .max(SQS_MAX_VISIBILITY_SECONDS, `must be more than 0 and at most ${SQS_MAX_VISIBILITY_SECONDS} seconds (SQS keeps a message hidden 12 hours at most)`)
      .default(DEFAULT_HANDLER_TIMEOUT_SECONDS),
    handleSignals: z.boolean().default(true),
    onBeforeProcess: fn('a function').optional(),
    onAfterProcess: fn('a function').optional(),
  })
  .strict();

/** Validates the options and fills in defaults; throws ListenerOptionsError naming every bad field. */
export function resolveListenerOptions(options: SqsListenerOptions): ResolvedListenerOptions {
  if (typeof options !== 'object' || options === null) {
    throw new ListenerOptionsError([{ path: '(options)', message: 'must be an object with at least queueUrl' }]);
  }
  const parsed = schema.safeParse(options);
  if (!parsed.success) {
    throw new ListenerOptionsError(
      parsed.error.issues.map((issue) => ({
        path: issue.path.length > 0 ? issue.path.join('.') : '(options)',
        message: issue.code === 'unrecognized_keys' ? `unknown option(s) ${issue.keys.join(', ')}` : issue.message,
      })),
    );
  }
  const o = parsed.data;
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
    queueUrl: o.queueUrl,
    maxNumberOfMessages: o.maxNumberOfMessages,
    waitTimeSeconds: o.waitTimeSeconds,
    visibilityTimeout: o.visibilityTimeout,
    concurrency: o.concurrency,
    maxInFlight: o.maxInFlight ?? o.concurrency * o.maxNumberOfMessages * 2,
    retriableErrors: options.retriableErrors ?? [],
    retryDelaySeconds: options.retryDelaySeconds ?? defaultRetryDelaySeconds,
    deadLetterQueueUrl: o.deadLetterQueueUrl,
    logger: options.logger ? safeLogger(options.logger) : jsonLogger(),
    shutdownTimeoutMs: o.shutdownTimeoutMs,
    heartbeatFraction: o.heartbeatFraction,
    handlerTimeoutSeconds: o.handlerTimeoutSeconds,
    handleSignals: o.handleSignals,
    onBeforeProcess: options.onBeforeProcess,
    onAfterProcess: options.onAfterProcess,
  };
}
