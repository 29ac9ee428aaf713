import { InvalidStatusError, MatchError, PayloadSchemaError, RetriableError } from './errors.js';

/** A class of errors; instances of it (or of its subclasses) thrown by `process` are RETRIABLE_ERROR. */
export type ErrorClass = abstract new (...args: never[]) => Error;

// The framework's own verdicts (bad payload, bad status, failed matching) are final whatever the
// user lists as retriable: retrying cannot change them.
export function isRetriable(error: Error, retriableErrors: readonly ErrorClass[]): boolean {
  if (error instanceof PayloadSchemaError || error instanceof InvalidStatusError || error instanceof MatchError) return false;
  return error instanceof RetriableError || retriableErrors.some((type) => error instanceof type);
}
