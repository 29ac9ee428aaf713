import type { DataObject, MegaPayload } from '../protocol/types.js';

/** How the payload travelled inside the body. */
export type Encoding = 'json' | 'bson' | 'text' | 'blob';

/** The SNS notification that wrapped the payload, when the subscription was not raw. */
export interface SnsEnvelope {
  type: 'Notification' | 'SubscriptionConfirmation' | 'UnsubscribeConfirmation';
  messageId: string;
  topicArn: string;
  timestamp: string;
  subject?: string;
  messageAttributes?: Record<string, { Type: string; Value: string }>;
}

/** What every decoded body carries, whatever its kind. */
export interface DecodedBase {
  encoding: Encoding;
  envelope?: SnsEnvelope;
}

export type Decoded = DecodedBase &
  (
    | { kind: 'mega'; payload: MegaPayload }
    | { kind: 'data'; payload: DataObject }
    | { kind: 'plaintext'; payload: string }
    | { kind: 'binary'; payload: Uint8Array }
    | { kind: 'invalid'; error: Error; body: string }
  );

export type DecodedKind = Decoded['kind'];
