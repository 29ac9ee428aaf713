import type { Message } from '@aws-sdk/client-sqs';
import type { Decoded } from '../codec/decoded.js';
import type { MessageContext } from '../dispatch/context.js';

/** The subscribers' view of a received message: decoded body, receive count, send time, attributes. */
export function contextFor(message: Message, messageId: string, decode: (body: string) => Decoded, abort: { readonly signal: AbortSignal }, queueUrl?: string): MessageContext {
  const decoded = decode(message.Body ?? '');
  const count = Number(message.Attributes?.ApproximateReceiveCount);
  const sent = Number(message.Attributes?.SentTimestamp);
  return {
    messageId,
    receiveCount: Number.isFinite(count) && count > 0 ? count : 1,
    sentAt: Number.isFinite(sent) && sent > 0 ? new Date(sent) : undefined,
    messageAttributes: attributesOf(message, decoded),
    queueUrl,
    decoded,
    // Read through, so that a message's AbortSignal is made only for a subscriber that asks for it.
    get signal() {
      return abort.signal;
    },
  };
}

/** The publisher's string attributes: the SNS envelope's first, then the SQS message's own. */
export function attributesOf(message: Message, decoded: Decoded): Readonly<Record<string, string>> {
  if (decoded.envelope?.messageAttributes === undefined && message.MessageAttributes === undefined) return {};
  const entries: [string, string][] = [];
  for (const [name, attr] of Object.entries(decoded.envelope?.messageAttributes ?? {})) {
    if (typeof attr?.Value === 'string') entries.push([name, attr.Value]);
  }
  for (const [name, attr] of Object.entries(message.MessageAttributes ?? {})) {
    // The SDK can hand back an attribute with no value (one named '__proto__' arrives as undefined).
    if (attr?.StringValue !== undefined) entries.push([name, attr.StringValue]);
    else if (attr?.BinaryValue !== undefined) entries.push([name, Buffer.from(attr.BinaryValue).toString('base64')]);
  }
  // fromEntries defines own properties, so a '__proto__' attribute cannot touch the prototype.
  return Object.fromEntries(entries);
}
