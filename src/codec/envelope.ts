import { isPlainObject } from '../protocol/plain.js';
import type { DataObject } from '../protocol/types.js';
import type { SnsEnvelope } from './decoded.js';

const ENVELOPE_TYPES: ReadonlySet<string> = new Set(['Notification', 'SubscriptionConfirmation', 'UnsubscribeConfirmation']);

/**
 * Recognises an SNS envelope (what a non-raw SNS subscription delivers to SQS) by its content:
 * a known `Type` and string `MessageId`, `TopicArn`, `Message` and `Timestamp`. Real SNS pretty-prints
 * it (`"Type" : "Notification",` on its own line), local emulators write it compactly: both are just
 * JSON once parsed, so neither whitespace nor key order matters. Returns the envelope metadata and
 * the inner message text, or undefined when the object is not an envelope.
 */
export function readSnsEnvelope(value: DataObject): { envelope: SnsEnvelope; message: string } | undefined {
  const type = value.Type;
  if (typeof type !== 'string' || !ENVELOPE_TYPES.has(type)) return undefined;
  const { MessageId, TopicArn, Message, Timestamp, Subject, MessageAttributes } = value;
  if (typeof MessageId !== 'string' || typeof TopicArn !== 'string') return undefined;
  if (typeof Message !== 'string' || typeof Timestamp !== 'string') return undefined;
  const envelope: SnsEnvelope = {
    type: type as SnsEnvelope['type'],
    messageId: MessageId,
    topicArn: TopicArn,
    timestamp: Timestamp,
  };
  if (typeof Subject === 'string') envelope.subject = Subject;
  const attributes = readMessageAttributes(MessageAttributes);
  if (attributes !== undefined) envelope.messageAttributes = attributes;
  return { envelope, message: Message };
}

// Keeps the well-formed `{ Type, Value }` entries; built with fromEntries so any key is safe.
function readMessageAttributes(value: unknown): SnsEnvelope['messageAttributes'] {
  if (!isPlainObject(value)) return undefined;
  const entries: [string, { Type: string; Value: string }][] = [];
  for (const [name, attribute] of Object.entries(value)) {
    if (isPlainObject(attribute) && typeof attribute.Type === 'string' && typeof attribute.Value === 'string') {
      entries.push([name, { Type: attribute.Type, Value: attribute.Value }]);
    }
  }
  return entries.length === 0 ? undefined : Object.fromEntries(entries);
}
