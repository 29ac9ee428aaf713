import { SqsMegaError } from '../protocol/errors.js';

/** A publisher option (constructor or per call) is missing or out of range; `option` names it. */
export class PublisherOptionsError extends SqsMegaError {
  constructor(
    message: string,
    readonly option: string,
  ) {
    super(message);
  }
}

/**
 * A MEGA payload's message attributes plus its routing attributes are more than SNS/SQS take
 * (SNS would drop such a message on raw delivery); raised before anything is sent.
 */
export class TooManyAttributesError extends PublisherOptionsError {
  constructor(
    readonly given: number,
    readonly routing: number,
    readonly limit: number,
  ) {
    super(
      `the message would have ${given + routing} message attributes (${given} given + ${routing} MEGA routing attributes), more than the ${limit} SNS and SQS take; pass at most ${limit - routing}, or set routingAttributes: false on the publisher`,
      'messageAttributes',
    );
  }

  /** Attributes the message would have had. */
  get count(): number {
    return this.given + this.routing;
  }
}

/** A message would exceed the service's size limit; raised before anything is sent. */
export class PayloadTooLargeError extends SqsMegaError {
  constructor(
    /** Body plus message attributes, in bytes, counted as the service counts them. */
    readonly size: number,
    readonly limit: number,
    service: 'SQS' | 'SNS',
  ) {
    super(`message is ${size} bytes (body plus attributes), over the ${service} limit of ${limit} bytes`);
  }
}

/** The service refused or failed a publish; `code` is its error code, `cause` the SDK error if any. */
export class PublishError extends SqsMegaError {
  constructor(
    message: string,
    readonly code: string,
    /** True when the request itself was wrong (retrying the same entry will not help). */
    readonly senderFault: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
