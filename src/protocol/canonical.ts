import { isPlainObject } from './plain.js';
import { parseIsoInstant } from './timestamp.js';
import type { DataObject, MegaEvent, MegaObject, MegaPayload } from './types.js';

/** The fields of a MEGA event; any other key under `event` is an attribute. */
export const EVENT_FIELDS: ReadonlySet<string> = new Set(['name', 'timestamp', 'version', 'domain', 'subject', 'publisher', 'attributes']);

/** EVENT_FIELDS.has(key), as a switch: several times faster than the Set on this path. */
function isEventField(key: string): boolean {
  switch (key) {
    case 'name':
    case 'timestamp':
    case 'version':
    case 'domain':
    case 'subject':
    case 'publisher':
    case 'attributes':
      return true;
    default:
      return false;
  }
}

const isOptionalString = (v: unknown): v is string | undefined => v === undefined || typeof v === 'string';
const isOptionalObject = (v: unknown): v is DataObject | undefined => v === undefined || isPlainObject(v);
const isOptionalVersion = (v: unknown): v is number | undefined => v === undefined || (typeof v === 'number' && Number.isSafeInteger(v));

function readTimestamp(value: unknown): Date | undefined {
  if (typeof value === 'string') {
    const instant = parseIsoInstant(value);
    return instant === undefined ? undefined : new Date(instant);
  }
  return value instanceof Date && !Number.isNaN(value.getTime()) ? new Date(value.getTime()) : undefined;
}

/**
 * The common case without zod: a payload whose fields all have their canonical types (no loose
 * event keys, no nulls, no version strings). Returns undefined for anything else, and the zod
 * schema then decides and names the error. It must give exactly what the schema gives for the
 * inputs it accepts (a property test checks this); it exists because decoding is on the hot path.
 */
export function parseCanonical(value: unknown): MegaPayload | undefined {
  if (!isPlainObject(value) || value.protocol !== 'mega' || (value.version !== 1 && value.version !== '1')) return undefined;
  const e = value.event;
  if (!isPlainObject(e)) return undefined;
  // for...in, not Object.keys: no array per message. An inherited enumerable key (a polluted
  // prototype) only sends the payload to the schema.
  for (const key in e) if (!isEventField(key)) return undefined;
  const { name, version, domain, subject, publisher, attributes } = e;
  if (typeof name !== 'string' || name.length === 0 || !isOptionalVersion(version)) return undefined;
  if (!isOptionalString(domain) || !isOptionalString(subject) || !isOptionalString(publisher)) return undefined;
  if (!isOptionalObject(attributes)) return undefined;
  const timestamp = readTimestamp(e.timestamp);
  if (timestamp === undefined) return undefined;
  const { object: o, extra } = value;
  if (!isOptionalObject(extra) || !isOptionalObject(o)) return undefined;

  const event: MegaEvent = { name, timestamp, version: version ?? 1, attributes: attributes ?? {} };
  if (domain !== undefined) event.domain = domain;
  if (subject !== undefined) event.subject = subject;
  if (publisher !== undefined) event.publisher = publisher;
  const payload: MegaPayload = { protocol: 'mega', version: 1, event, extra: extra ?? {} };
  if (o !== undefined) {
    const { current, previous, type, id, version: objectVersion } = o;
    if (!isPlainObject(current) || !isOptionalObject(previous) || !isOptionalVersion(objectVersion)) return undefined;
    if (!isOptionalString(type) || !isOptionalString(id)) return undefined;
    const object: MegaObject = { current, version: objectVersion ?? 1 };
    if (previous !== undefined) object.previous = previous;
    if (type !== undefined) object.type = type;
    if (id !== undefined) object.id = id;
    payload.object = object;
  }
  return payload;
}
