import type { Decoded } from '../codec/decoded.js';

/** What a subscriber knows about the message beside its payload. Nothing here is SQS-specific. */
export interface MessageContext {
  /** The transport's message id (SQS MessageId; synthetic in the test client). */
  messageId: string;
  /** How many times the message has been received, this time included (1 on first delivery). */
  receiveCount: number;
  /** When the message was first sent, if the transport says. */
  sentAt?: Date;
  /** String message attributes as sent by the publisher (SQS or SNS). */
  messageAttributes: Readonly<Record<string, string>>;
  /** The queue (SQS queue URL) the message came from, when the transport knows it. */
  queueUrl?: string;
  /** The whole decoded message, envelope included. */
  decoded: Decoded;
  /** Aborted when the listener is shutting down past its deadline or the message's processing ran past its time limit; long handlers may honour it. */
  signal: AbortSignal;
}
