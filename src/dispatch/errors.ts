import { SqsMegaError } from '../protocol/errors.js';

/**
 * Throw it (or a subclass) from `process` to say "failed for now, try again later": the status is
 * RETRIABLE_ERROR and the message stays on the queue. Other classes can be made retriable with the
 * dispatcher's `retriableErrors` option.
 */
export class RetriableError extends SqsMegaError {}

/** A subscriber cannot be registered: not a subscriber, registered twice, bad schema, constructor failed. */
export class SubscriberRegistrationError extends SqsMegaError {
  constructor(
    /** The subscriber's class name. */
    readonly subscriber: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${subscriber}: ${message}`, options);
  }
}

/** A payload failed a subscriber's zod schema; `path` names the first failing field. */
export class PayloadSchemaError extends SqsMegaError {
  constructor(
    readonly subscriber: string,
    readonly path: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${subscriber}: payload does not fit its schema at ${path === '' ? '(root)' : path}: ${message}`, options);
  }
}

/** `process` returned something that is not a ProcessStatus. */
export class InvalidStatusError extends SqsMegaError {
  constructor(
    readonly subscriber: string,
    readonly returned: unknown,
  ) {
    super(`${subscriber}.process returned ${describe(returned)}, which is not a ProcessStatus (return nothing or a ProcessStatus)`);
  }
}

/**
 * Deciding whether a subscriber wants a message failed: a user predicate in its pattern, its
 * `transform` or its `accepts` threw. The subscriber counts as matched, with status FATAL_ERROR,
 * so that the failure is recorded (and dead-lettered) rather than the message silently dropped.
 */
export class MatchError extends SqsMegaError {
  constructor(
    readonly subscriber: string,
    stage: string,
    options: { cause: unknown },
  ) {
    super(`${subscriber}: ${stage} threw: ${describe(options.cause)}`, options);
  }
}

/** `process` threw something that is not an Error. */
export class NonErrorThrownError extends SqsMegaError {
  constructor(
    readonly subscriber: string,
    thrown: unknown,
  ) {
    super(`${subscriber}.process threw a non-Error value: ${describe(thrown)}`, { cause: thrown });
  }
}

/** A short, safe description of any value for error messages. */
export function describe(value: unknown): string {
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  if (typeof value === 'string') return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}...` : value);
  if (typeof value === 'function') return 'a function';
  if (value === null || typeof value !== 'object') return String(value);
  if (Array.isArray(value)) return 'an array';
  return 'an object';
}
