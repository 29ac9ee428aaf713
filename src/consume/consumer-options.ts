import type { SQSClient } from '@aws-sdk/client-sqs';
import { z } from 'zod';
import type { DispatchOutcome } from '../dispatch/outcome.js';
import type { MessageContext } from '../dispatch/context.js';
import { defaultRetryDelaySeconds } from '../aws/backoff.js';
import { SQS_MAX_VISIBILITY_SECONDS } from '../aws/limits.js';
import { QUEUE_URL_EXAMPLE, queueUrlProblem } from '../aws/queue-url.js';
import { jsonLogger, safeLogger, type ListenerLogger } from '../aws/logger.js';
import { consumeLargePayloads, resolveConsumeLargePayloads, type LargePayloadConsumeOptions } from '../large-payloads/options.js';
import { PayloadResolver } from '../large-payloads/resolve.js';
import { idempotencyOptionField, resolveIdempotency, type IdempotencyOptions, type ResolvedIdempotency } from '../idempotency/options.js';

/** How long a message's processing may run before it is given up as a retry (15 minutes). */
export const DEFAULT_HANDLER_TIMEOUT_SECONDS = 900;

/** An Error class (or subclass), whatever its constructor takes. */
export type RetriableErrorClass = abstract new (...args: never[]) => Error;

/** What every consumer (the SQS listener, the Lambda handler) does with a message, and how. */
export interface ConsumerOptions {
  /** An SQS client to use (retry delays, dead-letter copies, and for the listener everything else). */
  client?: SQSClient;
  /** Errors (and their subclasses) that mean RETRIABLE_ERROR rather than FATAL_ERROR. */
  retriableErrors?: readonly RetriableErrorClass[];
  /** Seconds before a retried message is visible again, from its receive count (default: random up to 2^n, at most 900). */
  retryDelaySeconds?: (receiveCount: number) => number;
  /** Where FATAL_ERROR and invalid messages are copied before they are deleted. */
  deadLetterQueueUrl?: string;
  /** Console-compatible logger; structured fields go in the second argument (default: JSON lines on stderr). */
  logger?: ListenerLogger;
  /**
   * Longest a message's processing may run (hooks and every matching subscriber), in seconds, more
   * than 0 and at most 43200 (default 900, 15 minutes). Past it the message is given up as a retry:
   * the context's `signal` is aborted with a HandlerTimeoutError, its visibility is set to the retry
   * delay (it is not deleted), an `error` event with stage `timeout` names the subscribers still
   * running, and whatever the abandoned handler returns later is ignored.
   *
   * 15 minutes is long enough for genuine batch work, short enough that hung handlers cannot quietly
   * stall a consumer for good. 43200 is SQS's own limit: a message cannot be kept hidden longer
   * than 12 hours after its receive, so a handler running past that has lost its message anyway.
   */
  handlerTimeoutSeconds?: number;
  /** Runs before a message is dispatched; an error there is logged and ignored. */
  onBeforeProcess?: (context: MessageContext) => void | Promise<void>;
  /** Runs after a message is dispatched, before it is deleted or retried; an error there is logged and ignored. */
  onAfterProcess?: (context: MessageContext, outcome: DispatchOutcome) => void | Promise<void>;
  /** Resolve AWS Extended Client pointers: payloads offloaded to S3 (docs/large-payloads.md). */
  largePayloads?: LargePayloadConsumeOptions;
  /** Effectively-once processing: a store of claimed and completed message keys in front of the subscribers (docs/idempotency.md). */
  idempotency?: IdempotencyOptions;
}

/** The consumer options after validation, with every default filled in. */
export interface ResolvedConsumerOptions {
  retriableErrors: readonly RetriableErrorClass[];
  retryDelaySeconds: (receiveCount: number) => number;
  deadLetterQueueUrl: string | undefined;
  logger: ListenerLogger;
  handlerTimeoutSeconds: number;
  onBeforeProcess: ConsumerOptions['onBeforeProcess'];
  onAfterProcess: ConsumerOptions['onAfterProcess'];
  largePayloads: PayloadResolver | undefined;
  idempotency: ResolvedIdempotency | undefined;
}

export const int = (min: number, max: number) =>
  z.number().int(`must be an integer from ${min} to ${max}`).min(min, `must be from ${min} to ${max}`).max(max, `must be from ${min} to ${max}`);
export const fn = (what: string) => z.custom<(...args: never[]) => unknown>((v) => typeof v === 'function', `must be ${what}`);
export const queueUrl = z.string().superRefine((v, ctx) => {
  const problem = queueUrlProblem(v);
  if (problem !== undefined) ctx.addIssue({ code: 'custom', message: `must be a queue URL such as ${QUEUE_URL_EXAMPLE} (${problem})` });
});

/** The zod fields of ConsumerOptions, for each consumer's own schema to spread. */
export const consumerOptionFields = {
  client: z.custom<SQSClient>((v) => typeof (v as { send?: unknown } | null)?.send === 'function', 'must be an SQSClient').optional(),
  retriableErrors: z
    .array(
      z.custom<RetriableErrorClass>(
        (v) => typeof v === 'function' && (v === Error || (v as { prototype?: unknown }).prototype instanceof Error),
        'must be an Error class or subclass',
      ),
    )
    .default([]),
  retryDelaySeconds: fn('a function of the receive count').optional(),
  deadLetterQueueUrl: queueUrl.optional(),
  logger: z
    .custom<ListenerLogger>(
      (v) => typeof v === 'object' && v !== null && ['debug', 'info', 'warn', 'error'].every((k) => typeof (v as Record<string, unknown>)[k] === 'function'),
      'must have debug, info, warn and error methods',
    )
    .optional(),
  handlerTimeoutSeconds: z
    .number()
    .gt(0, `must be more than 0 and at most ${SQS_MAX_VISIBILITY_SECONDS} seconds`)
    .max(SQS_MAX_VISIBILITY_SECONDS, `must be more than 0 and at most ${SQS_MAX_VISIBILITY_SECONDS} seconds (SQS keeps a message hidden 12 hours at most)`)
    .default(DEFAULT_HANDLER_TIMEOUT_SECONDS),
  onBeforeProcess: fn('a function').optional(),
  onAfterProcess: fn('a function').optional(),
  largePayloads: consumeLargePayloads.optional(),
  idempotency: idempotencyOptionField,
};

/** The validated consumer options with defaults; functions and classes are taken as given (zod would wrap them). */
export function resolveConsumerOptions(options: ConsumerOptions, parsed: { deadLetterQueueUrl?: string | undefined; handlerTimeoutSeconds: number }): ResolvedConsumerOptions {
  return {
    retriableErrors: options.retriableErrors ?? [],
    retryDelaySeconds: options.retryDelaySeconds ?? defaultRetryDelaySeconds,
    deadLetterQueueUrl: parsed.deadLetterQueueUrl,
    logger: options.logger ? safeLogger(options.logger) : jsonLogger(),
    handlerTimeoutSeconds: parsed.handlerTimeoutSeconds,
    onBeforeProcess: options.onBeforeProcess,
    onAfterProcess: options.onAfterProcess,
    largePayloads: options.largePayloads === undefined ? undefined : new PayloadResolver(resolveConsumeLargePayloads(options.largePayloads)),
    idempotency: resolveIdempotency(options.idempotency, parsed.handlerTimeoutSeconds),
  };
}

/** Turns zod's issues into `{ path, message }` pairs that name each bad option. */
export function optionIssues(error: z.ZodError): { path: string; message: string }[] {
  return error.issues.map((issue) => ({
    path: issue.path.length > 0 ? issue.path.join('.') : '(options)',
    message: issue.code === 'unrecognized_keys' ? `unknown option(s) ${issue.keys.join(', ')}` : issue.message,
  }));
}
