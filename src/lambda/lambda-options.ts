import { z } from 'zod';
import { consumerOptionFields, int, optionIssues, resolveConsumerOptions, type ConsumerOptions, type ResolvedConsumerOptions } from '../consume/consumer-options.js';
import type { MessageSubscriber, SubscriberClass } from '../dispatch/subscriber.js';
import { SqsMegaError } from '../protocol/errors.js';
import { idempotencyIssues } from '../idempotency/options.js';

export interface LambdaHandlerOptions extends ConsumerOptions {
  /** The subscribers, as classes (constructed with no arguments) or instances, as `registerSubscriber` takes them. */
  subscribers: readonly (SubscriberClass | MessageSubscriber)[];
  /**
   * The queue's URL, for the retry delays and nothing else: a URL, or a function of the record's
   * `eventSourceARN` (default: the URL AWS gives that ARN, `https://sqs.<region>.amazonaws.com/<account>/<name>`).
   */
  queueUrl?: string | ((eventSourceArn: string) => string);
  /** Records processed at once (default: every record of the batch; FIFO groups always go one record at a time). */
  concurrency?: number;
  /**
   * Milliseconds kept back before the function's deadline (`context.getRemainingTimeInMillis()`), default
   * 2000: there, running handlers see their `context.signal` aborted and unfinished records are reported
   * as failures, with time left to say so and to set retry delays.
   */
  deadlineMarginMs?: number;
  /**
   * When every record of an SQS batch failed: `'throw'` (default) makes the invocation fail, so the whole
   * batch comes back even where the event source mapping lacks `ReportBatchItemFailures`; `'report'`
   * returns every record in `batchItemFailures` instead (no function error in the metrics).
   */
  fullBatchFailure?: 'throw' | 'report';
}

export interface ResolvedLambdaOptions extends ResolvedConsumerOptions {
  queueUrl: (eventSourceArn: string) => string | undefined;
  concurrency: number;
  deadlineMarginMs: number;
  fullBatchFailure: 'throw' | 'report';
}

/** createLambdaHandler was given options it cannot work with; `issues` lists each one with its path. */
export class LambdaOptionsError extends SqsMegaError {
  constructor(readonly issues: readonly { path: string; message: string }[]) {
    super(`Invalid createLambdaHandler options: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
  }
}

const schema = z
  .object({
    ...consumerOptionFields,
    subscribers: z.array(z.unknown(), 'must be an array of subscriber classes or instances').min(1, 'must name at least one subscriber'),
    queueUrl: z.union([consumerOptionFields.deadLetterQueueUrl.unwrap(), z.custom<(arn: string) => string>((v) => typeof v === 'function')], 'must be a queue URL or a function of the event source ARN').optional(),
    concurrency: int(1, 10_000).optional(),
    deadlineMarginMs: int(0, 900_000).default(2_000),
    fullBatchFailure: z.enum(['throw', 'report']).default('throw'),
  })
  .strict();

/** Validates the options and fills in defaults; throws LambdaOptionsError naming every bad field. */
export function resolveLambdaOptions(options: LambdaHandlerOptions, fromArn: (arn: string) => string | undefined): ResolvedLambdaOptions {
  if (typeof options !== 'object' || options === null) {
    throw new LambdaOptionsError([{ path: '(options)', message: 'must be an object with at least subscribers' }]);
  }
  const parsed = schema.safeParse(options);
  if (!parsed.success) throw new LambdaOptionsError(optionIssues(parsed.error));
  const o = parsed.data;
  const clashes = idempotencyIssues(o);
  if (clashes.length > 0) throw new LambdaOptionsError(clashes);
  const given = options.queueUrl;
  return {
    ...resolveConsumerOptions(options, o),
    queueUrl: typeof given === 'string' ? () => given : typeof given === 'function' ? given : fromArn,
    concurrency: o.concurrency ?? Number.POSITIVE_INFINITY,
    deadlineMarginMs: o.deadlineMarginMs,
    fullBatchFailure: o.fullBatchFailure,
  };
}
