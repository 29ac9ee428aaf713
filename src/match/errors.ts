import { SqsMegaError } from '../protocol/errors.js';

/**
 * A pattern is malformed (thrown when it is compiled, i.e. when its subscriber is registered).
 * `path` names the field the pattern sits on, e.g. `attributes.quantity`; the message starts with it.
 */
export class PatternError extends SqsMegaError {
  constructor(
    readonly path: string,
    problem: string,
    options?: { cause?: unknown },
  ) {
    super(`${path === '' ? '(pattern)' : path}: ${problem}`, options);
  }
}
