/** Base class of every error this library throws; `cause` carries the underlying error. */
export class SqsMegaError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A MEGA payload (or builder input) does not fit the protocol; `path` names the field. */
export class MegaSchemaError extends SqsMegaError {
  constructor(
    message: string,
    readonly path: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
