import { SqsMegaError } from '../protocol/errors.js';

/** A message body could not be decoded (too large, too deep, malformed or unsafe BSON...). */
export class DecodeError extends SqsMegaError {
  constructor(
    message: string,
    /** Where in the payload the problem is, when it is inside it (e.g. `user.script`). */
    readonly path?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A payload cannot be encoded (functions, cycles, bigint in JSON, a string as BSON...). */
export class EncodeError extends SqsMegaError {
  constructor(
    message: string,
    readonly path?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
