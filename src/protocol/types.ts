/** A JSON-like object as found in payloads: string keys, unknown values. */
export type DataObject = Record<string, unknown>;

export interface MegaEvent {
  name: string;
  timestamp: Date;
  version: number;
  domain?: string;
  subject?: string;
  publisher?: string;
  attributes: DataObject;
}

export interface MegaObject {
  current: DataObject;
  previous?: DataObject;
  type?: string;
  id?: string;
  version: number;
}

export interface MegaPayload {
  protocol: 'mega';
  version: 1;
  event: MegaEvent;
  object?: MegaObject;
  extra: DataObject;
}
