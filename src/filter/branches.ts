/**
 * From a subscriber to the messages it can want, as one filter branch: a set of keys, each with
 * what its value may be (AND across keys), or "everything" when nothing useful can be said.
 */
import { BinarySubscriber, DataSubscriber, PlaintextSubscriber } from '../dispatch/data-subscribers.js';
import { EVENT_FIELDS, EventSubscriber } from '../dispatch/event-subscriber.js';
import { subscriberName, type MessageSubscriber } from '../dispatch/subscriber.js';
import { compile } from '../match/compile.js';
import { typeName } from '../match/describe.js';
import { PatternFunction } from '../match/pattern.js';
import { derive } from './derive.js';
import type { FieldKind, Matcher } from './matchers.js';
import { ROUTING_ATTRIBUTE_NAMES } from './routing-attributes.js';

export type Scope = 'MessageAttributes' | 'MessageBody';

/** One key of a branch: what a present value may be, and whether the key may be absent. */
export interface KeyCondition {
  readonly matchers: readonly Matcher[];
  readonly absent: boolean;
}

/** Keys are paths (one segment for attributes, nested for bodies), joined by NUL. */
export type Branch = Map<string, KeyCondition>;

export interface Widening {
  readonly subscriber?: string;
  readonly field: string;
  readonly reason: string;
}

export type Derivation =
  | { readonly kind: 'branch'; readonly branch: Branch; readonly exact: boolean }
  | { readonly kind: 'never' }
  | { readonly kind: 'all'; readonly reason: string };

interface EventKey {
  readonly key: readonly string[];
  readonly kind: FieldKind;
  /** What an absent key stands for: a value the subscriber then sees. */
  readonly absentMeans: readonly unknown[];
}

// Attributes: the routing attributes the publishers write (an empty domain is not written).
const ATTRIBUTE_KEYS: Record<string, EventKey> = {
  eventName: { key: [ROUTING_ATTRIBUTE_NAMES.name], kind: 'string', absentMeans: [] },
  eventDomain: { key: [ROUTING_ATTRIBUTE_NAMES.domain], kind: 'string', absentMeans: [undefined, ''] },
  eventVersion: { key: [ROUTING_ATTRIBUTE_NAMES.version], kind: 'number', absentMeans: [] },
};

// Body: the wire form of a MEGA payload. Encoders drop empty optional fields; a missing version is 1.
const BODY_KEYS: Record<string, EventKey> = {
  eventName: { key: ['event', 'name'], kind: 'string', absentMeans: [] },
  eventDomain: { key: ['event', 'domain'], kind: 'string', absentMeans: [undefined, ''] },
  eventVersion: { key: ['event', 'version'], kind: 'number', absentMeans: [1] },
  eventSubject: { key: ['event', 'subject'], kind: 'string', absentMeans: [undefined, ''] },
  eventPublisher: { key: ['event', 'publisher'], kind: 'string', absentMeans: [undefined, ''] },
  objectType: { key: ['object', 'type'], kind: 'string', absentMeans: [undefined, ''] },
  objectId: { key: ['object', 'id'], kind: 'string', absentMeans: [undefined, ''] },
};

// Fields whose patterns are nested objects over the body's data. Not `event.attributes`: readers
// also take loose `event.*` keys as attributes, which a body filter on `event.attributes` would drop.
const BODY_OBJECTS: Record<string, readonly string[]> = {
  objectCurrent: ['object', 'current'],
  objectPrevious: ['object', 'previous'],
};

export const KEY_SEPARATOR = '\u0000';

/** Derives one subscriber's branch; `widened` collects what could not be kept. */
export function deriveSubscriber(subscriber: MessageSubscriber, scope: Scope, widened: Widening[]): Derivation {
  const name = subscriberName(subscriber);
  const fields = subscriber as unknown as Record<string, unknown>;
  if (subscriber instanceof EventSubscriber) return eventBranch(name, fields, scope, widened);
  if (subscriber instanceof DataSubscriber) {
    if (scope === 'MessageAttributes') {
      return { kind: 'all', reason: `${name} wants data payloads, which carry no routing attributes (use the MessageBody scope)` };
    }
    const pattern = fields.pattern;
    const branch: Branch = new Map();
    let exact = true;
    if (pattern !== undefined) exact = objectKeys(name, 'pattern', pattern, [], branch, widened);
    if (branch.size === 0) return { kind: 'all', reason: `${name} wants every data payload (its pattern gives the filter nothing to check)` };
    return { kind: 'branch', branch, exact };
  }
  const what = subscriber instanceof PlaintextSubscriber ? 'plaintext' : subscriber instanceof BinarySubscriber ? 'binary' : 'every';
  return { kind: 'all', reason: `${name} wants ${what} messages, which no filter can select` };
}

function eventBranch(name: string, fields: Record<string, unknown>, scope: Scope, widened: Widening[]): Derivation {
  const keys = scope === 'MessageAttributes' ? ATTRIBUTE_KEYS : BODY_KEYS;
  const branch: Branch = new Map();
  let exact = true;
  for (const spec of EVENT_FIELDS) {
    const field = fields[spec.field] !== undefined ? spec.field : spec.alias;
    if (field === undefined || fields[field] === undefined) continue;
    const pattern = fields[field];
    const at = keys[spec.field];
    const nested = scope === 'MessageBody' ? BODY_OBJECTS[spec.field] : undefined;
    if (at !== undefined) {
      const derived = derive(pattern, at.kind);
      if (!derived.exact) {
        exact = false;
        widened.push({ subscriber: name, field, reason: derived.why ?? 'widened' });
      }
      if (derived.matchers === undefined) continue;
      const test = compile(pattern, field);
      const absent = at.absentMeans.some((v) => test(v));
      if (derived.matchers.length === 0 && !absent) return { kind: 'never' };
      branch.set(at.key.join(KEY_SEPARATOR), { matchers: derived.matchers, absent });
    } else if (nested !== undefined) {
      if (!objectKeys(name, field, pattern, nested, branch, widened)) exact = false;
    } else {
      exact = false;
      const where = scope === 'MessageAttributes' ? 'is not a routing attribute' : 'cannot be compared by a filter';
      widened.push({ subscriber: name, field, reason: `${field} ${where}; not filtered` });
    }
  }
  return { kind: 'branch', branch, exact };
}

function isNestedObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !(value instanceof PatternFunction) && typeName(value) === 'object';
}

/** A partial object pattern over body data: nested keys must be present, so they never need `absent`. */
function objectKeys(name: string, field: string, pattern: unknown, path: readonly string[], branch: Branch, widened: Widening[]): boolean {
  if (!isNestedObject(pattern)) {
    widened.push({ subscriber: name, field, reason: 'only a nested object pattern can become body keys' });
    return false;
  }
  let exact = true;
  for (const [key, value] of Object.entries(pattern)) {
    const at = [...path, key];
    if (isNestedObject(value)) {
      if (!objectKeys(name, `${field}.${key}`, value, at, branch, widened)) exact = false;
      continue;
    }
    const derived = derive(value, 'unknown');
    if (!derived.exact) {
      exact = false;
      if (derived.matchers === undefined) widened.push({ subscriber: name, field: `${field}.${key}`, reason: derived.why ?? 'widened' });
    }
    if (derived.matchers !== undefined) branch.set(at.join(KEY_SEPARATOR), { matchers: derived.matchers, absent: false });
  }
  return exact;
}
