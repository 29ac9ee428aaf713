import type { Binding, Evaluation } from './binding.js';
import type { MessageContext } from './context.js';
import { InvalidStatusError, NonErrorThrownError } from './errors.js';
import type { SubscriberResult } from './outcome.js';
import { isRetriable, type ErrorClass } from './retriable.js';
import { ProcessStatus } from './status.js';

const STATUSES = new Set<unknown>(Object.values(ProcessStatus));

/** Runs one subscriber on one message and maps what happened to a status. Never rejects. */
export async function runSubscriber(
  binding: Binding,
  evaluation: Exclude<Evaluation, undefined>,
  context: MessageContext,
  retriableErrors: readonly ErrorClass[],
): Promise<SubscriberResult> {
  const subscriber = binding.name;
  const started = performance.now();
  const result = (status: ProcessStatus, error?: Error): SubscriberResult => {
    const durationMs = performance.now() - started;
    return error === undefined ? { subscriber, status, durationMs } : { subscriber, status, error, durationMs };
  };
  try {
    if ('error' in evaluation) throw evaluation.error;
    const payload = binding.validate === undefined ? evaluation.input : await binding.validate(evaluation.input);
    let returned: unknown = binding.subscriber.process(payload as never, context);
    // A synchronous process() is not awaited: one microtask and one promise fewer per message.
    if (isThenable(returned)) returned = await returned;
    if (returned === undefined) return result(ProcessStatus.DONE);
    if (STATUSES.has(returned)) return result(returned as ProcessStatus);
    return result(ProcessStatus.FATAL_ERROR, new InvalidStatusError(subscriber, returned));
  } catch (thrown) {
    if (!(thrown instanceof Error)) return result(ProcessStatus.FATAL_ERROR, new NonErrorThrownError(subscriber, thrown));
    return result(isRetriable(thrown, retriableErrors) ? ProcessStatus.RETRIABLE_ERROR : ProcessStatus.FATAL_ERROR, thrown);
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (typeof value === 'object' || typeof value === 'function') && value !== null && typeof (value as { then?: unknown }).then === 'function';
}
