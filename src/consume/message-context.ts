import type { Message } from '@aws-sdk/client-sqs';
import type { Decoded } from '../codec/decoded.js';
import type { MessageContext } from '../dispatch/context.js';
import { defineOwn } from '../protocol/plain.js';

/** The subscribers' view of a received message: decoded body, receive count, send time, attributes. */
export function contextFor(message: Message, messageId: string, decode: (body: string) => Decoded, abort: { readonly signal: AbortSignal }, queueUrl?: string): MessageContext {
  const decoded = decode(message.Body ?? '');
  const count = Number(message.Attributes?.ApproximateReceiveCount);
  return new ReceivedContext(messageId, Number.isFinite(count) && count > 0 ? count : 1, message, queueUrl, decoded, abort);
}

/**
 * A class, not an object literal with a getter: a literal makes a new accessor per message, about
 * ten times the cost of this (measured: ~900 ns against ~80 ns). The send time and the attributes
 * are read from the message when first asked for: most subscribers never ask.
 */
class ReceivedContext implements MessageContext {
  readonly #message: Message;
  readonly #abort: { readonly signal: AbortSignal };
  #sentAt: Date | undefined | null = null;
  #attributes: Readonly<Record<string, string>> | undefined;

  constructor(
    readonly messageId: string,
    readonly receiveCount: number,
    message: Message,
    readonly queueUrl: string | undefined,
    readonly decoded: Decoded,
    abort: { readonly signal: AbortSignal },
  ) {
    this.#message = message;
    this.#abort = abort;
  }

  get sentAt(): Date | undefined {
    if (this.#sentAt === null) {
      const sent = Number(this.#message.Attributes?.SentTimestamp);
      this.#sentAt = Number.isFinite(sent) && sent > 0 ? new Date(sent) : undefined;
    }
    return this.#sentAt;
  }

  get messageAttributes(): Readonly<Record<string, string>> {
    return (this.#attributes ??= attributesOf(this.#message, this.decoded));
  }

  /** Read through, so that a message's AbortSignal is made only for a subscriber that asks for it. */
  get signal(): AbortSignal {
    return this.#abort.signal;
  }
}

/** The publisher's string attributes: the SNS envelope's first, then the SQS message's own. */
export function attributesOf(message: Message, decoded: Decoded): Readonly<Record<string, string>> {
  const enveloped = decoded.envelope?.messageAttributes;
  const own = message.MessageAttributes;
  const out: Record<string, string> = {};
  // for...in over own properties, then defined (not assigned), so '__proto__' cannot touch the prototype.
  for (const name in enveloped) {
    const value = Object.hasOwn(enveloped, name) ? enveloped[name]?.Value : undefined;
    if (typeof value === 'string') defineOwn(out, name, value);
  }
  for (const name in own) {
    // The SDK can hand back an attribute with no value (one named '__proto__' arrives as undefined).
    const attr = Object.hasOwn(own, name) ? own[name] : undefined;
    if (attr?.StringValue !== undefined) defineOwn(out, name, attr.StringValue);
    else if (attr?.BinaryValue !== undefined) defineOwn(out, name, Buffer.from(attr.BinaryValue).toString('base64'));
  }
  return out;
}
