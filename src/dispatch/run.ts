import type { Binding, Evaluation } from './binding.js';
import type { MessageContext } from './context.js';
import { InvalidStatusError, NonErrorThrownError } from './errors.js';
import type { SubscriberResult } from './outcome.js';
import { isRetriable, type ErrorClass } from './retriable.js';
import { ProcessStatus } from './status.js';

const STATUSES = new Set<unknown>(Object.values(ProcessStatus));

/**
 * Runs one subscriber on one message and maps what happened to a status. Never throws or rejects.
 * A subscriber with no schema whose `process()` returns synchronously gets its result at once, with
 * no promise: a transport can then settle the message in the same turn.
 */
export function runSubscriber(
  binding: Binding,
  evaluation: Exclude<Evaluation, undefined>,
  context: MessageContext,
  retriableErrors: readonly ErrorClass[],
): SubscriberResult | Promise<SubscriberResult> {
  const started = performance.now();
  try {
    if ('error' in evaluation) throw evaluation.error;
    if (binding.validate !== undefined) {
      const validated = binding.validate(evaluation.input);
      return settled(binding, validated.then((payload) => binding.subscriber.process(payload as never, context)), retriableErrors, started);
    }
    const returned: unknown = binding.subscriber.process(evaluation.input as never, context);
    if (isThenable(returned)) return settled(binding, returned, retriableErrors, started);
    return statusOf(binding.name, returned, started);
  } catch (thrown) {
    return failed(binding.name, thrown, retriableErrors, started);
  }
}

/** What an asynchronous run (a schema's validation, a promise from `process()`) ends with. */
async function settled(binding: Binding, returned: PromiseLike<unknown>, retriableErrors: readonly ErrorClass[], started: number): Promise<SubscriberResult> {
  try {
    return statusOf(binding.name, await returned, started);
  } catch (thrown) {
    return failed(binding.name, thrown, retriableErrors, started);
  }
}

/** What `process()` returned (or resolved to): nothing means DONE. */
function statusOf(subscriber: string, returned: unknown, started: number): SubscriberResult {
  if (returned === undefined) return result(subscriber, ProcessStatus.DONE, started);
  if (STATUSES.has(returned)) return result(subscriber, returned as ProcessStatus, started);
  return result(subscriber, ProcessStatus.FATAL_ERROR, started, new InvalidStatusError(subscriber, returned));
}

function failed(subscriber: string, thrown: unknown, retriableErrors: readonly ErrorClass[], started: number): SubscriberResult {
  if (!(thrown instanceof Error)) return result(subscriber, ProcessStatus.FATAL_ERROR, started, new NonErrorThrownError(subscriber, thrown));
  return result(subscriber, isRetriable(thrown, retriableErrors) ? ProcessStatus.RETRIABLE_ERROR : ProcessStatus.FATAL_ERROR, started, thrown);
}

function result(subscriber: string, status: ProcessStatus, started: number, error?: Error): SubscriberResult {
  const durationMs = performance.now() - started;
  return error === undefined ? { subscriber, status, durationMs } : { subscriber, status, error, durationMs };
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (typeof value === 'object' || typeof value === 'function') && value !== null && typeof (value as { then?: unknown }).then === 'function';
}
