import type { MegaPayload } from './types.js';

const isEmpty = (value: object): boolean => Object.keys(value).length === 0;

/**
 * The JSON wire form (MEGA protocol v1) of a payload: timestamp as ISO-8601 with `Z`, attributes
 * always under `event.attributes` (the Python decoder ignores loose event keys), and optional
 * fields that are absent or empty (`{}` attributes and extra) left out.
 */
export function toWireObject(payload: MegaPayload): Record<string, unknown> {
  const { event, object, extra } = payload;
  const wireEvent: Record<string, unknown> = {
    name: event.name,
    timestamp: event.timestamp.toISOString(),
    version: event.version,
  };
  if (event.domain !== undefined) wireEvent.domain = event.domain;
  if (event.subject !== undefined) wireEvent.subject = event.subject;
  if (event.publisher !== undefined) wireEvent.publisher = event.publisher;
  if (!isEmpty(event.attributes)) wireEvent.attributes = event.attributes;

  const wire: Record<string, unknown> = { protocol: 'mega', version: 1, event: wireEvent };
  if (object !== undefined) {
    const wireObject: Record<string, unknown> = { current: object.current };
    if (object.previous !== undefined) wireObject.previous = object.previous;
    if (object.type !== undefined) wireObject.type = object.type;
    if (object.id !== undefined) wireObject.id = object.id;
    wireObject.version = object.version;
    wire.object = wireObject;
  }
  if (!isEmpty(extra)) wire.extra = extra;
  return wire;
}
